using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Portal.SystemTests.Infrastructure;

/// <summary>
/// A member of staff's browser over plain HTTP on loopback: one cookie jar sent to whichever node
/// it asks, as a load balancer without sticky sessions would. Cookies are kept by hand because the
/// session cookie is <c>Secure</c> and HttpClient's jar will not send that over HTTP.
/// </summary>
public sealed partial class StaffBrowser : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> CookieNames => _cookies.Keys;

    /// <summary>
    /// Signs in for the first time an account <c>create-admin</c> made: password, then enrolment of
    /// an authenticator from the key shown on the page, proved with a code.
    /// </summary>
    public async Task SignInAndEnrolAsync(Uri node, string email, string password)
    {
        var signIn = await PostFormAsync(node, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/backoffice/account/authenticator", signIn.Headers.Location?.OriginalString);

        var enrol = await GetAsync(node, "/backoffice/account/authenticator");
        Assert.Equal(HttpStatusCode.OK, enrol.StatusCode);
        var key = ManualKey().Match(await enrol.Content.ReadAsStringAsync()).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.NotEmpty(key);
        var code = await PostFormAsync(node, "/backoffice/account/authenticator", new() { ["code"] = Totp(key) });
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/backoffice", code.Headers.Location?.OriginalString);
    }

    public async Task<HttpResponseMessage> GetAsync(Uri node, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node, path));
        return await SendAsync(request);
    }

    /// <summary>GETs the form page on the same node for its antiforgery token, then POSTs the fields with it.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(Uri node, string path, Dictionary<string, string> fields)
    {
        using var page = await GetAsync(node, path);
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync());
        var values = new Dictionary<string, string>(fields);
        if (token.Success)
        {
            values["__staff-af"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, path)) { Content = new FormUrlEncodedContent(values) };
        return await SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
        }

        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                var pair = header.Split(';', 2)[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
                var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (value.Length == 0 || expired)
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>RFC 6238 code from a base32 key, as an authenticator app computes it.</summary>
    private static string Totp(string base32Key)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in base32Key.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238 authenticator codes are defined over HMAC-SHA1.
        var hash = HMACSHA1.HashData([.. bytes], counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("name=\"__staff-af\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<code id=\"manual-key\">([^<]+)</code>")]
    private static partial Regex ManualKey();
}

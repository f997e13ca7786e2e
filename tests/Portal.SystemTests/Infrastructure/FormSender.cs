using System.Net;
using System.Text.RegularExpressions;

namespace Portal.SystemTests.Infrastructure;

/// <summary>Fills in the safe-contact form as a browser without JavaScript would, with a marker in the message.</summary>
public sealed partial class FormSender(Uri portal) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = portal,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Opens the form (retrying while the portal is down) and returns its token.</summary>
    public async Task<string> OpenAsync(CancellationToken ct = default)
    {
        while (true)
        {
            try
            {
                var html = await _http.GetStringAsync("/en-GB/contact", ct);
                return WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
            }
            catch (Exception e) when (IsConnectionLost(e))
            {
                await Task.Delay(50, ct);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Sends the form once. Returns the status, or 0 when the connection failed (the portal died).</summary>
    public async Task<int> SendAsync(string token, string marker, bool urgent = false, CancellationToken ct = default)
    {
        using var content = new FormUrlEncodedContent(
        [
            new("form-token", token), new("website", ""), new("danger", urgent ? "yes" : "no"), new("about", "self"),
            new("method", "email"), new("email", "reader@example.org"), new("safe-time", "mon-morning"),
            new("message", "Please reply by email. Reference " + marker + "."), new("consent", "yes"),
        ]);
        try
        {
            using var response = await _http.PostAsync("/en-GB/contact", content, ct);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (IsConnectionLost(e))
        {
            return 0;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return 0;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The portal went away mid-request (it is killed on purpose): however the socket reports it.</summary>
    private static bool IsConnectionLost(Exception e) =>
        e is HttpRequestException or IOException or System.Net.Sockets.SocketException;

    [GeneratedRegex("name=\"form-token\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

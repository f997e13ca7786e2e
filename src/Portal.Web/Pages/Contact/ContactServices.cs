using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Portal.Web.Pages.Contact;

/// <summary>What the confirmation page says: the ways chosen and the promised date. Held in memory only, briefly.</summary>
public sealed record ConfirmationSummary(IReadOnlyList<string> Methods, DateOnly ContactBy, bool Urgent);

/// <summary>
/// Confirmations live in this process's memory for two hours under a random id, so the page after
/// sending can say what was chosen without any of it being written to disk or put in the address.
/// After a restart the page still confirms, in general terms.
/// </summary>
public sealed class ConfirmationStore(IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    public string Add(Guid reportId, ConfirmationSummary summary)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        cache.Set("confirmation:" + id, summary, Lifetime);
        cache.Set("report:" + reportId, id, Lifetime);
        return id;
    }

    public ConfirmationSummary? Find(string id) => cache.TryGetValue("confirmation:" + id, out ConfirmationSummary? s) ? s : null;

    /// <summary>The confirmation already made for a report (a repeated submission gets the same page).</summary>
    public string? ForReport(Guid reportId) => cache.TryGetValue("report:" + reportId, out string? id) ? id : null;
}

/// <summary>
/// Keys rate-limit partitions by a keyed hash of the client address; the key is replaced every
/// hour and never stored, so no address can be recovered from memory, logs or disk.
/// </summary>
public sealed class AddressHasher(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private byte[] _key = RandomNumberGenerator.GetBytes(32);
    private DateTimeOffset _created = clock.GetUtcNow();

    public string Hash(IPAddress? address)
    {
        byte[] key;
        lock (_gate)
        {
            if (clock.GetUtcNow() - _created > TimeSpan.FromHours(1))
            {
                _key = RandomNumberGenerator.GetBytes(32);
                _created = clock.GetUtcNow();
            }

            key = _key;
        }

        var bytes = address?.GetAddressBytes() ?? [];
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes))[..32];
    }
}

/// <summary>Asks Google's siteverify about a reCAPTCHA v3 token. The client's address is never sent.</summary>
public sealed class RecaptchaVerifier(HttpClient http, IOptions<IntakeOptions> options, TimeProvider clock, ILogger<RecaptchaVerifier> logger)
{
    public const string Action = "contact";

    public async Task<bool> VerifyAsync(string? token, string requestHost, CancellationToken ct)
    {
        var o = options.Value.Recaptcha;
        if (!o.Enabled || string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return false;
        }

        try
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["secret"] = o.SecretKey ?? "",
                ["response"] = token,
            });
            using var response = await http.PostAsync(o.VerifyUrl, content, ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("reCAPTCHA verification answered {Status}.", (int)response.StatusCode);
                return false;
            }

            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = json.RootElement;
            var success = root.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
            var action = root.TryGetProperty("action", out var a) ? a.GetString() : null;
            var hostname = root.TryGetProperty("hostname", out var h) ? h.GetString() : null;
            var score = root.TryGetProperty("score", out var sc) && sc.TryGetDouble(out var v) ? v : -1;
            var issued = root.TryGetProperty("challenge_ts", out var ts) &&
                DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
            var age = issued is null ? TimeSpan.MaxValue : clock.GetUtcNow() - issued.Value;

            return success && action == Action &&
                string.Equals(hostname, o.Hostname ?? requestHost, StringComparison.OrdinalIgnoreCase) &&
                score >= o.MinimumScore &&
                age >= TimeSpan.FromSeconds(-30) && age <= TimeSpan.FromSeconds(o.MaxTokenAgeSeconds);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            logger.LogWarning("reCAPTCHA verification failed: {Error}.", e.GetType().Name);
            return false;
        }
    }
}

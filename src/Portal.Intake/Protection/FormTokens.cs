using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Intake.Protection;

public enum FormTokenStatus
{
    Valid,

    /// <summary>Not made by us, altered, or for another language: treated as not from a person.</summary>
    Invalid,

    /// <summary>Made by us but too old: the person is asked to check and send again.</summary>
    Expired,

    /// <summary>Sent sooner after the form was shown than a person could fill it in.</summary>
    TooFast,
}

public sealed record FormTokenCheck(FormTokenStatus Status, string? Nonce, DateTimeOffset? IssuedAt);

/// <summary>
/// A signed, stateless form token: HMAC-SHA256 over the version, the time the form was shown, a
/// random nonce and the form's language. No cookie and no server state until it is used: the
/// nonce is recorded with the report it produced, so a second submission finds the first.
/// </summary>
public sealed class FormTokens(byte[] key, TimeProvider clock, TimeSpan maxAge, TimeSpan minAge)
{
    private const string Version = "1";

    public TimeSpan MaxAge { get; } = maxAge;

    public TimeSpan MinAge { get; } = minAge;

    public string Issue(string culture)
    {
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(16));
        var issued = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = string.Join('|', Version, issued, nonce, culture);
        return Base64Url(Encoding.UTF8.GetBytes(payload)) + "." + Base64Url(Sign(payload));
    }

    /// <summary>Issues a token that keeps the original issue time (for showing the form again after an error).</summary>
    public FormTokenCheck Check(string? token, string culture)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return new FormTokenCheck(FormTokenStatus.Invalid, null, null);
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryBase64Url(token[..dot], out var payloadBytes) || !TryBase64Url(token[(dot + 1)..], out var signature))
        {
            return new FormTokenCheck(FormTokenStatus.Invalid, null, null);
        }

        string payload;
        try
        {
            payload = new UTF8Encoding(false, true).GetString(payloadBytes);
        }
        catch (DecoderFallbackException)
        {
            return new FormTokenCheck(FormTokenStatus.Invalid, null, null);
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payload)))
        {
            return new FormTokenCheck(FormTokenStatus.Invalid, null, null);
        }

        var parts = payload.Split('|');
        if (parts.Length != 4 || parts[0] != Version || parts[3] != culture ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return new FormTokenCheck(FormTokenStatus.Invalid, null, null);
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var age = clock.GetUtcNow() - issued;
        var status = age > MaxAge ? FormTokenStatus.Expired
            : age < MinAge ? FormTokenStatus.TooFast
            : FormTokenStatus.Valid;
        return new FormTokenCheck(status, parts[2], issued);
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("form-token:" + payload));

    internal static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static bool TryBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length > 1024 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

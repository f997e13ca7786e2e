using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Web.Backoffice;

/// <summary>
/// Signed links that show one draft version to someone without an account, for seven days. The
/// token carries the version id and its own expiry, checked against the portal's clock.
/// </summary>
public sealed class PreviewLinks(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("backoffice-preview").ToTimeLimitedDataProtector();

    public (string Token, DateTimeOffset Expires) Create(long versionId)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        var payload = string.Create(CultureInfo.InvariantCulture, $"{versionId}|{expires.ToUnixTimeMilliseconds()}");
        // The protector's own expiry uses the system clock; it is a backstop to the one in the payload.
        return (_protector.Protect(payload, DateTimeOffset.UtcNow + Lifetime + TimeSpan.FromDays(1)), expires);
    }

    /// <summary>The version id, or null for a token that is forged, damaged or expired.</summary>
    public long? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000)
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var versionId)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresMs)
            || clock.GetUtcNow().ToUnixTimeMilliseconds() >= expiresMs)
        {
            return null;
        }

        return versionId;
    }
}

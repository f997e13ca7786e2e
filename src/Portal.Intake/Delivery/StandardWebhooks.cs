using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Intake.Delivery;

/// <summary>
/// Signing and verification per the Standard Webhooks specification (standardwebhooks.com):
/// HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c> with the secret that follows
/// <c>whsec_</c> (base64), sent as <c>webhook-signature: v1,{base64}</c>.
/// </summary>
public sealed class StandardWebhooks
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>How far a timestamp may be from the receiver's clock, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly byte[] _key;

    public StandardWebhooks(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            _key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new ArgumentException("The webhook secret must be 'whsec_' followed by base64.", nameof(secret));
        }

        if (_key.Length < 24)
        {
            throw new ArgumentException("The webhook secret must hold at least 24 random bytes.", nameof(secret));
        }
    }

    /// <summary>A new random secret in <c>whsec_</c> form.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <c>webhook-signature</c> value for one message.</summary>
    public string Sign(string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "v1," + Convert.ToBase64String(Mac(id, timestamp.ToString(CultureInfo.InvariantCulture), body));
    }

    /// <summary>
    /// Whether the headers prove the body came from the holder of the secret within the tolerance.
    /// Any of several space-separated <c>v1,</c> signatures may match (secrets being rotated).
    /// </summary>
    public bool Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)
            || id.Contains('.', StringComparison.Ordinal)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)Tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Mac(id, timestamp, body);
        Span<byte> given = stackalloc byte[64];
        foreach (var part in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            if (Convert.TryFromBase64String(part[3..], given, out var written) && written == expected.Length
                && CryptographicOperations.FixedTimeEquals(given[..written], expected))
            {
                return true;
            }
        }

        return false;
    }

    private byte[] Mac(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(id + "." + timestamp + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}

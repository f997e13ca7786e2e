using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Intake.Protection;

/// <summary>A challenge as sent to the browser (ALTCHA's shape: find the number behind a SHA-256 hash).</summary>
public sealed record PowChallenge(
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("challenge")] string Challenge,
    [property: JsonPropertyName("maxnumber")] int MaxNumber,
    [property: JsonPropertyName("salt")] string Salt,
    [property: JsonPropertyName("signature")] string Signature);

/// <summary>
/// Self-hosted proof of work: the server picks a secret number, sends SHA-256(salt + number) with
/// a signature and an expiry in the salt, and the browser searches for the number in a worker.
/// A solution proves the sender spent a little CPU; it never decides whether a person is heard.
/// </summary>
public sealed class ProofOfWork(byte[] key, TimeProvider clock, int maxNumber, TimeSpan lifetime)
{
    public int MaxNumber { get; } = maxNumber;

    public PowChallenge Create()
    {
        var expires = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) + "?expires=" + expires.ToString(CultureInfo.InvariantCulture);
        var secret = RandomNumberGenerator.GetInt32(0, MaxNumber + 1);
        var challenge = Hash(salt, secret);
        return new PowChallenge("SHA-256", challenge, MaxNumber, salt, Sign(challenge));
    }

    public string Serialize(PowChallenge challenge) => JsonSerializer.Serialize(challenge);

    /// <summary>The challenge string, when the solution is right, signed by us and not expired; else null.</summary>
    public string? Verify(string? challengeJson, string? number)
    {
        if (string.IsNullOrEmpty(challengeJson) || string.IsNullOrEmpty(number) ||
            !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        PowChallenge? c;
        try
        {
            c = JsonSerializer.Deserialize<PowChallenge>(challengeJson);
        }
        catch (JsonException)
        {
            return null;
        }

        if (c is null || c.Algorithm != "SHA-256" || c.Challenge is null || c.Salt is null || c.Signature is null ||
            n < 0 || n > c.MaxNumber)
        {
            return null;
        }

        var expectedSignature = Encoding.ASCII.GetBytes(Sign(c.Challenge));
        if (!CryptographicOperations.FixedTimeEquals(expectedSignature, Encoding.ASCII.GetBytes(c.Signature)))
        {
            return null;
        }

        var marker = c.Salt.IndexOf("?expires=", StringComparison.Ordinal);
        if (marker < 0 || !long.TryParse(c.Salt.AsSpan(marker + 9), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) ||
            clock.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return null;
        }

        return Hash(c.Salt, n) == c.Challenge ? c.Challenge : null;
    }

    private static string Hash(string salt, int number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + number.ToString(CultureInfo.InvariantCulture))));

    private string Sign(string challenge) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("pow:" + challenge)));
}

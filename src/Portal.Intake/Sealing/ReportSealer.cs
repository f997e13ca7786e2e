using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Intake.Sealing;

/// <summary>
/// Seals a report for the case system as a compact JWE (RFC 7516): RSA-OAEP-256 wraps a fresh
/// AES-256-GCM key per report. Only the public key is held, so nothing sealed here can be read here.
/// </summary>
public sealed class ReportSealer
{
    public const string Algorithm = "RSA-OAEP-256";
    public const string Encryption = "A256GCM";
    public const string ContentType = "application/vnd.daportal.case-report+json";

    internal const int KeySizeBytes = 32;
    internal const int IvSizeBytes = 12;
    internal const int TagSizeBytes = 16;

    private const int MinimumKeyBits = 2048;

    // Only the public half is kept, as bytes, and imported into RSA instances of our own (so the
    // caller may dispose the key it passed in). An RSA instance is not documented as safe for
    // concurrent use, so each concurrent Seal borrows one from the pool; importing a key costs more
    // than the encryption itself, so an instance is imported once and kept for reuse.
    private readonly byte[] _publicKeyInfo;
    private readonly ConcurrentBag<RSA> _idle = [];
    private readonly string _encodedHeader;
    private readonly byte[] _additionalData;

    public ReportSealer(RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.KeySize < MinimumKeyBits)
        {
            throw new ArgumentException($"The case system's key has {publicKey.KeySize} bits; at least {MinimumKeyBits} are required.", nameof(publicKey));
        }

        _publicKeyInfo = publicKey.ExportSubjectPublicKeyInfo();
        KeyId = ComputeKeyId(publicKey);
        var header = $$"""{"alg":"{{Algorithm}}","enc":"{{Encryption}}","kid":"{{KeyId}}","cty":"{{ContentType}}"}""";
        _encodedHeader = JweEncoding.Encode(Encoding.UTF8.GetBytes(header));
        _additionalData = Encoding.ASCII.GetBytes(_encodedHeader);
    }

    /// <summary>The RFC 7638 JWK SHA-256 thumbprint of the public key, base64url.</summary>
    public string KeyId { get; }

    /// <summary>Seals <paramref name="plaintext"/> with a random content key and IV.</summary>
    public string Seal(ReadOnlySpan<byte> plaintext)
    {
        Span<byte> cek = stackalloc byte[KeySizeBytes];
        Span<byte> iv = stackalloc byte[IvSizeBytes];
        RandomNumberGenerator.Fill(cek);
        RandomNumberGenerator.Fill(iv);
        try
        {
            return Seal(plaintext, cek, iv);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }

    /// <summary>Seals with a given content key and IV; for known-answer tests only. Never reuse an IV with a key.</summary>
    internal string Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> cek, ReadOnlySpan<byte> iv)
    {
        if (cek.Length != KeySizeBytes || iv.Length != IvSizeBytes)
        {
            throw new ArgumentException("A256GCM needs a 256-bit key and a 96-bit IV.");
        }

        var encryptedKey = WrapKey(cek);

        var (ciphertext, tag) = EncryptContent(cek, iv, _additionalData, plaintext);
        return string.Join('.', _encodedHeader, JweEncoding.Encode(encryptedKey), JweEncoding.Encode(iv), JweEncoding.Encode(ciphertext), JweEncoding.Encode(tag));
    }

    /// <summary>RSA-OAEP-256 encryption of the content key with a pooled instance of the public key.</summary>
    private byte[] WrapKey(ReadOnlySpan<byte> cek)
    {
        if (!_idle.TryTake(out var rsa))
        {
            rsa = ImportPublicKey();
        }

        byte[] encryptedKey;
        try
        {
            encryptedKey = rsa.Encrypt(cek, RSAEncryptionPadding.OaepSHA256);
        }
        catch
        {
            // Not returned to the pool: an instance that failed once is not trusted again.
            rsa.Dispose();
            throw;
        }

        _idle.Add(rsa);
        return encryptedKey;
    }

    private RSA ImportPublicKey()
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(_publicKeyInfo, out _);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>The AES-GCM step of RFC 7516 §5.1 (steps 15–16) with a 128-bit tag.</summary>
    internal static (byte[] Ciphertext, byte[] Tag) EncryptContent(ReadOnlySpan<byte> cek, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> additionalData, ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSizeBytes];
        using var aes = new AesGcm(cek, TagSizeBytes);
        aes.Encrypt(iv, plaintext, ciphertext, tag, additionalData);
        return (ciphertext, tag);
    }

    /// <summary>RFC 7638 thumbprint of an RSA key's public half: SHA-256 of {"e","kty","n"} in that order, base64url.</summary>
    public static string ComputeKeyId(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var json = $$"""{"e":"{{JweEncoding.Encode(TrimLeadingZeros(parameters.Exponent))}}","kty":"RSA","n":"{{JweEncoding.Encode(TrimLeadingZeros(parameters.Modulus))}}"}""";
        return JweEncoding.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    // JWK integers are unsigned big-endian in the fewest octets (RFC 7518 §6.3.1).
    private static ReadOnlySpan<byte> TrimLeadingZeros(byte[]? value)
    {
        ReadOnlySpan<byte> span = value ?? throw new ArgumentException("The key has no public parameters.");
        var first = span.IndexOfAnyExcept((byte)0);
        return first < 0 ? span[^1..] : span[first..];
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Intake.Sealing;

/// <summary>
/// Opens compact JWEs on the case system. Accepts RSA-OAEP-256 (what <see cref="ReportSealer"/> writes)
/// and RSA-OAEP, with A256GCM or A128GCM; everything else, and any failure, is a <see cref="SealedReportException"/>.
/// </summary>
public static class ReportOpener
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public static byte[] Open(string compactJwe, RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var parts = Split(compactJwe);
        var header = ParseHeader(parts[0]);

        var padding = header.Alg switch
        {
            "RSA-OAEP-256" => RSAEncryptionPadding.OaepSHA256,
            "RSA-OAEP" => RSAEncryptionPadding.OaepSHA1,
            _ => throw new SealedReportException($"Unsupported key management algorithm '{header.Alg}'."),
        };
        var keySize = header.Enc switch
        {
            "A256GCM" => 32,
            "A128GCM" => 16,
            _ => throw new SealedReportException($"Unsupported content encryption '{header.Enc}'."),
        };

        var encryptedKey = JweEncoding.Decode(parts[1], "encrypted key");
        var iv = JweEncoding.Decode(parts[2], "initialization vector");
        var ciphertext = JweEncoding.Decode(parts[3], "ciphertext");
        var tag = JweEncoding.Decode(parts[4], "authentication tag");
        if (iv.Length != ReportSealer.IvSizeBytes || tag.Length != ReportSealer.TagSizeBytes)
        {
            throw new SealedReportException("The initialization vector or authentication tag has the wrong length.");
        }

        byte[] cek;
        try
        {
            cek = privateKey.Decrypt(encryptedKey, padding);
        }
        catch (CryptographicException)
        {
            throw new SealedReportException("The report was not sealed for this key, or its encrypted key was altered.");
        }

        try
        {
            if (cek.Length != keySize)
            {
                throw new SealedReportException("The content key has the wrong length.");
            }

            var plaintext = new byte[ciphertext.Length];
            using var aes = new AesGcm(cek, ReportSealer.TagSizeBytes);
            aes.Decrypt(iv, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(parts[0]));
            return plaintext;
        }
        catch (CryptographicException)
        {
            throw new SealedReportException("The report has been altered: its authentication tag does not match.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }

    /// <summary>Reads the protected header without opening anything, e.g. to pick the key by <c>kid</c>.</summary>
    public static JweHeader ReadHeader(string compactJwe) => ParseHeader(Split(compactJwe)[0]);

    private static string[] Split(string compactJwe)
    {
        ArgumentNullException.ThrowIfNull(compactJwe);
        var parts = compactJwe.Split('.');
        if (parts.Length != 5)
        {
            throw new SealedReportException("A sealed report has exactly five parts separated by dots.");
        }

        return parts;
    }

    private static JweHeader ParseHeader(string encodedHeader)
    {
        var bytes = JweEncoding.Decode(encodedHeader, "protected header");
        try
        {
            using var document = JsonDocument.Parse(bytes, StrictJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SealedReportException("The protected header is not a JSON object.");
            }

            // We implement no extensions and no compression, so a header asking for either cannot be honoured.
            if (root.TryGetProperty("crit", out _) || root.TryGetProperty("zip", out _))
            {
                throw new SealedReportException("The protected header asks for extensions or compression, which are not supported.");
            }

            return new JweHeader(
                Member(root, "alg") ?? throw new SealedReportException("The protected header has no 'alg'."),
                Member(root, "enc") ?? throw new SealedReportException("The protected header has no 'enc'."),
                Member(root, "kid"),
                Member(root, "cty"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new SealedReportException("The protected header is not valid JSON.");
        }
    }

    private static string? Member(JsonElement header, string name)
    {
        if (!header.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new SealedReportException($"The protected header's '{name}' is not a string.");
    }
}

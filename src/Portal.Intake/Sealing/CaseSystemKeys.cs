using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Portal.Intake.Sealing;

/// <summary>
/// The case system's RSA key pair as PEM files. The web server is given the public key only;
/// the private key stays with the case system, which alone can open reports.
/// </summary>
public static class CaseSystemKeys
{
    public const string PrivateKeyFileName = "case-system-private.pem";
    public const string PublicKeyFileName = "case-system-public.pem";
    public const string DevelopmentKeysFolder = "dev-keys";

    private const int MinimumKeyBits = 2048;

    /// <summary>Loads a public key ("PUBLIC KEY" or "RSA PUBLIC KEY") from PEM text or from the path of a PEM file.</summary>
    public static RSA LoadPublicKey(string pemOrPath)
    {
        var (label, der) = ReadPem(pemOrPath, "public");
        return label switch
        {
            "PUBLIC KEY" => Import(der, (rsa, bytes) => { rsa.ImportSubjectPublicKeyInfo(bytes, out var read); return read; }),
            "RSA PUBLIC KEY" => Import(der, (rsa, bytes) => { rsa.ImportRSAPublicKey(bytes, out var read); return read; }),
            "PRIVATE KEY" or "RSA PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" =>
                throw new ArgumentException("This is a private key. Give the web server the case system's public key; the private key must stay with the case system."),
            _ => throw new ArgumentException($"Expected a PEM 'PUBLIC KEY', found '{label}'."),
        };
    }

    /// <summary>Loads a private key ("PRIVATE KEY", PKCS#8, or "RSA PRIVATE KEY") from PEM text or from the path of a PEM file.</summary>
    public static RSA LoadPrivateKey(string pemOrPath)
    {
        var (label, der) = ReadPem(pemOrPath, "private");
        try
        {
            return label switch
            {
                "PRIVATE KEY" => Import(der, (rsa, bytes) => { rsa.ImportPkcs8PrivateKey(bytes, out var read); return read; }),
                "RSA PRIVATE KEY" => Import(der, (rsa, bytes) => { rsa.ImportRSAPrivateKey(bytes, out var read); return read; }),
                "ENCRYPTED PRIVATE KEY" => throw new ArgumentException("Password-protected private keys are not supported; decrypt it to a PKCS#8 'PRIVATE KEY' first."),
                _ => throw new ArgumentException($"Expected a PEM 'PRIVATE KEY', found '{label}'."),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>
    /// Writes a new pair to <paramref name="directory"/>: <c>case-system-private.pem</c> (PKCS#8, owner-only on Unix)
    /// and <c>case-system-public.pem</c> (SubjectPublicKeyInfo). Existing files are never overwritten.
    /// </summary>
    public static void GenerateKeyPair(string directory, int bits = 3072)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (bits < MinimumKeyBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"Keys must have at least {MinimumKeyBits} bits.");
        }

        var privatePath = Path.Combine(directory, PrivateKeyFileName);
        var publicPath = Path.Combine(directory, PublicKeyFileName);
        foreach (var path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path))
            {
                throw new IOException($"{path} already exists; refusing to overwrite a key.");
            }
        }

        Directory.CreateDirectory(directory);
        using var rsa = RSA.Create(bits);
        // The private file is created owner-only rather than chmod-ed afterwards, so it is never readable by others.
        Write(privatePath, rsa.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(publicPath, rsa.ExportSubjectPublicKeyInfoPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>
    /// For development only: uses, or creates once, a pair under <c>{dataDirectory}/dev-keys</c> and returns its public key.
    /// Logs a warning either way, since a real deployment must not seal to a key that sits on the web server.
    /// </summary>
    public static RSA EnsureDevelopmentKeys(string dataDirectory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(logger);
        var directory = Path.Combine(dataDirectory, DevelopmentKeysFolder);
        var publicPath = Path.Combine(directory, PublicKeyFileName);
        if (!File.Exists(publicPath))
        {
            GenerateKeyPair(directory);
            logger.LogWarning(
                "Development keys were generated in {Directory}. A real deployment must configure the case system's public key and keep the private key off the web server.",
                Path.GetFullPath(directory));
        }
        else
        {
            logger.LogWarning(
                "Reports are sealed with the development keys in {Directory}. A real deployment must configure the case system's public key and keep the private key off the web server.",
                Path.GetFullPath(directory));
        }

        return LoadPublicKey(publicPath);
    }

    private static (string Label, byte[] Der) ReadPem(string pemOrPath, string kind)
    {
        ArgumentNullException.ThrowIfNull(pemOrPath);
        var text = pemOrPath;
        if (!pemOrPath.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            if (!File.Exists(pemOrPath))
            {
                // Echo only what looks like a path: a mangled key must not end up in a log or a terminal.
                var shown = pemOrPath.Length <= 260 && !pemOrPath.Contains('\n', StringComparison.Ordinal) ? $" '{pemOrPath}'" : "";
                throw new ArgumentException($"The {kind} key{shown} is neither PEM text nor the path of an existing PEM file.");
            }

            text = File.ReadAllText(pemOrPath);
        }

        if (!PemEncoding.TryFind(text, out var fields))
        {
            throw new ArgumentException($"The {kind} key is not valid PEM.");
        }

        var label = text[fields.Label];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan(fields.Base64Data), der, out var written) || written != der.Length)
        {
            throw new ArgumentException($"The {kind} key is not valid PEM.");
        }

        return (label, der);
    }

    private static RSA Import(byte[] der, Func<RSA, byte[], int> import)
    {
        var rsa = RSA.Create();
        try
        {
            if (import(rsa, der) != der.Length)
            {
                throw new ArgumentException("The PEM block has trailing data after the key.");
            }

            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            throw new ArgumentException("The PEM block does not hold a valid RSA key.");
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static void Write(string path, string pem, UnixFileMode unixMode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
        writer.Write(pem.ReplaceLineEndings("\n"));
        writer.Write('\n');
        writer.Flush();
        if (!OperatingSystem.IsWindows())
        {
            // The umask may have taken bits away at creation; the mode is meant to be exact.
            File.SetUnixFileMode(path, unixMode);
        }
    }
}

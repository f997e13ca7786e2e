using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Portal.Intake.Sealing;

namespace Portal.Intake.Tests.Sealing;

public class CaseSystemKeysTests
{
    [Fact]
    public void GenerateKeyPair_WritesPkcs8PrivateAndSpkiPublic()
    {
        using var dir = new TempDirectory();

        CaseSystemKeys.GenerateKeyPair(dir.Path, 2048);

        var privatePem = File.ReadAllText(dir.File("case-system-private.pem"));
        var publicPem = File.ReadAllText(dir.File("case-system-public.pem"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", privatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", publicPem, StringComparison.Ordinal);
        using var privateKey = CaseSystemKeys.LoadPrivateKey(dir.File("case-system-private.pem"));
        using var publicKey = CaseSystemKeys.LoadPublicKey(dir.File("case-system-public.pem"));
        Assert.Equal(2048, privateKey.KeySize);
        Assert.Equal(ReportSealer.ComputeKeyId(privateKey), ReportSealer.ComputeKeyId(publicKey));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("case-system-private.pem")));
        }
    }

    [Fact]
    public void GenerateKeyPair_FilesExist_ThrowsAndKeepsThem()
    {
        using var dir = new TempDirectory();
        CaseSystemKeys.GenerateKeyPair(dir.Path, 2048);
        var before = File.ReadAllText(dir.File("case-system-private.pem"));

        var error = Assert.Throws<IOException>(() => CaseSystemKeys.GenerateKeyPair(dir.Path, 2048));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(dir.File("case-system-private.pem")));
    }

    [Fact]
    public void GenerateKeyPair_TooFewBits_Throws()
    {
        using var dir = new TempDirectory();

        Assert.Throws<ArgumentOutOfRangeException>(() => CaseSystemKeys.GenerateKeyPair(dir.Path, 1024));
    }

    [Fact]
    public void LoadKeys_FromPemTextOrPath_AreTheSameKey()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("public.pem"), TestKeys.Shared.ExportSubjectPublicKeyInfoPem());
        var expected = ReportSealer.ComputeKeyId(TestKeys.Shared);

        using var fromText = CaseSystemKeys.LoadPublicKey(TestKeys.Shared.ExportSubjectPublicKeyInfoPem());
        using var fromPath = CaseSystemKeys.LoadPublicKey(dir.File("public.pem"));
        using var privateFromText = CaseSystemKeys.LoadPrivateKey(TestKeys.Shared.ExportPkcs8PrivateKeyPem());

        Assert.Equal(expected, ReportSealer.ComputeKeyId(fromText));
        Assert.Equal(expected, ReportSealer.ComputeKeyId(fromPath));
        Assert.Equal(expected, ReportSealer.ComputeKeyId(privateFromText));
    }

    [Fact]
    public void LoadKeys_Pkcs1Labels_AreAccepted()
    {
        using var publicKey = CaseSystemKeys.LoadPublicKey(TestKeys.Shared.ExportRSAPublicKeyPem());
        using var privateKey = CaseSystemKeys.LoadPrivateKey(TestKeys.Shared.ExportRSAPrivateKeyPem());
        var sealer = new ReportSealer(publicKey);

        Assert.Equal([1, 2, 3], ReportOpener.Open(sealer.Seal([1, 2, 3]), privateKey));
    }

    [Fact]
    public void LoadPublicKey_PrivateKeyPem_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => CaseSystemKeys.LoadPublicKey(TestKeys.Shared.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPrivateKey_PublicKeyPem_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => CaseSystemKeys.LoadPrivateKey(TestKeys.Shared.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void LoadPublicKey_NeitherPemNorFile_SaysSo()
    {
        var error = Assert.Throws<ArgumentException>(() => CaseSystemKeys.LoadPublicKey("/no/such/key.pem"));

        Assert.Contains("neither PEM text nor the path of an existing PEM file", error.Message, StringComparison.Ordinal);
        Assert.Contains("/no/such/key.pem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPublicKey_BrokenPem_SaysSo()
    {
        Assert.Throws<ArgumentException>(() => CaseSystemKeys.LoadPublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        Assert.Throws<ArgumentException>(() => CaseSystemKeys.LoadPublicKey("-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n"));
    }

    [Fact]
    public void EnsureDevelopmentKeys_CreatesOnceThenReuses_AndWarns()
    {
        using var dir = new TempDirectory();
        var logger = new CapturingLogger();

        using var first = CaseSystemKeys.EnsureDevelopmentKeys(dir.Path, logger);
        var privateText = File.ReadAllText(Path.Combine(dir.Path, "dev-keys", "case-system-private.pem"));
        using var second = CaseSystemKeys.EnsureDevelopmentKeys(dir.Path, logger);

        Assert.True(File.Exists(Path.Combine(dir.Path, "dev-keys", "case-system-public.pem")));
        Assert.Equal(privateText, File.ReadAllText(Path.Combine(dir.Path, "dev-keys", "case-system-private.pem")));
        Assert.Equal(ReportSealer.ComputeKeyId(first), ReportSealer.ComputeKeyId(second));
        Assert.Throws<CryptographicException>(() => first.ExportParameters(includePrivateParameters: true));
        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Contains("Development keys were generated", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("keep the private key off the web server", logger.Entries[0].Message, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}

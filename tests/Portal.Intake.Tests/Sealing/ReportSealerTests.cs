using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Intake.Sealing;

namespace Portal.Intake.Tests.Sealing;

public class ReportSealerTests
{
    private static readonly byte[] Report = Encoding.UTF8.GetBytes("""{"name":"Ann","message":"Please call after 6pm. Zażółć gęślą jaźń"}""");

    [Fact]
    public void Seal_ThenOpen_ReturnsPlaintext()
    {
        var sealer = new ReportSealer(TestKeys.Shared);

        var sealedReport = sealer.Seal(Report);

        Assert.Equal(Report, ReportOpener.Open(sealedReport, TestKeys.Shared));
    }

    [Fact]
    public void Seal_EmptyPlaintext_RoundTrips()
    {
        var sealer = new ReportSealer(TestKeys.Shared);

        Assert.Empty(ReportOpener.Open(sealer.Seal([]), TestKeys.Shared));
    }

    [Fact]
    public void Seal_WithPublicKeyOnly_OpensWithPrivateKey()
    {
        using var publicOnly = RSA.Create();
        publicOnly.ImportSubjectPublicKeyInfo(TestKeys.Shared.ExportSubjectPublicKeyInfo(), out _);
        var sealer = new ReportSealer(publicOnly);

        Assert.Equal(Report, ReportOpener.Open(sealer.Seal(Report), TestKeys.Shared));
    }

    [Fact]
    public void Seal_Header_IsExactlyAsSpecified()
    {
        var sealer = new ReportSealer(TestKeys.Shared);

        var parts = sealer.Seal(Report).Split('.');

        Assert.Equal(5, parts.Length);
        Assert.Equal(
            $$"""{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{{sealer.KeyId}}","cty":"application/vnd.daportal.case-report+json"}""",
            Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])));
        Assert.Equal(256, Base64Url.DecodeFromChars(parts[1]).Length);
        Assert.Equal(12, Base64Url.DecodeFromChars(parts[2]).Length);
        Assert.Equal(Report.Length, Base64Url.DecodeFromChars(parts[3]).Length);
        Assert.Equal(16, Base64Url.DecodeFromChars(parts[4]).Length);
        Assert.Equal(
            new JweHeader("RSA-OAEP-256", "A256GCM", sealer.KeyId, ReportSealer.ContentType),
            ReportOpener.ReadHeader(sealer.Seal(Report)));
    }

    [Fact]
    public void Seal_SamePlaintextTwice_Differs()
    {
        var sealer = new ReportSealer(TestKeys.Shared);

        var first = sealer.Seal(Report).Split('.');
        var second = sealer.Seal(Report).Split('.');

        Assert.Equal(first[0], second[0]);
        Assert.NotEqual(first[1], second[1]);
        Assert.NotEqual(first[2], second[2]);
        Assert.NotEqual(first[3], second[3]);
        Assert.NotEqual(first[4], second[4]);
    }

    [Fact]
    public void Seal_WithGivenCekAndIv_UsesThem()
    {
        var sealer = new ReportSealer(TestKeys.Shared);
        var cek = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var iv = Enumerable.Range(100, 12).Select(i => (byte)i).ToArray();

        var parts = sealer.Seal(Report, cek, iv).Split('.');

        Assert.Equal(cek, TestKeys.Shared.Decrypt(Base64Url.DecodeFromChars(parts[1]), RSAEncryptionPadding.OaepSHA256));
        Assert.Equal(iv, Base64Url.DecodeFromChars(parts[2]));
        using var aes = new AesGcm(cek, 16);
        var plaintext = new byte[Report.Length];
        aes.Decrypt(iv, Base64Url.DecodeFromChars(parts[3]), Base64Url.DecodeFromChars(parts[4]), plaintext, Encoding.ASCII.GetBytes(parts[0]));
        Assert.Equal(Report, plaintext);
    }

    [Fact]
    public void Seal_ConcurrentCalls_AllOpen()
    {
        var sealer = new ReportSealer(TestKeys.Shared);
        var sealedReports = new string[64];

        Parallel.For(0, sealedReports.Length, i => sealedReports[i] = sealer.Seal(Encoding.UTF8.GetBytes($$"""{"n":{{i}}}""")));

        for (var i = 0; i < sealedReports.Length; i++)
        {
            Assert.Equal($$"""{"n":{{i}}}""", Encoding.UTF8.GetString(ReportOpener.Open(sealedReports[i], TestKeys.Shared)));
        }

        Assert.Equal(sealedReports.Length, sealedReports.Distinct().Count());
    }

    [Fact]
    public void Constructor_KeyUnder2048Bits_Throws()
    {
        using var small = RSA.Create(1024);

        Assert.Throws<ArgumentException>(() => new ReportSealer(small));
    }

    [Fact]
    public void ComputeKeyId_Rfc7638Example_MatchesPublishedThumbprint()
    {
        using var key = TestKeys.Rfc7638Example();

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", ReportSealer.ComputeKeyId(key));
    }

    [Fact]
    public void KeyId_IsTheRfc7638ThumbprintOfThePublicKey()
    {
        var parameters = TestKeys.Shared.ExportParameters(false);
        // RFC 7638 §3.2: required members only, in lexicographic order, no whitespace.
        var canonical = JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kty"] = "RSA",
            ["n"] = Base64Url.EncodeToString(parameters.Modulus!.AsSpan().TrimStart((byte)0)),
            ["e"] = Base64Url.EncodeToString(parameters.Exponent!.AsSpan().TrimStart((byte)0)),
        });
        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.StartsWith("""{"e":"AQAB","kty":"RSA","n":""", canonical, StringComparison.Ordinal);
        Assert.Equal(expected, new ReportSealer(TestKeys.Shared).KeyId);
    }
}

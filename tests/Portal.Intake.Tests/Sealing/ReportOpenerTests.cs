using System.Buffers.Text;
using System.Text;
using Portal.Intake.Sealing;

namespace Portal.Intake.Tests.Sealing;

public class ReportOpenerTests
{
    private static readonly byte[] Report = Encoding.UTF8.GetBytes("""{"message":"call me on Tuesday"}""");

    private static string Sealed() => new ReportSealer(TestKeys.Shared).Seal(Report);

    private static string Base64UrlJson(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string WithHeader(string headerJson)
    {
        var parts = Sealed().Split('.');
        parts[0] = Base64UrlJson(headerJson);
        return string.Join('.', parts);
    }

    // Replaces one character by another from the base64url alphabet.
    private static string Flip(string compact, int part, int index)
    {
        var parts = compact.Split('.');
        var chars = parts[part].ToCharArray();
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        parts[part] = new string(chars);
        return string.Join('.', parts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Open_OneCharacterChangedInAnyPart_Throws(int part)
    {
        var compact = Sealed();
        var length = compact.Split('.')[part].Length;

        foreach (var index in new[] { 0, length / 2, length - 1 })
        {
            Assert.Throws<SealedReportException>(() => ReportOpener.Open(Flip(compact, part, index), TestKeys.Shared));
        }
    }

    [Fact]
    public void Open_TagWithChangedSpareBits_Throws()
    {
        // A 16-byte tag is 22 base64url characters; the last one carries 4 unused bits.
        var parts = Sealed().Split('.');
        var last = parts[4][^1];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        parts[4] = parts[4][..^1] + alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) ^ 1];

        Assert.Throws<SealedReportException>(() => ReportOpener.Open(string.Join('.', parts), TestKeys.Shared));
    }

    [Fact]
    public void Open_WrongPrivateKey_Throws()
    {
        Assert.Throws<SealedReportException>(() => ReportOpener.Open(Sealed(), TestKeys.Other));
    }

    [Fact]
    public void Open_WrongKeyOfAnotherSize_Throws()
    {
        using var other = System.Security.Cryptography.RSA.Create(3072);

        Assert.Throws<SealedReportException>(() => ReportOpener.Open(Sealed(), other));
    }

    [Fact]
    public void Open_PublicKeyOnly_Throws()
    {
        using var publicOnly = System.Security.Cryptography.RSA.Create();
        publicOnly.ImportSubjectPublicKeyInfo(TestKeys.Shared.ExportSubjectPublicKeyInfo(), out _);

        Assert.Throws<SealedReportException>(() => ReportOpener.Open(Sealed(), publicOnly));
    }

    [Theory]
    [InlineData("""{"alg":"none","enc":"A256GCM"}""")]
    [InlineData("""{"alg":"dir","enc":"A256GCM"}""")]
    [InlineData("""{"alg":"RSA1_5","enc":"A256GCM"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"none"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256"}""")]
    [InlineData("""{"enc":"A256GCM"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":"DEF"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","crit":["exp"],"exp":1}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","alg":"none","enc":"A256GCM"}""")]
    [InlineData("""{"alg":256,"enc":"A256GCM"}""")]
    [InlineData("""["RSA-OAEP-256","A256GCM"]""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM",}""")]
    public void Open_UnsupportedOrInvalidHeader_Throws(string headerJson)
    {
        Assert.Throws<SealedReportException>(() => ReportOpener.Open(WithHeader(headerJson), TestKeys.Shared));
    }

    [Fact]
    public void Open_DirWithEmptyEncryptedKey_Throws()
    {
        var parts = Sealed().Split('.');
        parts[0] = Base64UrlJson("""{"alg":"dir","enc":"A256GCM"}""");
        parts[1] = "";

        Assert.Throws<SealedReportException>(() => ReportOpener.Open(string.Join('.', parts), TestKeys.Shared));
    }

    [Fact]
    public void Open_ValidHeaderWithOtherMembers_FailsAuthentication()
    {
        // Same algorithms, different header bytes: the header is authenticated data, so this must not open.
        var header = ReportOpener.ReadHeader(Sealed());
        var altered = WithHeader($$"""{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{{header.Kid}}"}""");

        Assert.Throws<SealedReportException>(() => ReportOpener.Open(altered, TestKeys.Shared));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("....")]
    [InlineData(".....")]
    [InlineData("a.b.c.d")]
    [InlineData("a.b.c.d.e")]
    [InlineData("a.b.c.d.e.f")]
    [InlineData("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ....")]
    public void Open_Malformed_Throws(string compact)
    {
        Assert.Throws<SealedReportException>(() => ReportOpener.Open(compact, TestKeys.Shared));
    }

    [Fact]
    public void Open_FourOrSixParts_Throws()
    {
        var parts = Sealed().Split('.');

        Assert.Throws<SealedReportException>(() => ReportOpener.Open(string.Join('.', parts[..4]), TestKeys.Shared));
        Assert.Throws<SealedReportException>(() => ReportOpener.Open(string.Join('.', [.. parts, parts[4]]), TestKeys.Shared));
    }

    [Fact]
    public void Open_WhitespaceOrPaddingInsideAPart_Throws()
    {
        var parts = Sealed().Split('.');
        var padded = (string[])parts.Clone();
        padded[4] += "==";
        var spaced = (string[])parts.Clone();
        spaced[3] = spaced[3][..4] + " " + spaced[3][4..];

        Assert.Throws<SealedReportException>(() => ReportOpener.Open(string.Join('.', padded), TestKeys.Shared));
        Assert.Throws<SealedReportException>(() => ReportOpener.Open(string.Join('.', spaced), TestKeys.Shared));
    }

    [Fact]
    public void Open_A128Gcm_Opens()
    {
        // Built by hand: the sealer only writes A256GCM, the opener also reads A128GCM.
        var cek = Enumerable.Range(0, 16).Select(i => (byte)(i * 7)).ToArray();
        var iv = Enumerable.Range(0, 12).Select(i => (byte)(i + 1)).ToArray();
        var header = Base64UrlJson("""{"alg":"RSA-OAEP-256","enc":"A128GCM"}""");
        var (ciphertext, tag) = ReportSealer.EncryptContent(cek, iv, Encoding.ASCII.GetBytes(header), Report);
        var encryptedKey = TestKeys.Shared.Encrypt(cek, System.Security.Cryptography.RSAEncryptionPadding.OaepSHA256);
        var compact = string.Join('.', header, Base64Url.EncodeToString(encryptedKey), Base64Url.EncodeToString(iv), Base64Url.EncodeToString(ciphertext), Base64Url.EncodeToString(tag));

        Assert.Equal(Report, ReportOpener.Open(compact, TestKeys.Shared));
    }

    [Fact]
    public void ReadHeader_Malformed_Throws()
    {
        Assert.Throws<SealedReportException>(() => ReportOpener.ReadHeader("not a jwe"));
        Assert.Throws<SealedReportException>(() => ReportOpener.ReadHeader("%%%.a.b.c.d"));
    }
}

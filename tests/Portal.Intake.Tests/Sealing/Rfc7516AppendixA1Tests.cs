using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Portal.Intake.Sealing;

namespace Portal.Intake.Tests.Sealing;

/// <summary>RFC 7516 Appendix A.1: RSAES-OAEP and AES-256-GCM.</summary>
public class Rfc7516AppendixA1Tests
{
    private const string Plaintext = "The true sign of intelligence is not knowledge but imagination.";
    private const string ProtectedHeader = """{"alg":"RSA-OAEP","enc":"A256GCM"}""";
    private const string EncodedHeader = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ";

    private const string EncryptedKey =
        "OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe" +
        "ipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDb" +
        "Sv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaV" +
        "mqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je8" +
        "1860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi" +
        "6UklfCpIMfIjf7iGdXKHzg";

    private const string Iv = "48V1_ALb6US04U3b";
    private const string Ciphertext = "5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji" + "SdiwkIr3ajwQzaBtQD_A";
    private const string Tag = "XFBoMYUZodetZdvTiFvSkQ";
    private const string Compact = EncodedHeader + "." + EncryptedKey + "." + Iv + "." + Ciphertext + "." + Tag;

    private static readonly byte[] Cek =
    [
        177, 161, 244, 128, 84, 143, 225, 115, 63, 180, 3, 255, 107, 154, 212, 246,
        138, 7, 110, 91, 112, 46, 34, 105, 47, 130, 203, 46, 122, 234, 64, 252,
    ];

    private static readonly byte[] IvBytes = [227, 197, 117, 252, 2, 219, 233, 68, 180, 225, 77, 219];

    [Fact]
    public void Open_Rfc7516AppendixA1_ReturnsPlaintext()
    {
        using var key = TestKeys.Rfc7516AppendixA1();

        var opened = ReportOpener.Open(Compact, key);

        Assert.Equal(Plaintext, Encoding.UTF8.GetString(opened));
    }

    [Fact]
    public void ReadHeader_Rfc7516AppendixA1_ReturnsAlgAndEnc()
    {
        Assert.Equal(EncodedHeader, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ProtectedHeader)));
        Assert.Equal(new JweHeader("RSA-OAEP", "A256GCM", null, null), ReportOpener.ReadHeader(Compact));
    }

    [Fact]
    public void EncryptedKey_Rfc7516AppendixA1_UnwrapsToTheAppendixCek()
    {
        using var key = TestKeys.Rfc7516AppendixA1();

        var cek = key.Decrypt(Base64Url.DecodeFromChars(EncryptedKey), RSAEncryptionPadding.OaepSHA1);

        Assert.Equal(Cek, cek);
    }

    [Fact]
    public void EncryptContent_Rfc7516AppendixA1_GivesTheAppendixCiphertextAndTag()
    {
        Assert.Equal(Iv, Base64Url.EncodeToString(IvBytes));
        var aad = Encoding.ASCII.GetBytes(EncodedHeader);

        var (ciphertext, tag) = ReportSealer.EncryptContent(Cek, IvBytes, aad, Encoding.UTF8.GetBytes(Plaintext));

        Assert.Equal(Ciphertext, Base64Url.EncodeToString(ciphertext));
        Assert.Equal(Tag, Base64Url.EncodeToString(tag));
    }
}

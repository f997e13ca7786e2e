using System.Text;
using Portal.Intake.Delivery;

namespace Portal.Intake.Tests.Delivery;

/// <summary>
/// Signing and verification against the vector published with the Standard Webhooks specification, and the
/// cases its reference libraries test (C#, Go, JavaScript, Python): missing headers, invalid and partial
/// signatures, several signatures, other version prefixes, timestamps outside the tolerance, bad timestamps,
/// and the secret with or without its <c>whsec_</c> prefix.
/// </summary>
public class StandardWebhooksTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string UnprefixedSecret = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string TimestampText = "1614265330";
    private const string Payload = """{"test": 2432232314}""";
    private const string ExpectedSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    private static byte[] Body => Encoding.UTF8.GetBytes(Payload);

    private static StandardWebhooks Webhooks => new(Secret);

    [Fact]
    public void Sign_PublishedVector_GivesPublishedSignature()
    {
        Assert.Equal(ExpectedSignature, Webhooks.Sign(MessageId, Timestamp, Body));
    }

    [Fact]
    public void Verify_PublishedVector_AtItsTimestamp_Accepts()
    {
        Assert.True(Webhooks.Verify(MessageId, TimestampText, ExpectedSignature, Body, SignedAt));
    }

    [Theory]
    [InlineData(Secret)]
    [InlineData(UnprefixedSecret)]
    public void Secret_WithOrWithoutPrefix_SignsAndVerifiesAlike(string secret)
    {
        var webhooks = new StandardWebhooks(secret);

        Assert.Equal(ExpectedSignature, webhooks.Sign(MessageId, Timestamp, Body));
        Assert.True(webhooks.Verify(MessageId, TimestampText, ExpectedSignature, Body, SignedAt));
    }

    [Theory]
    [InlineData(null, TimestampText, ExpectedSignature)]
    [InlineData("", TimestampText, ExpectedSignature)]
    [InlineData(MessageId, null, ExpectedSignature)]
    [InlineData(MessageId, "", ExpectedSignature)]
    [InlineData(MessageId, TimestampText, null)]
    [InlineData(MessageId, TimestampText, "")]
    public void Verify_MissingHeader_Rejects(string? id, string? timestamp, string? signature)
    {
        Assert.False(Webhooks.Verify(id, timestamp, signature, Body, SignedAt));
    }

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=")]
    [InlineData("v1,dawfeoifkpqwoekfpqoekf")]
    [InlineData("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")]
    [InlineData("v1,not base64 at all")]
    [InlineData(ExpectedSignature + "AAAA")]
    public void Verify_InvalidSignature_Rejects(string signature)
    {
        Assert.False(Webhooks.Verify(MessageId, TimestampText, signature, Body, SignedAt));
    }

    [Theory]
    [InlineData("v1,g0hM9")]
    [InlineData("v1,")]
    [InlineData("v1")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlN")]
    [InlineData(" ")]
    public void Verify_PartialSignature_Rejects(string signature)
    {
        Assert.False(Webhooks.Verify(MessageId, TimestampText, signature, Body, SignedAt));
    }

    [Fact]
    public void Verify_SeveralSignatures_OneValid_Accepts()
    {
        var signatures = string.Join(' ',
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            ExpectedSignature,
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");

        Assert.True(Webhooks.Verify(MessageId, TimestampText, signatures, Body, SignedAt));
    }

    [Fact]
    public void Verify_SeveralSignatures_NoneValid_Rejects()
    {
        var signatures = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

        Assert.False(Webhooks.Verify(MessageId, TimestampText, signatures, Body, SignedAt));
    }

    [Theory]
    [InlineData("v2,")]
    [InlineData("v1a,")]
    [InlineData("V1,")]
    [InlineData("v0,")]
    [InlineData("v1 ")]
    [InlineData("")]
    public void Verify_ValidMacUnderAnotherVersionPrefix_IsIgnored(string prefix)
    {
        var mac = ExpectedSignature["v1,".Length..];

        Assert.False(Webhooks.Verify(MessageId, TimestampText, prefix + mac, Body, SignedAt));
    }

    [Theory]
    [InlineData(-(5 * 60 + 1))]
    [InlineData(5 * 60 + 1)]
    [InlineData(-6 * 60)]
    [InlineData(6 * 60)]
    [InlineData(-86_400)]
    [InlineData(86_400)]
    public void Verify_TimestampOutsideFiveMinutes_Rejects(int offsetSeconds)
    {
        var signedAt = Timestamp + offsetSeconds;
        var signature = Webhooks.Sign(MessageId, signedAt, Body);

        Assert.False(Webhooks.Verify(MessageId, signedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, SignedAt));
    }

    [Theory]
    [InlineData(-4 * 60)]
    [InlineData(4 * 60)]
    [InlineData(-5 * 60)]
    [InlineData(5 * 60)]
    [InlineData(0)]
    public void Verify_TimestampWithinFiveMinutes_Accepts(int offsetSeconds)
    {
        var signedAt = Timestamp + offsetSeconds;
        var signature = Webhooks.Sign(MessageId, signedAt, Body);

        Assert.True(Webhooks.Verify(MessageId, signedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, SignedAt));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("-1614265330")]
    [InlineData("+1614265330")]
    [InlineData("1614265330.0")]
    [InlineData(" 1614265330")]
    [InlineData("1614265330 ")]
    [InlineData("1.61426533e9")]
    [InlineData("0x6037C2F2")]
    [InlineData("99999999999999999999999")]
    public void Verify_BadTimestamp_Rejects(string timestamp)
    {
        Assert.False(Webhooks.Verify(MessageId, timestamp, ExpectedSignature, Body, SignedAt));
    }

    [Fact]
    public void Verify_AnyOneByteOfBodyChanged_Rejects()
    {
        for (var i = 0; i < Body.Length; i++)
        {
            var changed = Body;
            changed[i] ^= 0x01;

            Assert.False(Webhooks.Verify(MessageId, TimestampText, ExpectedSignature, changed, SignedAt), $"byte {i}");
        }
    }

    [Fact]
    public void Verify_BodyWithAByteAddedOrRemoved_Rejects()
    {
        Assert.False(Webhooks.Verify(MessageId, TimestampText, ExpectedSignature, Encoding.UTF8.GetBytes(Payload + " "), SignedAt));
        Assert.False(Webhooks.Verify(MessageId, TimestampText, ExpectedSignature, Encoding.UTF8.GetBytes(Payload[..^1]), SignedAt));
        Assert.False(Webhooks.Verify(MessageId, TimestampText, ExpectedSignature, [], SignedAt));
    }

    [Fact]
    public void Verify_OtherIdOrTimestamp_Rejects()
    {
        Assert.False(Webhooks.Verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", TimestampText, ExpectedSignature, Body, SignedAt));
        Assert.False(Webhooks.Verify(MessageId, "1614265331", ExpectedSignature, Body, SignedAt));
    }

    [Fact]
    public void Verify_WrongSecret_Rejects()
    {
        var other = new StandardWebhooks(StandardWebhooks.NewSecret());
        var oneCharacterOff = new StandardWebhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx");

        Assert.False(other.Verify(MessageId, TimestampText, ExpectedSignature, Body, SignedAt));
        Assert.False(oneCharacterOff.Verify(MessageId, TimestampText, ExpectedSignature, Body, SignedAt));
    }

    [Fact]
    public void Verify_IdWithDot_Rejects_EvenWhenSigned()
    {
        // "a.1.b" could be read as another id and timestamp, so ids never contain the separator.
        var signature = Webhooks.Sign("msg.1", Timestamp, Body);

        Assert.False(Webhooks.Verify("msg.1", TimestampText, signature, Body, SignedAt));
    }

    [Fact]
    public void SignThenVerify_RoundTrips_WithNewSecret()
    {
        var webhooks = new StandardWebhooks(StandardWebhooks.NewSecret());
        var id = Guid.NewGuid().ToString("D");
        var now = DateTimeOffset.UtcNow;
        var signature = webhooks.Sign(id, now.ToUnixTimeSeconds(), Body);

        Assert.StartsWith("v1,", signature, StringComparison.Ordinal);
        Assert.True(webhooks.Verify(id, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, now));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void Constructor_BadSecret_Throws(string secret)
    {
        Assert.ThrowsAny<ArgumentException>(() => new StandardWebhooks(secret));
    }
}

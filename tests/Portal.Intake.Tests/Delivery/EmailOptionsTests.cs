using Portal.Intake.Delivery;
using Portal.Intake.Delivery.Email;

namespace Portal.Intake.Tests.Delivery;

public class EmailOptionsTests
{
    private static EmailOptions Valid() => new()
    {
        Host = "mail.provider.test",
        Port = 587,
        From = "relay@daportal.test",
        To = "cases@provider.test",
    };

    [Fact]
    public void Validate_MinimalOptions_AreFine()
    {
        Assert.Empty(EmailConnector.Validate(Valid()));
        Assert.Equal("Email", new EmailConnector(Valid(), TimeProvider.System).Name);
    }

    [Fact]
    public void Validate_FullOptions_AreFine()
    {
        var options = Valid();
        options.StartTls = "Required";
        options.CertificateSha256 = "AB:cd:" + string.Concat(Enumerable.Repeat("0f", 30));
        options.UserName = "relay";
        options.Password = "secret";
        options.To = "cases@provider.test, duty@provider.test";
        options.Subject = "Neges ddiogel";
        options.Host = "192.0.2.25";

        Assert.Empty(EmailConnector.Validate(options));
    }

    [Fact]
    public void Validate_HostFromTo_AreRequired()
    {
        var errors = EmailConnector.Validate(new EmailOptions());

        Assert.Contains("Intake:Delivery:Email:Host is required.", errors);
        Assert.Contains("Intake:Delivery:Email:From is required.", errors);
        Assert.Contains("Intake:Delivery:Email:To is required.", errors);
        Assert.Equal(3, errors.Count);
    }

    [Theory]
    [InlineData("Secure\r\nBcc: someone@else.test")]
    [InlineData("Secure\nmessage")]
    [InlineData("Secure\rmessage")]
    [InlineData("Secure\tmessage")]
    public void Validate_RejectsLineBreaksInTheSubject(string subject)
    {
        var options = Valid();
        options.Subject = subject;

        var error = Assert.Single(EmailConnector.Validate(options));
        Assert.Equal("Intake:Delivery:Email:Subject must not contain line breaks or other control characters.", error);
        Assert.Throws<ArgumentException>(() => new EmailConnector(options, TimeProvider.System));
    }

    [Theory]
    [InlineData("relay@daportal.test\r\nBcc: someone@else.test")]
    [InlineData("relay@daportal.test\n")]
    [InlineData("relay@daportal.test\r")]
    public void Validate_RejectsLineBreaksInFrom(string from)
    {
        var options = Valid();
        options.From = from;

        Assert.Equal("Intake:Delivery:Email:From must not contain line breaks or other control characters.", Assert.Single(EmailConnector.Validate(options)));
    }

    [Theory]
    [InlineData("cases@provider.test\r\nBcc: someone@else.test")]
    [InlineData("cases@provider.test,\nother@provider.test")]
    [InlineData("cases@provider.test\r")]
    public void Validate_RejectsLineBreaksInTo(string to)
    {
        var options = Valid();
        options.To = to;

        Assert.Equal("Intake:Delivery:Email:To must not contain line breaks or other control characters.", Assert.Single(EmailConnector.Validate(options)));
    }

    [Theory]
    [InlineData("Relay <relay@daportal.test>")]
    [InlineData("relay")]
    [InlineData("relay@daportal.test, other@daportal.test")]
    public void Validate_FromMustBeOnePlainAddress(string from)
    {
        var options = Valid();
        options.From = from;

        Assert.StartsWith("Intake:Delivery:Email:From must be one plain address", Assert.Single(EmailConnector.Validate(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cases <cases@provider.test>")]
    [InlineData("cases@provider.test; duty@provider.test")]
    [InlineData(",")]
    [InlineData("cases@provider.test, nobody")]
    public void Validate_ToMustBePlainAddresses(string to)
    {
        var options = Valid();
        options.To = to;

        Assert.StartsWith("Intake:Delivery:Email:To must be one or more plain addresses", Assert.Single(EmailConnector.Validate(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddee")]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00")]
    [InlineData("zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")]
    public void Validate_CertificateSha256_MustBe64HexDigits(string pin)
    {
        var options = Valid();
        options.CertificateSha256 = pin;

        Assert.Equal("Intake:Delivery:Email:CertificateSha256 must be 64 hexadecimal digits (colons allowed).", Assert.Single(EmailConnector.Validate(options)));
    }

    [Fact]
    public void ParseFingerprint_IgnoresCaseAndColons()
    {
        var expected = Convert.FromHexString("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");

        Assert.Equal(expected, EmailConnector.ParseFingerprint("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
        Assert.Equal(expected, EmailConnector.ParseFingerprint("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff"));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("1")]
    [InlineData("Always")]
    public void Validate_StartTls_MustBeAutoRequiredOrNever(string mode)
    {
        var options = Valid();
        options.StartTls = mode;

        Assert.Equal("Intake:Delivery:Email:StartTls must be Auto, Required or Never.", Assert.Single(EmailConnector.Validate(options)));
    }

    [Fact]
    public void Validate_UserName_NeedsAPassword()
    {
        var options = Valid();
        options.UserName = "relay";

        Assert.Equal("Intake:Delivery:Email:Password is required when UserName is set.", Assert.Single(EmailConnector.Validate(options)));
    }

    [Fact]
    public void Validate_UserName_NeedsTls()
    {
        var options = Valid();
        options.UserName = "relay";
        options.Password = "secret";
        options.StartTls = "Never";

        Assert.Equal("Intake:Delivery:Email:UserName needs StartTls Auto or Required: credentials are only sent over TLS.", Assert.Single(EmailConnector.Validate(options)));
    }

    [Theory]
    [InlineData("mail provider.test")]
    [InlineData("mail.provider.test\r\n")]
    [InlineData("https://mail.provider.test")]
    public void Validate_Host_MustBeAHostName(string host)
    {
        var options = Valid();
        options.Host = host;

        Assert.Equal("Intake:Delivery:Email:Host must be a host name or an IP address.", Assert.Single(EmailConnector.Validate(options)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void Validate_TimeoutSeconds_IsBounded(double seconds)
    {
        var options = Valid();
        options.TimeoutSeconds = seconds;

        Assert.Equal("Intake:Delivery:Email:TimeoutSeconds must be between 1 and 300.", Assert.Single(EmailConnector.Validate(options)));
    }

    [Fact]
    public void Validate_Subject_IsRequiredAndBounded()
    {
        var options = Valid();
        options.Subject = " ";
        Assert.Equal("Intake:Delivery:Email:Subject is required.", Assert.Single(EmailConnector.Validate(options)));

        options.Subject = new string('s', 201);
        Assert.Equal("Intake:Delivery:Email:Subject must be at most 200 characters.", Assert.Single(EmailConnector.Validate(options)));
    }
}

using System.Text;
using Portal.Intake.Delivery;
using Portal.Intake.Delivery.Email;

namespace Portal.Intake.Tests.Delivery;

public class EmailMessageTests
{
    private static readonly DateTimeOffset Date = new(2026, 2, 3, 11, 4, 5, TimeSpan.FromHours(1));

    private static (OutgoingReport Report, byte[] Raw) Build(string subject = "Secure message", params string[] to)
    {
        var report = EmailConnectorTests.Report();
        return (report, EmailMessage.Build("relay@daportal.test", to.Length == 0 ? ["cases@provider.test"] : to, subject, report.ReportId, report.Envelope, Date));
    }

    [Fact]
    public void Build_Headers_AreTheNeutralOnes()
    {
        var (report, raw) = Build();

        var message = ParsedMessage.Parse(raw);

        Assert.Equal(
            ["From", "To", "Subject", "Date", "Message-ID", "X-Report-Id", "MIME-Version", "Content-Type"],
            message.Headers.Select(h => h.Name));
        Assert.Equal("relay@daportal.test", message["From"]);
        Assert.Equal("cases@provider.test", message["To"]);
        Assert.Equal("Secure message", message["Subject"]);
        Assert.Equal("Tue, 03 Feb 2026 10:04:05 +0000", message["Date"]);
        Assert.Equal($"<{report.ReportId:D}@daportal.invalid>", message["Message-ID"]);
        Assert.Equal(report.ReportId.ToString("D"), message["X-Report-Id"]);
        Assert.Equal("1.0", message["MIME-Version"]);
        Assert.StartsWith("multipart/mixed; boundary=", message["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Parts_AreTheNeutralTextAndTheEnvelope()
    {
        var (report, raw) = Build();

        var parts = ParsedMessage.Parse(raw).Parts();

        Assert.Equal(2, parts.Count);
        Assert.Equal("text/plain; charset=us-ascii", parts[0]["Content-Type"]);
        Assert.Equal(EmailMessage.Text, parts[0].Body);
        Assert.Equal($"application/jose; name=\"{report.ReportId:D}.jwe\"", parts[1]["Content-Type"]);
        Assert.Equal($"attachment; filename=\"{report.ReportId:D}.jwe\"", parts[1]["Content-Disposition"]);
        Assert.Equal(report.Envelope, EmailConnectorTests.AttachmentOf(ParsedMessage.Parse(raw), report.ReportId));
    }

    [Fact]
    public void Build_IsSevenBitAscii_WithCrlfOnly_AndShortLines()
    {
        var (_, raw) = Build();

        Assert.All(raw, b => Assert.InRange(b, (byte)1, (byte)127));
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\n')
            {
                Assert.True(i > 0 && raw[i - 1] == '\r', $"bare LF at {i}");
            }

            if (raw[i] == '\r')
            {
                Assert.True(i + 1 < raw.Length && raw[i + 1] == '\n', $"bare CR at {i}");
            }
        }

        Assert.EndsWith("\r\n", Encoding.ASCII.GetString(raw), StringComparison.Ordinal);
        Assert.All(Encoding.ASCII.GetString(raw).Split("\r\n"), line => Assert.InRange(line.Length, 0, 78));
    }

    [Fact]
    public void Build_HoldsNoPlaintext_AndTheEnvelopeOnlyAsBase64()
    {
        var (report, raw) = Build();
        var text = Encoding.ASCII.GetString(raw);

        Assert.DoesNotContain("Marker", text, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Envelope.Split('.')[0], text, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Envelope.Split('.')[3][..20], text, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(Encoding.ASCII.GetBytes(report.Envelope))[..76], text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameReportTwice_IsByteForByteTheSame()
    {
        var report = EmailConnectorTests.Report();

        var first = EmailMessage.Build("relay@daportal.test", ["cases@provider.test"], "Secure message", report.ReportId, report.Envelope, Date);
        var second = EmailMessage.Build("relay@daportal.test", ["cases@provider.test"], "Secure message", report.ReportId, report.Envelope, Date);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Build_NonAsciiSubject_IsEncodedWords_ThatDecodeBack()
    {
        const string Subject = "Neges ddiogel — پیغام محفوظ — Zażółć gęślą jaźń, a fairly long subject indeed";
        var (_, raw) = Build(Subject);

        var encoded = ParsedMessage.Parse(raw)["Subject"]!;
        var words = encoded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length > 1);
        var decoded = string.Concat(words.Select(w =>
        {
            Assert.Matches(@"^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$", w);
            Assert.InRange(w.Length, 1, 75);
            return Encoding.UTF8.GetString(Convert.FromBase64String(w[10..^2]));
        }));
        Assert.Equal(Subject, decoded);
        Assert.All(Encoding.ASCII.GetString(raw).Split("\r\n"), line => Assert.InRange(line.Length, 0, 78));
    }

    [Fact]
    public void Build_SeveralRecipients_AreListedInTo()
    {
        var (_, raw) = Build("Secure message", "a@provider.test", "b@provider.test");

        Assert.Equal("a@provider.test, b@provider.test", ParsedMessage.Parse(raw)["To"]);
    }

    [Theory]
    [InlineData("""{"message":"in the clear"}""")]
    [InlineData("a.b.c.d")]
    [InlineData("a.b.c.d.e.f")]
    [InlineData("a.b.c.d.e\r\nBcc: x@y.test")]
    [InlineData("")]
    public void Build_RefusesAnythingButACompactJwe(string envelope)
    {
        Assert.Throws<ArgumentException>(() => EmailMessage.Build("relay@daportal.test", ["cases@provider.test"], "Secure message", Guid.NewGuid(), envelope, Date));
    }

    [Theory]
    [InlineData("Secure\r\nBcc: x@y.test")]
    [InlineData("Secure\nmessage")]
    [InlineData("Secure\rmessage")]
    public void Build_RefusesLineBreaksInTheSubject(string subject)
    {
        var report = EmailConnectorTests.Report();

        Assert.Throws<ArgumentException>(() => EmailMessage.Build("relay@daportal.test", ["cases@provider.test"], subject, report.ReportId, report.Envelope, Date));
    }

    [Theory]
    [InlineData("cases@provider.test", true)]
    [InlineData("first.last+tag@sub.provider.test", true)]
    [InlineData("cases@localhost", true)]
    [InlineData("cases@[192.0.2.1]", true)]
    [InlineData("Cases <cases@provider.test>", false)]
    [InlineData("cases", false)]
    [InlineData("@provider.test", false)]
    [InlineData("cases@", false)]
    [InlineData("a@b@provider.test", false)]
    [InlineData("cases@provider..test", false)]
    [InlineData(".cases@provider.test", false)]
    [InlineData("cases.@provider.test", false)]
    [InlineData("cases@provider.test\n", false)]
    [InlineData("cases@provider.test\r\nBcc: x@y.test", false)]
    [InlineData("cäses@provider.test", false)]
    [InlineData("cases@-provider.test", false)]
    [InlineData("\"quoted\"@provider.test", false)]
    public void IsAddress_AcceptsPlainAddrSpecsOnly(string value, bool expected)
    {
        Assert.Equal(expected, EmailMessage.IsAddress(value));
    }
}

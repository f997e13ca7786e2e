using System.Text;
using Microsoft.Extensions.Time.Testing;
using Portal.Intake.Delivery;
using Portal.Intake.Delivery.Email;
using Portal.Intake.Sealing;
using Portal.Intake.Tests.Sealing;

namespace Portal.Intake.Tests.Delivery;

/// <summary>The Email connector against a real SMTP server (aiosmtpd) on loopback.</summary>
public class EmailConnectorTests
{
    internal const string From = "relay@daportal.test";
    internal const string To = "cases@provider.test";
    internal const string Marker = "Marker-7f3a9c Zażółć gęślą jaźń";

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 2, 3, 10, 4, 5, TimeSpan.Zero));

    internal static EmailOptions Options(int port, string startTls = "Auto", string? pin = null) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        StartTls = startTls,
        CertificateSha256 = pin,
        From = From,
        To = To,
        TimeoutSeconds = 15,
    };

    /// <summary>A report sealed for <see cref="TestKeys.Shared"/> whose JSON holds <see cref="Marker"/>.</summary>
    internal static OutgoingReport Report(string? marker = null)
    {
        var json = $$"""{"version":1,"message":"{{marker ?? Marker}}","phone":"+44 7700 900123"}""";
        var envelope = new ReportSealer(TestKeys.Shared).Seal(Encoding.UTF8.GetBytes(json));
        return new OutgoingReport(Guid.NewGuid(), Urgent: true, ReceivedAtMs: 1_770_000_000_000, envelope, Attempt: 1);
    }

    internal static string AttachmentOf(ParsedMessage message, Guid reportId)
    {
        var parts = message.Parts();
        Assert.Equal(2, parts.Count);
        var attachment = Assert.Single(parts, p => (p["Content-Type"] ?? "").StartsWith("application/jose", StringComparison.Ordinal));
        Assert.Contains($"filename=\"{reportId:D}.jwe\"", attachment["Content-Disposition"], StringComparison.Ordinal);
        Assert.Equal("base64", attachment["Content-Transfer-Encoding"]);
        var lines = attachment.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines[..^1], line => Assert.Equal(76, line.Length));
        Assert.InRange(lines[^1].Length, 1, 76);
        return Encoding.ASCII.GetString(Convert.FromBase64String(string.Concat(lines)));
    }

    [Fact]
    public async Task Deliver_ArrivesAsExactlyOneMessage_WhoseAttachmentIsTheEnvelope()
    {
        await using var server = await Aiosmtpd.StartAsync();
        var connector = new EmailConnector(Options(server.Port), Clock);
        var report = Report();

        var outcome = await connector.DeliverAsync(report, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        var message = ParsedMessage.Parse(Assert.Single(server.Messages()));
        Assert.Equal(report.Envelope, AttachmentOf(message, report.ReportId));
        // aiosmtpd records the envelope sender and recipients it was given.
        Assert.Equal(From, message["X-MailFrom"]);
        Assert.Equal(To, message["X-RcptTo"]);
        Assert.Equal(From, message["From"]);
        Assert.Equal(To, message["To"]);
        Assert.Equal("Tue, 03 Feb 2026 10:04:05 +0000", message["Date"]);
        Assert.Equal($"<{report.ReportId:D}@daportal.invalid>", message["Message-ID"]);
        Assert.Equal(report.ReportId.ToString("D"), message["X-Report-Id"]);
        Assert.Equal("Email", connector.Name);
    }

    [Fact]
    public async Task Deliver_RawMessageHoldsNoPlaintext_AndTheAttachmentOpensToTheReport()
    {
        await using var server = await Aiosmtpd.StartAsync();
        var connector = new EmailConnector(Options(server.Port), Clock);
        var report = Report();

        Assert.Equal(DeliveryOutcome.Success, await connector.DeliverAsync(report, CancellationToken.None));

        var raw = Assert.Single(server.Messages());
        Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)));
        Assert.Equal(-1, raw.AsSpan().IndexOf("Marker-7f3a9c"u8));
        Assert.Equal(-1, raw.AsSpan().IndexOf("7700 900123"u8));
        // The envelope travels only base64-encoded: none of its parts appears as it is.
        foreach (var part in report.Envelope.Split('.'))
        {
            Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(part[..Math.Min(part.Length, 24)])));
        }

        var attachment = AttachmentOf(ParsedMessage.Parse(raw), report.ReportId);
        var opened = Encoding.UTF8.GetString(ReportOpener.Open(attachment, TestKeys.Shared));
        Assert.Contains(Marker, opened, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subject_IsTheNeutralOne_AndTheSameForTwoDifferentReports()
    {
        await using var server = await Aiosmtpd.StartAsync();
        var connector = new EmailConnector(Options(server.Port), Clock);
        var first = Report("first report, urgent");
        var second = Report("second report, about someone else") with { Urgent = false };

        Assert.Equal(DeliveryOutcome.Success, await connector.DeliverAsync(first, CancellationToken.None));
        Assert.Equal(DeliveryOutcome.Success, await connector.DeliverAsync(second, CancellationToken.None));

        var messages = server.Messages().Select(ParsedMessage.Parse).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal("Secure message", m["Subject"]));
        Assert.Equal(
            new[] { $"<{first.ReportId:D}@daportal.invalid>", $"<{second.ReportId:D}@daportal.invalid>" }.Order(),
            messages.Select(m => m["Message-ID"]!).Order());
        var texts = messages.Select(m => m.Parts()[0].Body.Trim()).ToList();
        Assert.All(texts, t => Assert.Equal(EmailMessage.Text, t));
    }

    [Fact]
    public async Task Subject_FromOptions_IsUsedForEveryReport()
    {
        await using var server = await Aiosmtpd.StartAsync();
        var options = Options(server.Port);
        options.Subject = "Nachricht";
        var connector = new EmailConnector(options, Clock);

        await connector.DeliverAsync(Report(), CancellationToken.None);
        await connector.DeliverAsync(Report(), CancellationToken.None);

        Assert.All(server.Messages().Select(ParsedMessage.Parse), m => Assert.Equal("Nachricht", m["Subject"]));
    }

    [Fact]
    public async Task StartTls_PinnedSelfSignedCertificate_UpgradesAndDelivers()
    {
        using var certificate = new TestCertificate();
        // aiosmtpd refuses MAIL before STARTTLS here, so arriving at all proves the upgrade.
        await using var server = await Aiosmtpd.StartAsync(certificate, requireTls: true);
        var connector = new EmailConnector(Options(server.Port, "Required", pin: certificate.Sha256WithColons), Clock);
        var report = Report();

        var outcome = await connector.DeliverAsync(report, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        Assert.Equal(report.Envelope, AttachmentOf(ParsedMessage.Parse(Assert.Single(server.Messages())), report.ReportId));
    }

    [Fact]
    public async Task StartTls_Auto_UpgradesWhenOffered()
    {
        using var certificate = new TestCertificate();
        await using var server = await Aiosmtpd.StartAsync(certificate, requireTls: true);
        var connector = new EmailConnector(Options(server.Port, "Auto", pin: certificate.Sha256Hex), Clock);

        Assert.Equal(DeliveryOutcome.Success, await connector.DeliverAsync(Report(), CancellationToken.None));
        Assert.Single(server.Messages());
    }

    [Fact]
    public async Task StartTls_WrongPin_FailsAndNothingArrives()
    {
        using var certificate = new TestCertificate();
        await using var server = await Aiosmtpd.StartAsync(certificate, requireTls: false);
        var wrongPin = new string('0', 64);
        var connector = new EmailConnector(Options(server.Port, "Auto", pin: wrongPin), Clock);

        var outcome = await connector.DeliverAsync(Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Contains("CertificateSha256", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task StartTls_SelfSignedCertificateWithoutPin_FailsValidation()
    {
        using var certificate = new TestCertificate();
        await using var server = await Aiosmtpd.StartAsync(certificate, requireTls: false);
        var connector = new EmailConnector(Options(server.Port, "Auto"), Clock);

        var outcome = await connector.DeliverAsync(Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.StartsWith("smtp: TLS failed: the server certificate is not valid", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task StartTls_Required_ServerWithoutTls_FailsAndSendsNothing()
    {
        await using var server = await Aiosmtpd.StartAsync();
        var connector = new EmailConnector(Options(server.Port, "Required"), Clock);

        var outcome = await connector.DeliverAsync(Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal("smtp: The server does not offer STARTTLS, and StartTls is Required.", outcome.Error);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task StartTls_Never_DoesNotUpgrade_SoAServerRequiringTlsRefuses()
    {
        using var certificate = new TestCertificate();
        await using var server = await Aiosmtpd.StartAsync(certificate, requireTls: true);
        var connector = new EmailConnector(Options(server.Port, "Never"), Clock);

        var outcome = await connector.DeliverAsync(Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.StartsWith("smtp 530 after MAIL FROM:", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task Auth_Plain_OverTls_Delivers()
    {
        using var certificate = new TestCertificate();
        await using var server = await Aiosmtpd.StartAsync(certificate, login: ("relay", "pa55 wörd"));
        var options = Options(server.Port, "Required", pin: certificate.Sha256Hex);
        options.UserName = "relay";
        options.Password = "pa55 wörd";
        var connector = new EmailConnector(options, Clock);

        Assert.Equal(DeliveryOutcome.Success, await connector.DeliverAsync(Report(), CancellationToken.None));
        Assert.Single(server.Messages());
    }

    [Fact]
    public async Task Auth_WrongPassword_Fails535()
    {
        using var certificate = new TestCertificate();
        await using var server = await Aiosmtpd.StartAsync(certificate, login: ("relay", "right"));
        var options = Options(server.Port, "Auto", pin: certificate.Sha256Hex);
        options.UserName = "relay";
        options.Password = "wrong";
        var connector = new EmailConnector(options, Clock);

        var outcome = await connector.DeliverAsync(Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.StartsWith("smtp 535 after AUTH:", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task DotStuffing_LinesStartingWithADot_SurviveTheRoundTrip()
    {
        await using var server = await Aiosmtpd.StartAsync();
        var body = ".starts with a dot\r\n..two dots\r\n.\r\nafter a lone dot\r\n. space\r\nlast";
        var message = Encoding.ASCII.GetBytes($"From: {From}\r\nTo: {To}\r\nSubject: dots\r\n\r\n{body}\r\n");
        var settings = new SmtpSettings("127.0.0.1", server.Port, StartTlsMode.Auto, null, null, null, TimeSpan.FromSeconds(15));

        var reply = await SmtpTransport.SendAsync(settings, From, [To], message, CancellationToken.None);

        Assert.Equal(250, reply.Code);
        var arrived = ParsedMessage.Parse(Assert.Single(server.Messages()));
        Assert.Equal(body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", arrived.Body);
    }

    [Fact]
    public async Task RefusedConnection_IsAFailure_NotAnException()
    {
        var connector = new EmailConnector(Options(LoopbackPorts.Free()), Clock);

        var outcome = await connector.DeliverAsync(Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal("smtp connect: ConnectionRefused", outcome.Error);
    }
}

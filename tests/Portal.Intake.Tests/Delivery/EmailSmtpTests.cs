using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Portal.Intake.Delivery;
using Portal.Intake.Delivery.Email;

namespace Portal.Intake.Tests.Delivery;

/// <summary>The SMTP conversation against a scripted server: reply codes, fallbacks, TLS and credential rules, limits.</summary>
public class EmailSmtpTests
{
    private const string From = EmailConnectorTests.From;
    private const string To = EmailConnectorTests.To;

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 2, 3, 10, 4, 5, TimeSpan.Zero));

    private static EmailConnector Connector(FakeSmtpServer server, string startTls = "Auto", Action<EmailOptions>? configure = null)
    {
        var options = EmailConnectorTests.Options(server.Port, startTls, server.Certificate is null ? null : Convert.ToHexString(server.Certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)));
        configure?.Invoke(options);
        return new EmailConnector(options, Clock);
    }

    private static void AssertNothingOfTheReport(OutgoingReport report, string? error)
    {
        Assert.NotNull(error);
        Assert.DoesNotContain(report.Envelope[..20], error, StringComparison.Ordinal);
        Assert.DoesNotContain("Marker", error, StringComparison.Ordinal);
        Assert.DoesNotContain(From, error, StringComparison.Ordinal);
        Assert.DoesNotContain(To, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_Conversation_IsInOrder_AndEndsWithQuit()
    {
        await using var server = new FakeSmtpServer();
        var report = EmailConnectorTests.Report();

        var outcome = await Connector(server).DeliverAsync(report, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        Assert.Equal(["EHLO", "MAIL", "RCPT", "DATA", "QUIT"], server.Verbs);
        var commands = server.Commands.Select(c => c.Line).ToList();
        Assert.Matches(@"^EHLO \[127\.0\.0\.1\]$", commands[0]);
        Assert.Equal($"MAIL FROM:<{From}>", commands[1]);
        Assert.Equal($"RCPT TO:<{To}>", commands[2]);
    }

    [Fact]
    public async Task SeveralRecipients_EachGetsRcptTo()
    {
        await using var server = new FakeSmtpServer();

        var outcome = await Connector(server, configure: o => o.To = "cases@provider.test, duty@provider.test").DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        Assert.Equal(["RCPT TO:<cases@provider.test>", "RCPT TO:<duty@provider.test>"], server.Commands.Select(c => c.Line).Where(l => l.StartsWith("RCPT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DataOnTheWire_IsTheBuiltMessage_CrlfAndTerminated()
    {
        await using var server = new FakeSmtpServer();
        var report = EmailConnectorTests.Report();

        await Connector(server).DeliverAsync(report, CancellationToken.None);

        var wire = Assert.Single(server.Messages);
        var expected = EmailMessage.Build(From, [To], "Secure message", report.ReportId, report.Envelope, Clock.GetUtcNow());
        Assert.Equal([.. expected, .. ".\r\n"u8.ToArray()], wire);
    }

    [Fact]
    public async Task Reply451AtRcpt_IsAFailureWithTheCode_AndNothingIsSent()
    {
        await using var server = new FakeSmtpServer { Reply = line => line.StartsWith("RCPT", StringComparison.Ordinal) ? "451 4.3.0 Mailbox temporarily unavailable" : null };
        var report = EmailConnectorTests.Report();

        var outcome = await Connector(server).DeliverAsync(report, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal("smtp 451 after RCPT TO: 4.3.0 Mailbox temporarily unavailable", outcome.Error);
        Assert.Equal(["EHLO", "MAIL", "RCPT", "QUIT"], server.Verbs);
        Assert.Empty(server.Messages);
        AssertNothingOfTheReport(report, outcome.Error);
    }

    [Fact]
    public async Task Reply550AtEndOfData_IsAFailureWithTheCode()
    {
        await using var server = new FakeSmtpServer { Reply = line => line == "." ? "550 5.7.1 Message rejected as spam" : null };
        var report = EmailConnectorTests.Report();

        var outcome = await Connector(server).DeliverAsync(report, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal("smtp 550 after end of data: 5.7.1 Message rejected as spam", outcome.Error);
        AssertNothingOfTheReport(report, outcome.Error);
    }

    [Fact]
    public async Task Reply552AtMailFrom_IsAFailure()
    {
        await using var server = new FakeSmtpServer { Reply = line => line.StartsWith("MAIL", StringComparison.Ordinal) ? "552 5.3.4 Too big" : null };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp 552 after MAIL FROM: 5.3.4 Too big", outcome.Error);
        Assert.DoesNotContain("RCPT", server.Verbs);
    }

    [Fact]
    public async Task Greeting554_IsAFailure()
    {
        await using var server = new FakeSmtpServer { Banner = "554 5.3.2 No service here" };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp 554 after greeting: 5.3.2 No service here", outcome.Error);
        Assert.Equal(["QUIT"], server.Verbs);
    }

    [Fact]
    public async Task Greeting421_IsAFailure()
    {
        await using var server = new FakeSmtpServer { Banner = "421 4.3.2 Busy, try later" };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp 421 after greeting: 4.3.2 Busy, try later", outcome.Error);
        Assert.Empty(server.Commands);
    }

    [Fact]
    public async Task MultiLineReplies_AreRead_AndServerTextIsCutTo200Characters()
    {
        var longText = new string('x', 300);
        await using var server = new FakeSmtpServer
        {
            Banner = "220-fake.test first line\r\n220-second line\r\n220 last line",
            Reply = line => line.StartsWith("RCPT", StringComparison.Ordinal) ? $"550-5.1.1 {longText}\r\n550 5.1.1 second line" : null,
        };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        const string Prefix = "smtp 550 after RCPT TO: ";
        Assert.StartsWith(Prefix + "5.1.1 xxx", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(Prefix.Length + 200, outcome.Error!.Length);
    }

    [Fact]
    public async Task ServerTextControlCharacters_AreRemoved()
    {
        await using var server = new FakeSmtpServer { Reply = line => line.StartsWith("MAIL", StringComparison.Ordinal) ? "451 bad\u0007bell\tand tab" : null };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp 451 after MAIL FROM: bad bell and tab", outcome.Error);
    }

    [Fact]
    public async Task MalformedReply_IsAFailure()
    {
        await using var server = new FakeSmtpServer { Reply = line => line.StartsWith("EHLO", StringComparison.Ordinal) ? "hello there" : null };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp: The server sent a malformed reply.", outcome.Error);
    }

    [Fact]
    public async Task EhloRefused_FallsBackToHelo()
    {
        await using var server = new FakeSmtpServer { Reply = line => line.StartsWith("EHLO", StringComparison.Ordinal) ? "502 5.5.1 EHLO not implemented" : null };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        Assert.Equal(["EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT"], server.Verbs);
    }

    [Fact]
    public async Task EhloRefused_WithStartTlsRequired_Fails_BecauseHeloOffersNothing()
    {
        await using var server = new FakeSmtpServer { Reply = line => line.StartsWith("EHLO", StringComparison.Ordinal) ? "500 5.5.1 What?" : null };

        var outcome = await Connector(server, "Required").DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.DoesNotContain("MAIL", server.Verbs);
    }

    [Fact]
    public async Task Auto_UpgradesWhenOffered_AndSaysEhloAgain()
    {
        using var certificate = new TestCertificate();
        await using var server = new FakeSmtpServer(certificate.Certificate);

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        Assert.Equal(["EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "DATA", "QUIT"], server.Verbs);
        Assert.Equal([false, false, true, true, true, true, true], server.Commands.Select(c => c.Tls));
    }

    [Fact]
    public async Task Never_DoesNotUpgrade_EvenWhenOffered()
    {
        using var certificate = new TestCertificate();
        await using var server = new FakeSmtpServer(certificate.Certificate);

        var outcome = await Connector(server, "Never").DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        Assert.DoesNotContain("STARTTLS", server.Verbs);
        Assert.All(server.Commands, c => Assert.False(c.Tls));
    }

    [Fact]
    public async Task Required_WithoutStartTls_SendsNoMail()
    {
        await using var server = new FakeSmtpServer();

        var outcome = await Connector(server, "Required").DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp: The server does not offer STARTTLS, and StartTls is Required.", outcome.Error);
        Assert.Equal(["EHLO", "QUIT"], server.Verbs);
    }

    [Fact]
    public async Task StartTlsRefused_IsAFailureWithTheCode()
    {
        using var certificate = new TestCertificate();
        await using var server = new FakeSmtpServer(certificate.Certificate) { Reply = line => line == "STARTTLS" ? "454 4.7.0 TLS not available" : null };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp 454 after STARTTLS: 4.7.0 TLS not available", outcome.Error);
        Assert.DoesNotContain("MAIL", server.Verbs);
    }

    [Fact]
    public async Task DataInjectedBeforeTheTlsHandshake_IsRefused()
    {
        using var certificate = new TestCertificate();
        await using var server = new FakeSmtpServer(certificate.Certificate) { Reply = line => line == "STARTTLS" ? "220 Go ahead\r\n250 injected" : null };

        var outcome = await Connector(server).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp: The server sent data after accepting STARTTLS.", outcome.Error);
        Assert.DoesNotContain("MAIL", server.Verbs);
    }

    [Fact]
    public async Task AuthLoginOnly_IsUsed_OverTls()
    {
        using var certificate = new TestCertificate();
        await using var server = new FakeSmtpServer(certificate.Certificate) { AuthMechanisms = "LOGIN", Credentials = ("relay", "secret") };

        var outcome = await Connector(server, configure: o => (o.UserName, o.Password) = ("relay", "secret")).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        var commands = server.Commands.ToList();
        var auth = commands.FindIndex(c => c.Line == "AUTH LOGIN");
        Assert.True(auth > 0);
        Assert.Equal(("cmVsYXk=", true), commands[auth + 1]);
        Assert.Equal(("c2VjcmV0", true), commands[auth + 2]);
        Assert.All(commands.Skip(2), c => Assert.True(c.Tls));
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task AuthPlain_IsPreferred_OverTls()
    {
        using var certificate = new TestCertificate();
        await using var server = new FakeSmtpServer(certificate.Certificate) { AuthMechanisms = "LOGIN PLAIN", Credentials = ("relay", "secret") };

        var outcome = await Connector(server, configure: o => (o.UserName, o.Password) = ("relay", "secret")).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Success, outcome);
        Assert.Contains(("AUTH PLAIN " + Convert.ToBase64String("\0relay\0secret"u8), true), server.Commands);
    }

    [Fact]
    public async Task AuthMechanismNotSupported_Fails()
    {
        using var certificate = new TestCertificate();
        await using var server = new FakeSmtpServer(certificate.Certificate) { AuthMechanisms = "CRAM-MD5 XOAUTH2" };

        var outcome = await Connector(server, configure: o => (o.UserName, o.Password) = ("relay", "secret")).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp: The server offers neither AUTH PLAIN nor AUTH LOGIN.", outcome.Error);
        Assert.DoesNotContain("AUTH", server.Verbs);
        Assert.DoesNotContain("MAIL", server.Verbs);
    }

    [Fact]
    public async Task Credentials_AreNeverSentInClear()
    {
        // The server offers AUTH but no STARTTLS: the connector must stop before AUTH and before MAIL.
        await using var server = new FakeSmtpServer
        {
            Reply = line => line.StartsWith("EHLO", StringComparison.Ordinal) ? "250-fake.test\r\n250-AUTH PLAIN LOGIN\r\n250 HELP" : null,
        };

        var outcome = await Connector(server, configure: o => (o.UserName, o.Password) = ("relay", "secret")).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp: Refusing to send credentials without TLS: the server did not offer STARTTLS.", outcome.Error);
        Assert.Equal(["EHLO", "QUIT"], server.Verbs);
    }

    [Fact]
    public async Task SilentServer_TimesOut_AsAFailure()
    {
        await using var server = new FakeSmtpServer { Silent = true };
        var stopwatch = Stopwatch.StartNew();

        var outcome = await Connector(server, configure: o => o.TimeoutSeconds = 1).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp timeout after 1 s", outcome.Error);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SlowServer_TheTimeoutBoundsTheWholeConversation()
    {
        // Each reply comes quickly enough on its own; together they take longer than the timeout.
        await using var server = new FakeSmtpServer
        {
            Reply = line =>
            {
                Thread.Sleep(400);
                return null;
            },
        };

        var outcome = await Connector(server, configure: o => o.TimeoutSeconds = 1).DeliverAsync(EmailConnectorTests.Report(), CancellationToken.None);

        Assert.Equal("smtp timeout after 1 s", outcome.Error);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task CallerCancellation_IsNotATimeout_ItThrows()
    {
        await using var server = new FakeSmtpServer { Silent = true };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Connector(server).DeliverAsync(EmailConnectorTests.Report(), cancel.Token));
    }

    [Fact]
    public async Task EnvelopeThatIsNotAJwe_IsNeverMailed()
    {
        await using var server = new FakeSmtpServer();
        var plaintext = EmailConnectorTests.Report() with { Envelope = """{"message":"Marker in the clear"}""" };

        var outcome = await Connector(server).DeliverAsync(plaintext, CancellationToken.None);

        Assert.Equal("the envelope is not a compact JWE", outcome.Error);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("", ".\r\n")]
    [InlineData("a", "a\r\n.\r\n")]
    [InlineData("a\r\n", "a\r\n.\r\n")]
    [InlineData(".", "..\r\n.\r\n")]
    [InlineData(".a\r\nb\r\n..c\r\n.\r\n", "..a\r\nb\r\n...c\r\n..\r\n.\r\n")]
    [InlineData("a\nb\rc\r\n.d", "a\r\nb\r\nc\r\n..d\r\n.\r\n")]
    [InlineData("a.b\r\n x.\r\n", "a.b\r\n x.\r\n.\r\n")]
    [InlineData("\r\n.\r\n", "\r\n..\r\n.\r\n")]
    public void PrepareData_NormalisesLineEndings_AndStuffsDots(string message, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(SmtpTransport.PrepareData(Encoding.ASCII.GetBytes(message))));
    }

    [Fact]
    public async Task DotStuffing_IsDoneOnTheWire()
    {
        await using var server = new FakeSmtpServer();
        var settings = new SmtpSettings("127.0.0.1", server.Port, StartTlsMode.Auto, null, null, null, TimeSpan.FromSeconds(10));

        var reply = await SmtpTransport.SendAsync(settings, From, [To], "Subject: x\r\n\r\n.hidden\r\n.\r\nend\r\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal(250, reply.Code);
        Assert.Equal("Subject: x\r\n\r\n..hidden\r\n..\r\nend\r\n.\r\n", Encoding.ASCII.GetString(Assert.Single(server.Messages)));
    }
}

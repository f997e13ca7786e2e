using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Portal.Intake.Delivery;
using Portal.Intake.Receiver;
using Portal.Intake.Sealing;
using Portal.Intake.Tests.Sealing;

namespace Portal.Intake.Tests.Relay;

public sealed class DirectoryConnectorTests
{
    [Fact]
    public async Task Delivers_OneFileNamedByReportId_HoldingExactlyTheEnvelope_WithNoTemporaryFilesLeft()
    {
        using var temp = new TempDirectory();
        var connector = new DirectoryConnector(temp.File("inbox"));
        var id = Guid.NewGuid();

        Assert.True((await connector.DeliverAsync(new OutgoingReport(id, false, 0, "a.b.c.d.e", 1), default)).Delivered);
        Assert.True((await connector.DeliverAsync(new OutgoingReport(id, false, 0, "a.b.c.d.e", 2), default)).Delivered);

        var file = Assert.Single(Directory.GetFiles(temp.File("inbox"), "*", SearchOption.AllDirectories));
        Assert.Equal(id.ToString("D") + ".jwe", Path.GetFileName(file));
        Assert.Equal("a.b.c.d.e", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task AFolderThatCannotBeWritten_IsAFailure_NotAnException()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("not-a-folder"), "x");
        var connector = new DirectoryConnector(temp.File("not-a-folder"));

        var outcome = await connector.DeliverAsync(new OutgoingReport(Guid.NewGuid(), false, 0, "a.b.c.d.e", 1), default);

        Assert.False(outcome.Delivered);
        Assert.StartsWith("directory: ", outcome.Error, StringComparison.Ordinal);
    }
}

public sealed class WebhookConnectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task SealedBody_ReachesTheReferenceReceiver_SignedAndStoredAsSent()
    {
        using var temp = new TempDirectory();
        var secret = StandardWebhooks.NewSecret();
        await using var receiver = await ReferenceReceiver.StartAsync(new ReceiverOptions { Secret = secret, StoreDirectory = temp.File("store") });
        using var connector = new WebhookConnector(new WebhookOptions { Url = receiver.Url.ToString(), Secret = secret }, TimeProvider.System);
        var envelope = new ReportSealer(TestKeys.Shared).Seal(Encoding.UTF8.GetBytes("{\"marker\":\"sealed-body\"}"));
        var id = Guid.NewGuid();

        var first = await connector.DeliverAsync(new OutgoingReport(id, true, 0, envelope, 1), default);
        var again = await connector.DeliverAsync(new OutgoingReport(id, true, 0, envelope, 2), default);

        Assert.True(first.Delivered, first.Error);
        Assert.True(again.Delivered, again.Error);
        Assert.Equal((1L, 1L, 0L), (receiver.Stats.Cases, receiver.Stats.Duplicates, receiver.Stats.Rejected));
        Assert.Equal(envelope, await File.ReadAllTextAsync(Path.Combine(receiver.CasesDirectory, id.ToString("D") + ".jwe")));
    }

    [Fact]
    public async Task OpenedBody_IsTheReportJson_OpenedWithTheWorkersKey()
    {
        using var temp = new TempDirectory();
        CaseSystemKeys.GenerateKeyPair(temp.File("keys"), 2048);
        using var publicKey = CaseSystemKeys.LoadPublicKey(temp.File("keys/" + CaseSystemKeys.PublicKeyFileName));
        var secret = StandardWebhooks.NewSecret();
        await using var receiver = await ReferenceReceiver.StartAsync(new ReceiverOptions { Secret = secret, StoreDirectory = temp.File("store") });
        using var connector = new WebhookConnector(
            new WebhookOptions { Url = receiver.Url.ToString(), Secret = secret, Body = "Opened", PrivateKey = temp.File("keys/" + CaseSystemKeys.PrivateKeyFileName) },
            TimeProvider.System);
        const string json = "{\"marker\":\"opened-body\",\"text\":\"Dw i eisiau siarad\"}";
        var id = Guid.NewGuid();

        var outcome = await connector.DeliverAsync(new OutgoingReport(id, false, 0, new ReportSealer(publicKey).Seal(Encoding.UTF8.GetBytes(json)), 1), default);

        Assert.True(outcome.Delivered, outcome.Error);
        Assert.Equal(json, await File.ReadAllTextAsync(Path.Combine(receiver.CasesDirectory, id.ToString("D") + ".json")));
    }

    [Fact]
    public async Task AReceiverWithAnotherSecret_Refuses_AndThatIsAFailure()
    {
        using var temp = new TempDirectory();
        await using var receiver = await ReferenceReceiver.StartAsync(new ReceiverOptions { Secret = StandardWebhooks.NewSecret(), StoreDirectory = temp.File("store") });
        using var connector = new WebhookConnector(new WebhookOptions { Url = receiver.Url.ToString(), Secret = StandardWebhooks.NewSecret() }, TimeProvider.System);

        var outcome = await connector.DeliverAsync(new OutgoingReport(Guid.NewGuid(), false, 0, "a.b.c.d.e", 1), default);

        Assert.Equal(DeliveryOutcome.Failure("http 401"), outcome);
        Assert.Equal(0, receiver.Stats.Cases);
    }

    [Fact]
    public async Task Request_CarriesTheStandardWebhooksHeaders_ForTheReportId()
    {
        var secret = StandardWebhooks.NewSecret();
        var handler = new Answering(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        using var connector = new WebhookConnector(new WebhookOptions { Url = "https://cases.example.org/in", Secret = secret }, new FakeTimeProvider(Now), handler);
        var id = Guid.NewGuid();

        Assert.True((await connector.DeliverAsync(new OutgoingReport(id, false, 0, "a.b.c.d.e", 3), default)).Delivered);

        var (request, body) = Assert.Single(handler.Seen);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(id.ToString("D"), request.Headers.GetValues("webhook-id").Single());
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers.GetValues("webhook-timestamp").Single());
        Assert.Equal("application/jose", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("a.b.c.d.e", Encoding.ASCII.GetString(body));
        Assert.True(new StandardWebhooks(secret).Verify(id.ToString("D"), Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            request.Headers.GetValues("webhook-signature").Single(), body, Now));
    }

    public static TheoryData<int, string?, int?> Answers => new()
    {
        { 500, null, null },
        { 503, "120", 120 },
        { 429, "7", 7 },
        { 503, null, null },
        { 404, null, null },
        { 301, null, null },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task NonSuccessAnswers_AreFailures_WithRetryAfterWhenGiven(int status, string? retryAfter, int? expectedSeconds)
    {
        var handler = new Answering(_ =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)status);
            if (retryAfter is not null)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            }

            return response;
        });
        using var connector = new WebhookConnector(new WebhookOptions { Url = "https://cases.example.org/in", Secret = StandardWebhooks.NewSecret() }, new FakeTimeProvider(Now), handler);

        var outcome = await connector.DeliverAsync(new OutgoingReport(Guid.NewGuid(), false, 0, "a.b.c.d.e", 1), default);

        Assert.False(outcome.Delivered);
        Assert.Equal($"http {status}", outcome.Error);
        Assert.Equal(expectedSeconds is null ? null : TimeSpan.FromSeconds(expectedSeconds.Value), outcome.RetryAfter);
    }

    [Fact]
    public async Task RetryAfterAsADate_IsTheTimeUntilThen()
    {
        var handler = new Answering(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(Now.AddMinutes(10));
            return response;
        });
        using var connector = new WebhookConnector(new WebhookOptions { Url = "https://cases.example.org/in", Secret = StandardWebhooks.NewSecret() }, new FakeTimeProvider(Now), handler);

        var outcome = await connector.DeliverAsync(new OutgoingReport(Guid.NewGuid(), false, 0, "a.b.c.d.e", 1), default);

        Assert.Equal(TimeSpan.FromMinutes(10), outcome.RetryAfter);
    }

    [Fact]
    public async Task AReceiverThatNeverAnswers_TimesOut_AsAFailure()
    {
        var handler = new Answering(_ => throw new InvalidOperationException("unreachable"), hang: true);
        using var connector = new WebhookConnector(new WebhookOptions { Url = "https://cases.example.org/in", Secret = StandardWebhooks.NewSecret(), TimeoutSeconds = 1 }, TimeProvider.System, handler);

        var outcome = await connector.DeliverAsync(new OutgoingReport(Guid.NewGuid(), false, 0, "a.b.c.d.e", 1), default);

        Assert.Equal(DeliveryOutcome.Failure("timeout after 1 s"), outcome);
    }

    [Fact]
    public async Task ARefusedConnection_IsAFailure()
    {
        using var connector = new WebhookConnector(new WebhookOptions { Url = $"http://127.0.0.1:{FreePort()}/in", Secret = StandardWebhooks.NewSecret() }, TimeProvider.System);

        var outcome = await connector.DeliverAsync(new OutgoingReport(Guid.NewGuid(), false, 0, "a.b.c.d.e", 1), default);

        Assert.Equal(DeliveryOutcome.Failure("http: ConnectionError"), outcome);
    }

    [Theory]
    [InlineData("http://cases.example.org/in", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Sealed", null, "must use https")]
    [InlineData("not a url", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Sealed", null, "absolute URL")]
    [InlineData("https://cases.example.org/in", "secret", "Sealed", null, "Secret")]
    [InlineData("https://cases.example.org/in", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Opened", null, "PrivateKey")]
    public void Validate_NamesWhatIsWrong(string url, string secret, string body, string? privateKey, string expected)
    {
        var errors = WebhookConnector.Validate(new WebhookOptions { Url = url, Secret = secret, Body = body, PrivateKey = privateKey });

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AcceptsHttpsAnywhere_AndHttpOnlyOnLoopback()
    {
        Assert.Empty(WebhookConnector.Validate(new WebhookOptions { Url = "https://cases.example.org/in", Secret = StandardWebhooks.NewSecret() }));
        Assert.Empty(WebhookConnector.Validate(new WebhookOptions { Url = "http://127.0.0.1:9000/in", Secret = StandardWebhooks.NewSecret() }));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer, bool hang = false) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, byte[] Body)> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request, await request.Content!.ReadAsByteArrayAsync(cancellationToken)));
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return answer(request);
        }
    }
}

public sealed class RetryScheduleTests
{
    private static readonly string[] StandardWebhooksWaits = ["00:00:00", "00:00:05", "00:05:00", "00:30:00", "02:00:00", "05:00:00", "10:00:00", "10:00:00"];

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("00:05:00", 300_000)]
    public void Parse_ReadsDurations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetrySchedule.Parse(text));

    [Theory]
    [InlineData("five minutes")]
    [InlineData("-5s")]
    [InlineData("5w")]
    [InlineData("")]
    public void Parse_RefusesAnythingElse(string text) => Assert.Throws<FormatException>(() => RetrySchedule.Parse(text));

    [Fact]
    public void TheDefault_IsTheStandardWebhooksSchedule()
    {
        var schedule = RetrySchedule.From(new RelayOptions());

        Assert.Equal(8, schedule.Attempts);
        Assert.Equal(StandardWebhooksWaits, schedule.Waits.Select(w => w.ToString()));
    }

    [Theory]
    [InlineData(0.0, 4_500)]
    [InlineData(0.5, 5_000)]
    [InlineData(0.9999999, 5_500)]
    public void Jitter_VariesEachWaitByUpToATenthEitherWay(double random, long expectedMs)
    {
        var schedule = RetrySchedule.From(new RelayOptions(), () => random);

        Assert.Equal(expectedMs, (long)Math.Round(schedule.After(1, null)!.Value.TotalMilliseconds));
    }

    [Fact]
    public void AfterTheLastAttempt_ThereIsNoNext()
    {
        var schedule = RetrySchedule.From(new RelayOptions { Schedule = "0s, 1s" });

        Assert.NotNull(schedule.After(1, null));
        Assert.Null(schedule.After(2, null));
        Assert.Null(schedule.After(2, TimeSpan.FromSeconds(1)));
    }
}

public sealed class DurableFolderWriterTests
{
    [Fact]
    public async Task FilesAskedForTogether_AreAllWrittenWhole_WithFewerFolderFlushesThanFiles_AndNoTemporaryFilesLeft()
    {
        using var temp = new TempDirectory();
        using var writer = new DurableFolderWriter(temp.File("inbox"));
        var files = Enumerable.Range(0, 64).Select(i => (Name: $"{Guid.NewGuid():D}.jwe", Bytes: Encoding.UTF8.GetBytes(new string((char)('a' + (i % 26)), 1000 + i)))).ToList();

        await Task.WhenAll(files.Select(f => writer.WriteAsync(f.Name, f.Bytes)));

        var written = Directory.GetFiles(temp.File("inbox"), "*", SearchOption.AllDirectories);
        Assert.Equal(files.Count, written.Length);
        foreach (var (name, bytes) in files)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(temp.File("inbox"), name)));
        }

        Assert.InRange(writer.FolderFlushes, 1, files.Count - 1);
    }

    [Fact]
    public async Task AFileWrittenAgain_IsReplacedWhole()
    {
        using var temp = new TempDirectory();
        using var writer = new DurableFolderWriter(temp.File("inbox"));

        await writer.WriteAsync("a.jwe", "first"u8.ToArray());
        await writer.WriteAsync("a.jwe", "second"u8.ToArray());

        Assert.Equal("second", await File.ReadAllTextAsync(Path.Combine(temp.File("inbox"), "a.jwe")));
        Assert.Single(Directory.GetFiles(temp.File("inbox")));
    }

    [Fact]
    public async Task AFolderThatCannotBeCreated_FailsEveryWaitingWrite()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("not-a-folder"), "x");
        using var writer = new DurableFolderWriter(temp.File("not-a-folder"));

        await Assert.ThrowsAnyAsync<IOException>(() => writer.WriteAsync("a.jwe", "x"u8.ToArray()));
    }

    [Theory]
    [InlineData("../escape.jwe")]
    [InlineData(".hidden")]
    [InlineData("")]
    public void OnlyAPlainFileName_IsAccepted(string name)
    {
        using var temp = new TempDirectory();
        using var writer = new DurableFolderWriter(temp.File("inbox"));

        Assert.Throws<ArgumentException>(() => { _ = writer.WriteAsync(name, "x"u8.ToArray()); });
    }
}

public sealed class DeliverySignalTests
{
    [Fact]
    public async Task WaitAsync_SaysWhetherANotificationCame()
    {
        using var signal = new DeliverySignal();

        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), TimeProvider.System, default));
        signal.Notify();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System, default));
    }
}

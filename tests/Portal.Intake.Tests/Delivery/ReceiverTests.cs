using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Intake.Delivery;
using Portal.Intake.Receiver;
using Portal.Intake.Sealing;
using Portal.Intake.Tests.Sealing;

namespace Portal.Intake.Tests.Delivery;

/// <summary>The reference receiver in-process, over real HTTP on loopback.</summary>
public class ReceiverTests
{
    private const string Jose = ReferenceReceiver.SealedContentType;
    private const string Json = ReferenceReceiver.OpenedContentType;

    private static readonly byte[] Report = Encoding.UTF8.GetBytes(
        """{"name":"Ann Example","message":"Please call after 6pm. Zażółć gęślą jaźń","marker":"REPORT-CONTENT-7f3a"}""");

    private static byte[] SealedReport(RSA key) => Encoding.ASCII.GetBytes(new ReportSealer(key).Seal(Report));

    private static string NewId() => Guid.NewGuid().ToString("D");

    [Fact]
    public async Task SealedBody_WithKey_IsOpenedAndStored()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);
        var id = NewId();

        using var response = await harness.PostAsync(id, SealedReport(TestKeys.Shared), Jose);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(harness.CasesDirectory, id + ".json");
        Assert.Equal(Report, await File.ReadAllBytesAsync(path));
        Assert.Equal([path], harness.Files());
        Assert.Equal(new ReceiverStats(1, 0, 0), harness.Receiver.Stats);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task SealedBody_WithoutKey_IsStoredSealedAsReceived()
    {
        await using var harness = await ReceiverHarness.StartAsync();
        var id = NewId();
        var envelope = SealedReport(TestKeys.Shared);

        using var response = await harness.PostAsync(id, envelope, Jose);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(harness.CasesDirectory, id + ".jwe");
        Assert.Equal(envelope, await File.ReadAllBytesAsync(path));
        Assert.Equal(Report, ReportOpener.Open(await File.ReadAllTextAsync(path), TestKeys.Shared));
        Assert.Equal([path], harness.Files());
    }

    [Fact]
    public async Task OpenedJsonBody_IsStoredAsIs()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);
        var id = NewId();
        var body = Encoding.UTF8.GetBytes("{ \"name\" : \"Ann\",\n  \"message\": \"as sent, spacing and all\" }\n");

        using var response = await harness.PostAsync(id, body, "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(harness.CasesDirectory, id + ".json")));
        Assert.Equal(new ReceiverStats(1, 0, 0), harness.Receiver.Stats);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1 /* comment */}")]
    public async Task OpenedBody_NotJson_Is422_AndNotStored(string text)
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.PostAsync(NewId(), Encoding.UTF8.GetBytes(text), Json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(harness.Files());
        Assert.Equal(new ReceiverStats(0, 0, 1), harness.Receiver.Stats);
    }

    [Fact]
    public async Task SameIdTwice_OneCase_DuplicateCounted_BothOk()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);
        var id = NewId();
        var envelope = SealedReport(TestKeys.Shared);

        using var first = await harness.PostAsync(id, envelope, Jose);
        // A retry is signed again, later; the id is what stays the same.
        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        using var second = await harness.PostAsync(id, envelope, Jose);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(harness.Files());
        Assert.Equal(new ReceiverStats(1, 1, 0), harness.Receiver.Stats);
        var stats = await harness.Client.GetStringAsync("/stats");
        Assert.Equal("""{"cases":1,"duplicates":1,"rejected":0}""", stats);
    }

    [Fact]
    public async Task SameIdTwice_DifferentBody_KeepsTheFirst()
    {
        await using var harness = await ReceiverHarness.StartAsync();
        var id = NewId();

        using var first = await harness.PostAsync(id, Encoding.UTF8.GetBytes("""{"n":1}"""), Json);
        using var second = await harness.PostAsync(id, Encoding.UTF8.GetBytes("""{"n":2}"""), Json);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("""{"n":1}""", await File.ReadAllTextAsync(Path.Combine(harness.CasesDirectory, id + ".json")));
    }

    [Fact]
    public async Task TwentyConcurrentPosts_OfOneId_StoreOneCase()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);
        var id = NewId();
        var envelope = SealedReport(TestKeys.Shared);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => harness.PostAsync(id, envelope, Jose)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal([Path.Combine(harness.CasesDirectory, id + ".json")], harness.Files());
        Assert.Equal(Report, await File.ReadAllBytesAsync(Path.Combine(harness.CasesDirectory, id + ".json")));
        Assert.Equal(new ReceiverStats(1, 19, 0), harness.Receiver.Stats);
    }

    [Fact]
    public async Task ManyConcurrentIds_AllStored()
    {
        await using var harness = await ReceiverHarness.StartAsync();
        var ids = Enumerable.Range(0, 50).Select(_ => NewId()).ToArray();

        var responses = await Task.WhenAll(ids.Select(id => harness.PostAsync(id, Report, Json)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(ids.Select(id => id + ".json").Order(StringComparer.Ordinal), harness.Files().Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(new ReceiverStats(50, 0, 0), harness.Receiver.Stats);
    }

    [Fact]
    public async Task OneChangedByte_Is401_AndNothingStored()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);
        var id = NewId();
        var envelope = SealedReport(TestKeys.Shared);
        using var request = harness.Signed(id, envelope, Jose);
        var changed = (byte[])envelope.Clone();
        changed[changed.Length / 2] ^= 0x01;
        request.Content = new ByteArrayContent(changed) { Headers = { ContentType = new MediaTypeHeaderValue(Jose) } };

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(harness.Files());
        Assert.Equal(new ReceiverStats(0, 0, 1), harness.Receiver.Stats);
    }

    [Fact]
    public async Task WrongSecret_Is401()
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.PostAsync(NewId(), Report, Json, signer: new StandardWebhooks(StandardWebhooks.NewSecret()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(harness.Files());
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task TimestampSixMinutesOff_Is401(int minutes)
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.PostAsync(NewId(), Report, Json, ReceiverHarness.Now.AddMinutes(minutes));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(harness.Files());
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(4)]
    public async Task TimestampFourMinutesOff_IsAccepted(int minutes)
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.PostAsync(NewId(), Report, Json, ReceiverHarness.Now.AddMinutes(minutes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReceiverClock_IsTheOneChecked()
    {
        await using var harness = await ReceiverHarness.StartAsync();
        var id = NewId();
        using var request = harness.Signed(id, Report, Json);
        harness.Clock.Advance(TimeSpan.FromMinutes(6));

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public async Task MissingHeader_Is401(string header)
    {
        await using var harness = await ReceiverHarness.StartAsync();
        using var request = harness.Signed(NewId(), Report, Json);
        request.Headers.Remove(header);

        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(harness.Files());
        Assert.Equal(new ReceiverStats(0, 0, 1), harness.Receiver.Stats);
    }

    [Fact]
    public async Task NoHeadersAtAll_Is401()
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.Client.PostAsync("/", new ByteArrayContent(Report) { Headers = { ContentType = new MediaTypeHeaderValue(Json) } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("x.json")]
    [InlineData("a b")]
    [InlineData("{12345678-1234-1234-1234-123456789abc}")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task UnsafeId_Is400_AndNothingStored(string id)
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.PostAsync(id, Report, Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(harness.Files());
        Assert.Empty(Directory.GetFiles(harness.Directory.Path, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJek")]
    [InlineData("a")]
    [InlineData("A-Z_0-9")]
    public async Task TokenId_IsAccepted(string id)
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.PostAsync(id, Report, Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(harness.CasesDirectory, id + ".json")));
    }

    [Fact]
    public async Task EnvelopeSealedForAnotherKey_Is422_AndNotStored()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);

        using var response = await harness.PostAsync(NewId(), SealedReport(TestKeys.Other), Jose);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(harness.Files());
        Assert.Equal(new ReceiverStats(0, 0, 1), harness.Receiver.Stats);
    }

    [Theory]
    [InlineData("not a jwe")]
    [InlineData("a.b.c.d.e")]
    [InlineData("")]
    public async Task GarbageEnvelope_Is422_WithOrWithoutKey(string text)
    {
        await using var withKey = await ReceiverHarness.StartAsync(TestKeys.Shared);
        await using var withoutKey = await ReceiverHarness.StartAsync();

        using var opened = await withKey.PostAsync(NewId(), Encoding.UTF8.GetBytes(text), Jose);
        using var kept = await withoutKey.PostAsync(NewId(), Encoding.UTF8.GetBytes(text), Jose);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, opened.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, kept.StatusCode);
        Assert.Empty(withKey.Files());
        Assert.Empty(withoutKey.Files());
    }

    [Fact]
    public async Task AlteredCiphertext_SignedAfterwards_Is422()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);
        var parts = new ReportSealer(TestKeys.Shared).Seal(Report).Split('.');
        var ciphertext = System.Buffers.Text.Base64Url.DecodeFromChars(parts[3]);
        ciphertext[0] ^= 0x01;
        parts[3] = System.Buffers.Text.Base64Url.EncodeToString(ciphertext);

        using var response = await harness.PostAsync(NewId(), Encoding.ASCII.GetBytes(string.Join('.', parts)), Jose);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(harness.Files());
    }

    [Fact]
    public async Task UnsupportedContentType_Is415()
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var response = await harness.PostAsync(NewId(), Report, "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(harness.Files());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Oversize_Is413_AndNothingStored(bool expectContinue)
    {
        await using var harness = await ReceiverHarness.StartAsync();
        var body = JsonOfLength(1024 * 1024 + 1);

        using var request = harness.Signed(NewId(), body, Json);
        request.Headers.ExpectContinue = expectContinue;
        using var response = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(harness.Files());
        Assert.Equal(new ReceiverStats(0, 0, 1), harness.Receiver.Stats);
    }

    [Fact]
    public async Task Oversize_WithoutContentLength_Is413()
    {
        await using var harness = await ReceiverHarness.StartAsync(maxBodyBytes: 4096);
        var body = JsonOfLength(4097);
        using var request = harness.Signed(NewId(), body, Json);
        request.Content = new StreamContent(new UnknownLengthStream(body)) { Headers = { ContentType = new MediaTypeHeaderValue(Json) } };

        using var response = await harness.Client.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(harness.Files());
    }

    [Fact]
    public async Task ExactlyTheLimit_IsAccepted_EvenWithoutContentLength()
    {
        await using var harness = await ReceiverHarness.StartAsync();
        var body = JsonOfLength(1024 * 1024);

        using var sized = await harness.PostAsync(NewId(), body, Json);
        using var request = harness.Signed(NewId(), body, Json);
        request.Content = new StreamContent(new UnknownLengthStream(body)) { Headers = { ContentType = new MediaTypeHeaderValue(Json) } };
        using var chunked = await harness.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, sized.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chunked.StatusCode);
        Assert.Equal(2, harness.Files().Length);
    }

    [Fact]
    public async Task StoreFailure_Is503_NotCounted_AndARetryStores()
    {
        await using var harness = await ReceiverHarness.StartAsync();
        var id = NewId();
        Directory.Delete(harness.CasesDirectory);

        using var failed = await harness.PostAsync(id, Report, Json);
        Directory.CreateDirectory(harness.CasesDirectory);
        using var retried = await harness.PostAsync(id, Report, Json);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(new ReceiverStats(1, 0, 0), harness.Receiver.Stats);
        Assert.Equal(Report, await File.ReadAllBytesAsync(Path.Combine(harness.CasesDirectory, id + ".json")));
    }

    [Fact]
    public async Task Stats_AreServedAsJson()
    {
        await using var harness = await ReceiverHarness.StartAsync();
        using var stored = await harness.PostAsync(NewId(), Report, Json);
        using var rejected = await harness.PostAsync("../x", Report, Json);

        using var response = await harness.Client.GetAsync("/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, stats.RootElement.GetProperty("cases").GetInt64());
        Assert.Equal(0, stats.RootElement.GetProperty("duplicates").GetInt64());
        Assert.Equal(1, stats.RootElement.GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task OtherMethods_Are405()
    {
        await using var harness = await ReceiverHarness.StartAsync();

        using var get = await harness.Client.GetAsync("/");
        using var put = await harness.Client.PutAsync("/", new ByteArrayContent(Report));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
    }

    [Fact]
    public async Task Logs_HoldIdsAndOutcomes_NeverContent()
    {
        await using var harness = await ReceiverHarness.StartAsync(TestKeys.Shared);
        var storedId = NewId();
        var envelope = SealedReport(TestKeys.Shared);
        using (await harness.PostAsync(storedId, envelope, Jose))
        using (await harness.PostAsync(storedId, envelope, Jose))
        using (await harness.PostAsync(NewId(), SealedReport(TestKeys.Other), Jose))
        using (await harness.PostAsync(NewId(), Report, Json))
        using (await harness.PostAsync(NewId(), Report, Json, signer: new StandardWebhooks(StandardWebhooks.NewSecret())))
        using (await harness.PostAsync(NewId(), Encoding.UTF8.GetBytes("not json REPORT-CONTENT-7f3a"), Json))
        {
        }

        var logs = string.Join('\n', harness.Logs.Lines);
        Assert.Contains(storedId, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("REPORT-CONTENT-7f3a", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Ann Example", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.ASCII.GetString(envelope).Split('.')[3][..16], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.ASCII.GetString(envelope).Split('.')[1][..16], logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppedReceiver_StoresCasesFromBefore_AndRestartSeesThemAsDuplicates()
    {
        using var directory = new TempDirectory();
        var secret = StandardWebhooks.NewSecret();
        var webhooks = new StandardWebhooks(secret);
        var options = new ReceiverOptions { Secret = secret, StoreDirectory = directory.File("store") };
        var id = NewId();

        for (var round = 0; round < 2; round++)
        {
            await using var receiver = await ReferenceReceiver.StartAsync(options);
            using var client = new HttpClient { BaseAddress = receiver.Url };
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Report) { Headers = { ContentType = new MediaTypeHeaderValue(Json) } } };
            request.Headers.Add(StandardWebhooks.IdHeader, id);
            request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(StandardWebhooks.SignatureHeader, webhooks.Sign(id, timestamp, Report));

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(round == 0 ? new ReceiverStats(1, 0, 0) : new ReceiverStats(0, 1, 0), receiver.Stats);
        }
    }

    [Fact]
    public async Task Start_WithBadSecret_Throws()
    {
        using var directory = new TempDirectory();

        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            ReferenceReceiver.StartAsync(new ReceiverOptions { Secret = "whsec_short", StoreDirectory = directory.File("store") }));
    }

    /// <summary>A JSON object of exactly <paramref name="length"/> bytes.</summary>
    private static byte[] JsonOfLength(int length)
    {
        var body = new byte[length];
        Encoding.ASCII.GetBytes("{\"a\":\"").CopyTo(body, 0);
        body.AsSpan(6, length - 8).Fill((byte)'x');
        body[^2] = (byte)'"';
        body[^1] = (byte)'}';
        return body;
    }

    /// <summary>A stream that cannot tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}

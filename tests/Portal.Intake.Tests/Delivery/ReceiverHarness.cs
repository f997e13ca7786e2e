using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portal.Intake.Delivery;
using Portal.Intake.Receiver;
using Portal.Intake.Tests.Sealing;

namespace Portal.Intake.Tests.Delivery;

/// <summary>A <see cref="ReferenceReceiver"/> on a free loopback port with a fake clock, a temporary store and captured logs.</summary>
internal sealed class ReceiverHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private ReceiverHarness(TempDirectory directory, ReferenceReceiver receiver, FakeTimeProvider clock, CapturedLogs logs, string secret)
    {
        Directory = directory;
        Receiver = receiver;
        Clock = clock;
        Logs = logs;
        Webhooks = new StandardWebhooks(secret);
        Client = new HttpClient { BaseAddress = receiver.Url };
    }

    public TempDirectory Directory { get; }

    public ReferenceReceiver Receiver { get; }

    public FakeTimeProvider Clock { get; }

    public CapturedLogs Logs { get; }

    public StandardWebhooks Webhooks { get; }

    public HttpClient Client { get; }

    public string CasesDirectory => Receiver.CasesDirectory;

    public static async Task<ReceiverHarness> StartAsync(RSA? privateKey = null, long maxBodyBytes = ReceiverOptions.DefaultMaxBodyBytes)
    {
        var directory = new TempDirectory();
        var clock = new FakeTimeProvider(Now);
        var logs = new CapturedLogs();
        var secret = StandardWebhooks.NewSecret();
        var receiver = await ReferenceReceiver.StartAsync(new ReceiverOptions
        {
            Port = 0,
            Secret = secret,
            PrivateKey = privateKey,
            StoreDirectory = directory.File("store"),
            MaxBodyBytes = maxBodyBytes,
            TimeProvider = clock,
            ConfigureLogging = logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace),
        });
        return new ReceiverHarness(directory, receiver, clock, logs, secret);
    }

    /// <summary>A POST signed as the relay signs it, at the harness clock unless told otherwise.</summary>
    public HttpRequestMessage Signed(string id, byte[] body, string contentType, DateTimeOffset? signedAt = null, StandardWebhooks? signer = null)
    {
        var timestamp = (signedAt ?? Clock.GetUtcNow()).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation(StandardWebhooks.IdHeader, id);
        request.Headers.TryAddWithoutValidation(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhooks.SignatureHeader, (signer ?? Webhooks).Sign(id, timestamp, body));
        return request;
    }

    public async Task<HttpResponseMessage> PostAsync(string id, byte[] body, string contentType, DateTimeOffset? signedAt = null, StandardWebhooks? signer = null)
    {
        using var request = Signed(id, body, contentType, signedAt, signer);
        return await Client.SendAsync(request);
    }

    /// <summary>Every file in the cases directory, temporary ones included.</summary>
    public string[] Files() => System.IO.Directory.GetFiles(CasesDirectory);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Receiver.DisposeAsync();
        Directory.Dispose();
    }
}

/// <summary>Every log line, formatted, with any exception.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Intake.Delivery;
using Portal.Intake.Sealing;

namespace Portal.Intake.Receiver;

/// <summary>
/// The reference for what an integration layer in front of a case system must do with the reports the
/// relay's Webhook connector sends. For every <c>POST</c> (any path), in this order:
/// <list type="number">
/// <item>the three Standard Webhooks headers must be present (else 401) and <c>webhook-id</c> must be a
/// safe file name, see <see cref="CaseStore.IsValidId"/> (else 400);</item>
/// <item>the body must be <c>application/jose</c> (the sealed envelope) or <c>application/json</c> (the
/// report, opened by the sender) (else 415) and at most <see cref="ReceiverOptions.MaxBodyBytes"/> (else 413);</item>
/// <item>the signature must verify over the exact bytes received, within five minutes of this clock (else 401);</item>
/// <item>a report whose id is already stored is answered 200 and not stored again: the relay delivers at
/// least once, so retries of a delivered report are normal;</item>
/// <item>an envelope is opened with the private key, if one is configured, or else kept sealed; a body that
/// cannot be opened, or is not JSON, is refused with 422 and not stored;</item>
/// <item>the case is written durably (<see cref="CaseStore"/>) and only then answered 200.</item>
/// </list>
/// Nothing of a body is ever logged: only the report id and the outcome. <c>GET /stats</c> returns
/// <see cref="ReceiverStats"/> as JSON. Listens on 127.0.0.1 only.
/// </summary>
public sealed class ReferenceReceiver : IAsyncDisposable
{
    /// <summary>The Content-Type of a sealed envelope (compact JWE).</summary>
    public const string SealedContentType = "application/jose";

    /// <summary>The Content-Type of a report opened by the sender.</summary>
    public const string OpenedContentType = "application/json";

    private const int FirstReadBufferBytes = 16 * 1024;

    private static readonly JsonReaderOptions StrictJson = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    private readonly WebApplication _app;
    private readonly StandardWebhooks _webhooks;
    private readonly CaseStore _store;
    private readonly PrivateKeyPool? _keys;
    private readonly TimeProvider _clock;
    private readonly int _maxBodyBytes;
    private readonly ILogger _log;
    private readonly IdLocks _locks = new();
    private long _cases;
    private long _duplicates;
    private long _rejected;
    private int _disposed;

    private ReferenceReceiver(WebApplication app, StandardWebhooks webhooks, CaseStore store, PrivateKeyPool? keys, ReceiverOptions options)
    {
        _app = app;
        _webhooks = webhooks;
        _store = store;
        _keys = keys;
        _clock = options.TimeProvider;
        _maxBodyBytes = (int)options.MaxBodyBytes;
        _log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ReferenceReceiver>();
        Url = new Uri("http://127.0.0.1/");
    }

    private enum BodyKind
    {
        Unsupported,
        Sealed,
        Opened,
    }

    private enum Result
    {
        Stored,
        Duplicate,
        Rejected,
        Failed,
        Abandoned,
    }

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri Url { get; private set; }

    /// <summary>The port it listens on (the one picked, when started with port 0).</summary>
    public int Port => Url.Port;

    /// <summary>Where cases are stored, one file per report id.</summary>
    public string CasesDirectory => _store.CasesDirectory;

    /// <summary>Counts since start.</summary>
    public ReceiverStats Stats => new(Interlocked.Read(ref _cases), Interlocked.Read(ref _duplicates), Interlocked.Read(ref _rejected));

    /// <summary>Starts listening; returns once the port is bound.</summary>
    /// <exception cref="ArgumentException">The secret or another option is not valid.</exception>
    /// <exception cref="IOException">The port could not be bound, or the store directory could not be created.</exception>
    public static async Task<ReferenceReceiver> StartAsync(ReceiverOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBodyBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxBodyBytes, 256L * 1024 * 1024);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);

        var webhooks = new StandardWebhooks(options.Secret);
        var store = new CaseStore(options.StoreDirectory);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ReferenceReceiver).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        options.ConfigureLogging?.Invoke(builder.Logging);

        var keys = options.PrivateKey is { } privateKey ? new PrivateKeyPool(privateKey) : null;
        var app = builder.Build();
        var receiver = new ReferenceReceiver(app, webhooks, store, keys, options);
        app.Run(receiver.HandleAsync);
        try
        {
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            receiver.Url = new Uri(address.EndsWith('/') ? address : address + "/");
            return receiver;
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops accepting; requests in flight are finished (and their cases stored) first.</summary>
    public Task StopAsync(CancellationToken ct = default) => _app.StopAsync(ct);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            _keys?.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method))
        {
            await ReceiveAsync(context);
        }
        else if (HttpMethods.IsGet(request.Method) && request.Path.Equals("/stats", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Stats.ToJson(), context.RequestAborted);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var id = Header(context.Request, StandardWebhooks.IdHeader);
        (Result Result, int Status, string Reason) outcome;
        try
        {
            outcome = await ProcessAsync(context, id);
        }
        catch (BadHttpRequestException e)
        {
            outcome = Rejected(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is too large." : "The request could not be read.");
        }

        if (outcome.Result == Result.Abandoned)
        {
            // The sender went away mid-request; it will try again.
            _log.LogDebug("Delivery {Id} abandoned by the sender", CaseStore.IsValidId(id) ? id : "(none)");
            return;
        }

        var loggedId = CaseStore.IsValidId(id) ? id : "(none)";
        switch (outcome.Result)
        {
            case Result.Stored:
                Interlocked.Increment(ref _cases);
                _log.LogInformation("Case {Id} stored", loggedId);
                break;
            case Result.Duplicate:
                Interlocked.Increment(ref _duplicates);
                _log.LogInformation("Case {Id} was already stored; delivery acknowledged again", loggedId);
                break;
            case Result.Rejected:
                Interlocked.Increment(ref _rejected);
                _log.LogWarning("Delivery {Id} rejected with {Status}: {Reason}", loggedId, outcome.Status, outcome.Reason);
                break;
            case Result.Failed:
            case Result.Abandoned:
                break;
        }

        var response = context.Response;
        response.StatusCode = outcome.Status;
        if (outcome.Status == StatusCodes.Status413PayloadTooLarge)
        {
            // The rest of the body is not wanted: close rather than read it to keep the connection.
            response.Headers.Connection = "close";
        }

        if (outcome.Status != StatusCodes.Status200OK)
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(outcome.Reason, context.RequestAborted);
        }
    }

    private async Task<(Result, int, string)> ProcessAsync(HttpContext context, string? id)
    {
        var request = context.Request;
        var timestamp = Header(request, StandardWebhooks.TimestampHeader);
        var signature = Header(request, StandardWebhooks.SignatureHeader);
        if (id is null || timestamp is null || signature is null)
        {
            return Rejected(StatusCodes.Status401Unauthorized, "webhook-id, webhook-timestamp and webhook-signature are required.");
        }

        // Checked before the signature: the id names a file, so it must be safe whoever sent it.
        if (!CaseStore.IsValidId(id))
        {
            return Rejected(StatusCodes.Status400BadRequest, "webhook-id must be a GUID or 1 to 100 of A-Z a-z 0-9 _ -.");
        }

        var kind = KindOf(request.ContentType);
        if (kind == BodyKind.Unsupported)
        {
            return Rejected(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be {SealedContentType} or {OpenedContentType}.");
        }

        if (request.ContentLength > _maxBodyBytes)
        {
            return Rejected(StatusCodes.Status413PayloadTooLarge, "The body is too large.");
        }

        if (request.ContentLength is null && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Kestrel counts chunk framing against its limit; the body itself is limited exactly while reading.
            limit.MaxRequestBodySize = null;
        }

        byte[] body;
        int length;
        try
        {
            (body, length) = await ReadBodyAsync(request, context.RequestAborted);
        }
        catch (Exception e) when (e is not BadHttpRequestException && (e is IOException or OperationCanceledException))
        {
            return (Result.Abandoned, 0, "");
        }

        try
        {
            if (length > _maxBodyBytes)
            {
                return Rejected(StatusCodes.Status413PayloadTooLarge, "The body is too large.");
            }

            var content = body.AsSpan(0, length);
            if (!_webhooks.Verify(id, timestamp, signature, content, _clock.GetUtcNow()))
            {
                return Rejected(StatusCodes.Status401Unauthorized, "The signature does not verify, or its timestamp is too far from now.");
            }

            if (_store.Contains(id))
            {
                return (Result.Duplicate, StatusCodes.Status200OK, "");
            }

            // Concurrent deliveries of one report: the first stores it, the others then find it.
            using (await _locks.AcquireAsync(id, CancellationToken.None))
            {
                try
                {
                    return _store.Contains(id) ? (Result.Duplicate, StatusCodes.Status200OK, "") : Store(id, kind, body.AsSpan(0, length));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Not made durable: the sender must keep the report and try again.
                    _log.LogError("Case {Id} could not be stored ({Error}); answered 503", id, e.GetType().Name);
                    return (Result.Failed, StatusCodes.Status503ServiceUnavailable, "The case could not be stored; try again later.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body, clearArray: true);
        }
    }

    private (Result, int, string) Store(string id, BodyKind kind, ReadOnlySpan<byte> body)
    {
        if (kind == BodyKind.Opened)
        {
            if (!IsJson(body))
            {
                return Rejected(StatusCodes.Status422UnprocessableEntity, "The body is not JSON.");
            }

            return Added(_store.TryAdd(id, CaseStore.OpenedExtension, body));
        }

        var envelope = Encoding.ASCII.GetString(body).Trim();
        if (_keys is null)
        {
            try
            {
                _ = ReportOpener.ReadHeader(envelope);
            }
            catch (SealedReportException)
            {
                return Rejected(StatusCodes.Status422UnprocessableEntity, "The body is not a compact JWE.");
            }

            return Added(_store.TryAdd(id, CaseStore.SealedExtension, body));
        }

        byte[] report;
        try
        {
            report = _keys.Open(envelope);
        }
        catch (SealedReportException)
        {
            return Rejected(StatusCodes.Status422UnprocessableEntity, "The envelope cannot be opened with this key.");
        }

        try
        {
            if (!IsJson(report))
            {
                return Rejected(StatusCodes.Status422UnprocessableEntity, "The opened report is not JSON.");
            }

            return Added(_store.TryAdd(id, CaseStore.OpenedExtension, report));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(report);
        }
    }

    private static (Result, int, string) Rejected(int status, string reason) => (Result.Rejected, status, reason);

    private static (Result, int, string) Added(bool added) => (added ? Result.Stored : Result.Duplicate, StatusCodes.Status200OK, "");

    /// <summary>
    /// The body in a pooled buffer (returned by the caller). Stops reading once past the limit, so the
    /// length returned is then <c>limit + 1</c> or more.
    /// </summary>
    private async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } declared ? (int)declared + 1 : FirstReadBufferBytes);
        var length = 0;
        try
        {
            while (length <= _maxBodyBytes)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, _maxBodyBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static BodyKind KindOf(string? contentType)
    {
        if (contentType is null)
        {
            return BodyKind.Unsupported;
        }

        var media = contentType.AsSpan();
        var parameters = media.IndexOf(';');
        media = (parameters < 0 ? media : media[..parameters]).Trim();
        return media.Equals(SealedContentType, StringComparison.OrdinalIgnoreCase) ? BodyKind.Sealed
            : media.Equals(OpenedContentType, StringComparison.OrdinalIgnoreCase) ? BodyKind.Opened
            : BodyKind.Unsupported;
    }

    private static bool IsJson(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, StrictJson);
        try
        {
            var tokens = 0;
            while (reader.Read())
            {
                tokens++;
            }

            return tokens > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

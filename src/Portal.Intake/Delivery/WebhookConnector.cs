using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Portal.Intake.Sealing;

namespace Portal.Intake.Delivery;

/// <summary>
/// POSTs each report to the case system's endpoint, signed per Standard Webhooks with the report id
/// as <c>webhook-id</c> (the same on every attempt, so the receiver keeps one). The body is the sealed
/// envelope, or, when this worker holds the private key and is told to, the report opened in
/// memory just before sending and wiped just after.
/// </summary>
public sealed class WebhookConnector : IReportConnector, IDisposable
{
    private static readonly MediaTypeHeaderValue Jose = new("application/jose");
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly StandardWebhooks _signer;
    private readonly ThreadLocal<RSA>? _privateKeys;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;

    public WebhookConnector(WebhookOptions options, TimeProvider clock, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _url = new Uri(options.Url!);
        _signer = new StandardWebhooks(options.Secret!);
        _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _clock = clock;
        var keyPath = options.PrivateKey;
        // One key object per thread: opening is synchronous, and RSA objects are not documented as thread-safe.
        _privateKeys = options.Body == "Opened" ? new ThreadLocal<RSA>(() => CaseSystemKeys.LoadPrivateKey(keyPath!), trackAllValues: true) : null;
        _ = _privateKeys?.Value;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, options.TimeoutSeconds)),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Name => "Webhook";

    public static IReadOnlyList<string> Validate(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url))
        {
            errors.Add("Intake:Delivery:Webhook:Url must be an absolute URL.");
        }
        else if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            errors.Add("Intake:Delivery:Webhook:Url must use https (plain http only to a loopback address).");
        }

        try
        {
            _ = new StandardWebhooks(options.Secret ?? "");
        }
        catch (ArgumentException)
        {
            errors.Add("Intake:Delivery:Webhook:Secret must be 'whsec_' followed by at least 24 random bytes in base64.");
        }

        if (options.Body == "Opened" && string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            errors.Add("Intake:Delivery:Webhook:PrivateKey is required when Intake:Delivery:Webhook:Body is Opened.");
        }

        return errors;
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var body = _privateKeys is null ? System.Text.Encoding.ASCII.GetBytes(report.Envelope) : ReportOpener.Open(report.Envelope, _privateKeys.Value!);
        try
        {
            var id = report.ReportId.ToString("D");
            var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, _url);
            request.Headers.Add(StandardWebhooks.IdHeader, id);
            request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(StandardWebhooks.SignatureHeader, _signer.Sign(id, timestamp, body));
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = _privateKeys is null ? Jose : Json;

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_timeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return DeliveryOutcome.Failure($"timeout after {_timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException e)
            {
                return DeliveryOutcome.Failure("http: " + (e.HttpRequestError == HttpRequestError.Unknown ? e.GetType().Name : e.HttpRequestError.ToString()));
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    return DeliveryOutcome.Success;
                }

                return DeliveryOutcome.Failure($"http {status}", RetryAfter(response));
            }
        }
        finally
        {
            if (_privateKeys is not null)
            {
                CryptographicOperations.ZeroMemory(body);
            }
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests) && response.Headers.RetryAfter is null)
        {
            return null;
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
    }

    public void Dispose()
    {
        _http.Dispose();
        if (_privateKeys is not null)
        {
            foreach (var key in _privateKeys.Values)
            {
                key.Dispose();
            }

            _privateKeys.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Portal.SystemTests.Infrastructure;

/// <summary>How the front answers for now.</summary>
public enum FrontMode
{
    /// <summary>Forwards to the receiver and returns its answer.</summary>
    PassThrough,

    /// <summary>503 with <c>Retry-After</c> (seconds in <see cref="FaultyFront.RetryAfterSeconds"/>, or none when null).</summary>
    Unavailable,

    /// <summary>Accepts the request and never answers (the sender times out).</summary>
    Hang,

    /// <summary>Forwards to the receiver (which stores the case), then holds the answer back until released.</summary>
    ForwardThenHold,
}

/// <summary>
/// A loopback stand-in for the network between the relay and the case system: passes requests to
/// the reference receiver, or fails in the ways real networks and receivers fail.
/// </summary>
public sealed class FaultyFront : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FaultyFront(WebApplication app, Uri target)
    {
        _app = app;
        Target = target;
    }

    public Uri Target { get; }

    public Uri Url { get; private set; } = null!;

    private volatile FrontMode _mode = FrontMode.PassThrough;

    public FrontMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    public int? RetryAfterSeconds { get; set; }

    /// <summary>Every request seen: webhook-id, when, and what the front did with it.</summary>
    public ConcurrentQueue<(string Id, DateTime At, FrontMode Mode, int? RetryAfter)> Seen { get; } = new();

    /// <summary>Set when a held request reached the receiver.</summary>
    public TaskCompletionSource Forwarded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release()
    {
        _release.TrySetResult();
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static async Task<FaultyFront> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var front = new FaultyFront(app, target);
        app.MapPost("/{**path}", front.HandleAsync);
        await app.StartAsync();
        front.Url = new Uri(app.Urls.First());
        return front;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var mode = Mode;
        var id = context.Request.Headers["webhook-id"].ToString();
        Seen.Enqueue((id, DateTime.UtcNow, mode, mode == FrontMode.Unavailable ? RetryAfterSeconds : null));
        switch (mode)
        {
            case FrontMode.Unavailable:
                context.Response.StatusCode = 503;
                if (RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return;

            case FrontMode.Hang:
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return;

            default:
                var status = await ForwardAsync(context);
                if (mode == FrontMode.ForwardThenHold)
                {
                    Forwarded.TrySetResult();
                    var release = _release.Task;
                    try
                    {
                        await release.WaitAsync(context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                context.Response.StatusCode = status;
                return;
        }
    }

    private async Task<int> ForwardAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, Target);
        foreach (var name in new[] { "webhook-id", "webhook-timestamp", "webhook-signature" })
        {
            request.Headers.TryAddWithoutValidation(name, context.Request.Headers[name].ToString());
        }

        request.Content = new ByteArrayContent(body.ToArray());
        request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        using var response = await _forward.SendAsync(request);
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Intake.Delivery;

namespace Portal.Web.Operations;

/// <summary>Settings under <c>Intake:Status</c> for the delivery health endpoint.</summary>
public sealed class DeliveryStatusOptions
{
    /// <summary>When set, callers must send <c>Authorization: Bearer {Token}</c>; when not, only direct loopback callers are answered.</summary>
    public string? Token { get; set; }

    /// <summary>A report waiting longer than this makes the endpoint answer 503.</summary>
    public double MaxPendingMinutes { get; set; } = 60;
}

/// <summary>
/// <c>GET /health/delivery</c>: counts and the oldest pending age, never content, for staff and
/// monitoring. 200 when delivery is healthy; 503 when a report has waited too long or any has been
/// dead-lettered. Not for the public: how many people asked for contact is itself sensitive.
/// </summary>
public static class DeliveryHealth
{
    public const string Path = "/health/delivery";

    public static IEndpointRouteBuilder MapDeliveryHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, OutboxStore store, IOptions<DeliveryStatusOptions> options, CancellationToken ct)
    {
        if (!Allowed(context, options.Value))
        {
            return Results.NotFound();
        }

        var status = await store.StatusAsync(ct);
        var healthy = status.DeadLettered == 0 && (status.OldestPendingSeconds ?? 0) <= options.Value.MaxPendingMinutes * 60;
        return Results.Json(
            new { healthy, status.Pending, status.Retrying, status.Delivered, status.DeadLettered, status.Quarantined, status.OldestPendingSeconds, status.CheckedAt },
            WorkerJson,
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static readonly System.Text.Json.JsonSerializerOptions WorkerJson = Portal.Intake.WorkerCommands.JsonOptions;

    private static bool Allowed(HttpContext context, DeliveryStatusOptions options)
    {
        if (!string.IsNullOrEmpty(options.Token))
        {
            var header = context.Request.Headers.Authorization.ToString();
            var expected = "Bearer " + options.Token;
            return CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(header)),
                SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        }

        // No token: a caller on this machine, not one relayed by a proxy on its behalf.
        return context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
            && !context.Request.Headers.ContainsKey("X-Forwarded-For")
            && !context.Request.Headers.ContainsKey("Forwarded");
    }
}

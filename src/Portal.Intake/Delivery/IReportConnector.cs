namespace Portal.Intake.Delivery;

/// <summary>One report on its way to the case system: the sealed envelope and what the relay knows about it.</summary>
/// <param name="ReportId">Stable across attempts: the receiver de-duplicates on it.</param>
/// <param name="Attempt">1 for the first attempt.</param>
public sealed record OutgoingReport(Guid ReportId, bool Urgent, long ReceivedAtMs, string Envelope, int Attempt);

/// <summary>What one attempt achieved. A failure carries a short reason with no report content.</summary>
public readonly record struct DeliveryOutcome(bool Delivered, string? Error, TimeSpan? RetryAfter)
{
    public static DeliveryOutcome Success { get; } = new(true, null, null);

    public static DeliveryOutcome Failure(string error, TimeSpan? retryAfter = null) => new(false, error, retryAfter);
}

/// <summary>
/// Hands one report to the case system. Delivery is at least once: a connector may be asked again
/// for a report it already delivered (the relay crashed before recording it), so what it sends
/// must let the receiver keep one copy (the report id is the key).
/// </summary>
public interface IReportConnector
{
    /// <summary>Directory, Webhook or Email.</summary>
    string Name { get; }

    /// <summary>Expected failures (refused, timed out, 5xx) come back as <see cref="DeliveryOutcome.Failure"/>; anything thrown is recorded as a failure too.</summary>
    Task<DeliveryOutcome> DeliverAsync(OutgoingReport report, CancellationToken ct);
}

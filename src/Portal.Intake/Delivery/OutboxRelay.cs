using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Intake.Storage;

namespace Portal.Intake.Delivery;

/// <summary>Delivery counters. Names and counts only; nothing about any report.</summary>
public static class DeliveryMetrics
{
    private static readonly Meter Meter = new("Portal.Intake.Delivery");

    public static readonly Counter<long> Delivered = Meter.CreateCounter<long>("portal.intake.delivered");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("portal.intake.delivery_failed");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("portal.intake.dead_lettered");

    public static readonly Counter<long> Purged = Meter.CreateCounter<long>("portal.intake.purged");
}

/// <summary>
/// Takes due outbox rows in batches, hands each report to the connector, and records every attempt
/// on the row: delivered, or the error and when to try again (the retry schedule, honouring
/// <c>Retry-After</c>), or dead-lettered once the schedule is spent. Urgent reports go first.
/// Delivery is at least once; the report id lets the receiver keep exactly one.
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    IReportConnector connector,
    DeliverySignal signal,
    IOptions<RelaySettings> settings,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);

    private readonly RetrySchedule _schedule = RetrySchedule.From(settings.Value.Delivery.Relay);

    public static string WorkerName { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: the host goes on starting while the relay runs.
        await Task.Yield();
        var options = settings.Value.Delivery.Relay;
        var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);
        var gather = TimeSpan.FromMilliseconds(options.GatherMilliseconds);
        var nextPurge = DateTimeOffset.MinValue;
        var failures = 0;
        logger.LogInformation("Relay started: connector {Connector}, batches of {Batch}, {Concurrency} at once.", connector.Name, options.BatchSize, options.Concurrency);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() >= nextPurge)
                {
                    await PurgeAsync(stoppingToken);
                    nextPurge = clock.GetUtcNow() + PurgeEvery;
                }

                var taken = await RunOnceAsync(stoppingToken);
                failures = 0;
                if (taken < options.BatchSize && await signal.WaitAsync(poll, clock, stoppingToken) && gather > TimeSpan.Zero)
                {
                    // Wall time, not the clock: this is how long concurrent requests get to commit,
                    // a mechanical pause that the schedule's clock (frozen in tests) must not hold up.
                    await Task.Delay(gather, TimeProvider.System, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database is unreachable or busy: nothing is lost (rows stay pending), so wait and go on.
                failures++;
                logger.LogError("Relay round failed ({Failures} in a row): {Error}", failures, e.GetType().Name + ": " + OneLine(e.Message));
                await Task.Delay(poll * Math.Min(failures, 10), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One round: claim due rows, deliver them, record the results.</summary>
    /// <returns>How many rows were claimed.</returns>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var options = settings.Value.Delivery.Relay;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<OutboxStore>();
        var claimed = await store.ClaimAsync(options.BatchSize, TimeSpan.FromSeconds(options.LeaseSeconds), ct);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var outcomes = new (DeliveryOutcome Outcome, long StartedMs, int DurationMs)[claimed.Count];
        await Parallel.ForAsync(0, claimed.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var started = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var watch = Stopwatch.StartNew();
            DeliveryOutcome outcome;
            try
            {
                outcome = await connector.DeliverAsync(claimed[i].Report, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                outcome = DeliveryOutcome.Failure(e.GetType().Name + ": " + OneLine(e.Message));
            }

            outcomes[i] = (outcome, started, (int)watch.ElapsedMilliseconds);
        });

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < claimed.Count; i++)
        {
            Apply(store.Db, claimed[i], outcomes[i].Outcome, outcomes[i].StartedMs, outcomes[i].DurationMs, now);
        }

        await store.RecordAsync(claimed, ct);
        return claimed.Count;
    }

    private void Apply(IntakeDb db, ClaimedReport claimed, DeliveryOutcome outcome, long startedMs, int durationMs, long now)
    {
        var row = claimed.Row;
        row.Attempts = claimed.Report.Attempt;
        row.LastAttemptAtMs = startedMs;
        row.ClaimToken = null;
        var error = outcome.Error is null ? null : Truncate(outcome.Error, 500);
        db.Attempts.Add(new DeliveryAttempt
        {
            ReportId = row.ReportId,
            Attempt = row.Attempts,
            AtMs = startedMs,
            DurationMs = durationMs,
            Delivered = outcome.Delivered,
            Error = error,
            Worker = WorkerName,
        });

        if (outcome.Delivered)
        {
            row.State = OutboxState.Delivered;
            row.DeliveredAtMs = now;
            row.LastError = null;
            DeliveryMetrics.Delivered.Add(1);
            return;
        }

        row.LastError = error;
        DeliveryMetrics.Failed.Add(1);
        if (_schedule.After(row.Attempts, outcome.RetryAfter) is { } wait)
        {
            row.NextAttemptAtMs = now + (long)wait.TotalMilliseconds;
            logger.LogWarning("Delivery attempt {Attempt} of report {ReportId} failed: {Error}; next in {Wait}.", row.Attempts, row.ReportId, error, wait);
        }
        else
        {
            row.State = OutboxState.DeadLettered;
            row.DeadLetteredAtMs = now;
            DeliveryMetrics.DeadLettered.Add(1);
            logger.LogError("Report {ReportId} dead-lettered after {Attempts} attempts; last error: {Error}. Replay with the replay-dead-letters command once the case system is fixed.", row.ReportId, row.Attempts, error);
        }
    }

    public async Task<PurgeResult> PurgeAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<OutboxStore>();
        var result = await store.PurgeAsync(TimeSpan.FromDays(settings.Value.RetentionDays), TimeSpan.FromDays(settings.Value.DeadLetterRetentionDays), ct);
        if (result.Reports > 0)
        {
            DeliveryMetrics.Purged.Add(result.Reports);
            logger.LogInformation("Purged {Delivered} delivered, {Dead} dead-lettered and {Quarantined} quarantined reports.", result.Delivered, result.DeadLettered, result.Quarantined);
        }

        return result;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

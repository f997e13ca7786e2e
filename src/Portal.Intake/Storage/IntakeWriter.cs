using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Intake.Storage;

/// <summary>A sealed report waiting to be committed, with the single-use values it spends (as hashes).</summary>
public sealed record PendingReport(
    Guid ReportId,
    bool Urgent,
    string NonceHash,
    string? PowHash,
    long KeepTokensUntilMs,
    string Envelope,
    string Verification,
    Func<(string Envelope, string Verification)> ResealWithoutPow);

/// <summary>
/// Group commit: reports accepted at the same moment are written in one transaction, so one
/// synchronous disk flush makes many of them durable. Each caller still waits until its own
/// report (and its outbox row and spent tokens) is committed before it answers.
/// </summary>
public sealed class IntakeWriter : IAsyncDisposable
{
    private const int MaxBatch = 128;

    private readonly Channel<(PendingReport Report, TaskCompletionSource<AcceptResult> Done)> _queue =
        Channel.CreateUnbounded<(PendingReport, TaskCompletionSource<AcceptResult>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly Task _loop;
    private readonly Delivery.DeliverySignal? _delivery;

    /// <param name="delivery">Woken after each commit, so a relay in this process sends at once.</param>
    public IntakeWriter(IServiceScopeFactory scopes, TimeProvider clock, Delivery.DeliverySignal? delivery = null)
    {
        _scopes = scopes;
        _clock = clock;
        _delivery = delivery;
        _loop = Task.Run(RunAsync);
    }

    public async Task<AcceptResult> AcceptAsync(PendingReport report, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource<AcceptResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync((report, done), ct);
        // Not cancelled with the request: once queued, the report is written whether or not anyone waits.
        return await done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<(PendingReport Report, TaskCompletionSource<AcceptResult> Done)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(e);
                }
            }
        }
    }

    private async Task WriteBatchAsync(List<(PendingReport Report, TaskCompletionSource<AcceptResult> Done)> batch, int attempt = 0)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDb>();
        var hashes = batch.SelectMany(b => new[] { b.Report.NonceHash, b.Report.PowHash }).OfType<string>().Distinct().ToList();
        var spent = await db.UsedTokens.AsNoTracking().Where(t => hashes.Contains(t.Hash)).ToDictionaryAsync(t => t.Hash, t => t.ReportId);

        var results = new List<(TaskCompletionSource<AcceptResult> Done, AcceptResult Result)>();
        var inBatch = new Dictionary<string, Guid?>();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (report, done) in batch)
        {
            // A form sent twice: the first report is the answer for both.
            if (spent.TryGetValue(report.NonceHash, out var earlier) || inBatch.TryGetValue(report.NonceHash, out earlier))
            {
                results.Add((done, new AcceptResult(earlier ?? report.ReportId, true, false)));
                continue;
            }

            var (envelope, verification, usePow) = (report.Envelope, report.Verification, report.PowHash is not null);
            if (report.PowHash is { } pow && (spent.ContainsKey(pow) || inBatch.ContainsKey(pow)))
            {
                // The same proof of work was spent by another form: accept this one without it.
                (envelope, verification) = report.ResealWithoutPow();
                usePow = false;
            }

            Add(db, report, envelope, verification, usePow, now);
            inBatch[report.NonceHash] = report.ReportId;
            if (usePow)
            {
                inBatch[report.PowHash!] = report.ReportId;
            }

            results.Add((done, new AcceptResult(report.ReportId, false, usePow)));
        }

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException) when (attempt < 2)
        {
            // Another node spent one of these values between our check and our commit: check again,
            // one by one, so each report is accepted, or answered with the report that got there first.
            foreach (var item in batch)
            {
                await WriteBatchAsync([item], attempt + 1);
            }

            return;
        }

        _delivery?.Notify();
        foreach (var (done, result) in results)
        {
            done.TrySetResult(result);
        }
    }

    private static void Add(IntakeDb db, PendingReport r, string envelope, string verification, bool usePow, long now)
    {
        db.Reports.Add(new SealedReport
        {
            Id = r.ReportId,
            ReceivedAtMs = now,
            Urgent = r.Urgent,
            Verification = verification,
            Status = ReportStatus.Accepted,
            Envelope = envelope,
        });
        db.Outbox.Add(new OutboxMessage
        {
            ReportId = r.ReportId,
            Urgent = r.Urgent,
            State = OutboxState.Pending,
            CreatedAtMs = now,
            NextAttemptAtMs = now,
        });
        db.UsedTokens.Add(new UsedToken { Hash = r.NonceHash, Kind = IntakeStore.FormNonce, ReportId = r.ReportId, ExpiresAtMs = r.KeepTokensUntilMs });
        if (usePow)
        {
            db.UsedTokens.Add(new UsedToken { Hash = r.PowHash!, Kind = IntakeStore.PowChallenge, ExpiresAtMs = r.KeepTokensUntilMs });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}

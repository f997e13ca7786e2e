using Microsoft.EntityFrameworkCore;
using Portal.Intake.Storage;

namespace Portal.Intake.Delivery;

/// <summary>A claimed outbox row with the envelope to send.</summary>
public sealed record ClaimedReport(OutboxMessage Row, OutgoingReport Report);

/// <summary>What staff may see of delivery: counts and an age, never content.</summary>
public sealed record DeliveryStatus(
    long Pending,
    long Retrying,
    long Delivered,
    long DeadLettered,
    long Quarantined,
    double? OldestPendingSeconds,
    DateTimeOffset CheckedAt);

/// <summary>What a purge removed.</summary>
public sealed record PurgeResult(int Delivered, int DeadLettered, int Quarantined, int Tokens)
{
    public int Reports => Delivered + DeadLettered + Quarantined;
}

/// <summary>
/// The outbox as the relay sees it. Rows are claimed with a lease (so a worker that dies leaves
/// them to be tried again) and, on PostgreSQL, with <c>FOR UPDATE SKIP LOCKED</c> so several
/// workers share one database without waiting on each other or taking the same row.
/// </summary>
public sealed class OutboxStore(IntakeDb db, TimeProvider clock)
{
    public IntakeDb Db => db;

    public async Task<IReadOnlyList<ClaimedReport>> ClaimAsync(int batchSize, TimeSpan lease, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var leaseUntil = now + (long)lease.TotalMilliseconds;
        var token = Guid.NewGuid().ToString("N");
        var pending = OutboxState.Pending;
        await using var transaction = await RelayTransactionAsync(ct);
        // One statement: choose the due rows (urgent first, then oldest) and stamp them as ours.
        var rows = db.Database.IsNpgsql()
            ? await db.Outbox.FromSql($"""
                UPDATE intake_outbox SET "NextAttemptAtMs" = {leaseUntil}, "ClaimToken" = {token}
                WHERE "ReportId" IN (
                    SELECT "ReportId" FROM intake_outbox
                    WHERE "State" = {pending} AND "NextAttemptAtMs" <= {now}
                    ORDER BY "Urgent" DESC, "NextAttemptAtMs"
                    LIMIT {batchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).ToListAsync(ct)
            : await db.Outbox.FromSql($"""
                UPDATE intake_outbox SET "NextAttemptAtMs" = {leaseUntil}, "ClaimToken" = {token}
                WHERE "ReportId" IN (
                    SELECT "ReportId" FROM intake_outbox
                    WHERE "State" = {pending} AND "NextAttemptAtMs" <= {now}
                    ORDER BY "Urgent" DESC, "NextAttemptAtMs"
                    LIMIT {batchSize})
                RETURNING *
                """).ToListAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.ReportId).ToList();
        var envelopes = await db.Reports.AsNoTracking()
            .Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, r.Envelope, r.ReceivedAtMs })
            .ToDictionaryAsync(r => r.Id, ct);
        var claimed = new List<ClaimedReport>(rows.Count);
        foreach (var row in rows.OrderByDescending(r => r.Urgent).ThenBy(r => r.CreatedAtMs))
        {
            if (envelopes.TryGetValue(row.ReportId, out var report))
            {
                claimed.Add(new ClaimedReport(row, new OutgoingReport(row.ReportId, row.Urgent, report.ReceivedAtMs, report.Envelope, row.Attempts + 1)));
            }
        }

        return claimed;
    }

    /// <summary>
    /// Saves the rows changed after their attempts (and the attempt records). A row whose claim was
    /// taken over meanwhile (its lease ran out) is left to its new owner.
    /// </summary>
    /// <returns>How many rows were recorded as this worker's.</returns>
    public async Task<int> RecordAsync(IReadOnlyCollection<ClaimedReport> results, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        var lost = 0;
        for (var tries = 0; ; tries++)
        {
            try
            {
                await using (var transaction = await RelayTransactionAsync(ct))
                {
                    await db.SaveChangesAsync(ct);
                    if (transaction is not null)
                    {
                        await transaction.CommitAsync(ct);
                    }
                }

                return results.Count - lost;
            }
            catch (DbUpdateConcurrencyException e) when (tries < results.Count)
            {
                foreach (var entry in e.Entries)
                {
                    entry.State = EntityState.Detached;
                    lost++;
                }
            }
        }
    }

    /// <summary>
    /// On PostgreSQL, the relay's own bookkeeping (claims, attempts, delivered marks) is committed
    /// without waiting for the disk flush. Losing the last of it in a crash only means a report is
    /// claimed again and delivered again, which delivery already allows (at least once; the receiver
    /// keeps one per report id); meanwhile the form's commits, which must be durable before the
    /// sender is answered, do not queue behind the relay's for the disk. Null elsewhere.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> RelayTransactionAsync(CancellationToken ct)
    {
        if (!db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null)
        {
            return null;
        }

        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit TO OFF", ct);
        return transaction;
    }

    public async Task<DeliveryStatus> StatusAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var counts = await db.Outbox.AsNoTracking()
            .GroupBy(o => o.State)
            .Select(g => new { State = g.Key, Count = g.LongCount(), Retrying = g.LongCount(o => o.Attempts > 0), Oldest = g.Min(o => o.CreatedAtMs) })
            .ToListAsync(ct);
        var quarantined = await db.Reports.AsNoTracking().LongCountAsync(r => r.Status == ReportStatus.Quarantined, ct);
        var pending = counts.FirstOrDefault(c => c.State == OutboxState.Pending);
        return new DeliveryStatus(
            pending?.Count ?? 0,
            pending?.Retrying ?? 0,
            counts.FirstOrDefault(c => c.State == OutboxState.Delivered)?.Count ?? 0,
            counts.FirstOrDefault(c => c.State == OutboxState.DeadLettered)?.Count ?? 0,
            quarantined,
            pending is null ? null : Math.Max(0, (now.ToUnixTimeMilliseconds() - pending.Oldest) / 1000.0),
            now);
    }

    /// <summary>
    /// Removes what no longer needs keeping: delivered reports after the retention period, dead
    /// letters and quarantined submissions after the hard maximum, spent single-use values once
    /// expired. The ciphertext goes with the row (SQLite overwrites it: secure_delete).
    /// </summary>
    public async Task<PurgeResult> PurgeAsync(TimeSpan deliveredRetention, TimeSpan hardMaximum, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var deliveredBefore = now - (long)deliveredRetention.TotalMilliseconds;
        var receivedBefore = now - (long)hardMaximum.TotalMilliseconds;
        var delivered = OutboxState.Delivered;
        var dead = OutboxState.DeadLettered;

        var deliveredCount = await db.Reports
            .Where(r => db.Outbox.Any(o => o.ReportId == r.Id && o.State == delivered && o.DeliveredAtMs < deliveredBefore))
            .ExecuteDeleteAsync(ct);
        var deadCount = await db.Reports
            .Where(r => r.ReceivedAtMs < receivedBefore && db.Outbox.Any(o => o.ReportId == r.Id && o.State == dead))
            .ExecuteDeleteAsync(ct);
        var quarantinedCount = await db.Reports
            .Where(r => r.Status == ReportStatus.Quarantined && r.ReceivedAtMs < receivedBefore)
            .ExecuteDeleteAsync(ct);
        var tokens = await db.UsedTokens.Where(t => t.ExpiresAtMs < now).ExecuteDeleteAsync(ct);
        var result = new PurgeResult(deliveredCount, deadCount, quarantinedCount, tokens);

        if (result.Reports > 0 && db.Database.IsSqlite())
        {
            // Deleted pages are zeroed in the database; move them out of the write-ahead log too.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
        }

        return result;
    }

    /// <summary>Puts dead letters (all, or one) back in the queue for a fresh set of attempts.</summary>
    public async Task<int> ReplayDeadLettersAsync(Guid? reportId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var dead = OutboxState.DeadLettered;
        var rows = db.Outbox.Where(o => o.State == dead);
        if (reportId is { } id)
        {
            rows = rows.Where(o => o.ReportId == id);
        }

        return await rows.ExecuteUpdateAsync(
            s => s.SetProperty(o => o.State, OutboxState.Pending)
                .SetProperty(o => o.Attempts, 0)
                .SetProperty(o => o.NextAttemptAtMs, now)
                .SetProperty(o => o.DeadLetteredAtMs, (long?)null)
                .SetProperty(o => o.ClaimToken, (string?)null),
            ct);
    }
}

using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
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
        var rows = new BatchRows();
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

            Add(rows, report, envelope, verification, usePow, now);
            inBatch[report.NonceHash] = report.ReportId;
            if (usePow)
            {
                inBatch[report.PowHash!] = report.ReportId;
            }

            results.Add((done, new AcceptResult(report.ReportId, false, usePow)));
        }

        try
        {
            await InsertAsync(db, rows);
        }
        catch (DbException) when (attempt < 2)
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

    /// <summary>The rows of one batch, in the order they are inserted (a report before the rows that refer to it).</summary>
    private sealed class BatchRows
    {
        public List<SealedReport> Reports { get; } = [];

        public List<OutboxMessage> Outbox { get; } = [];

        public List<UsedToken> Tokens { get; } = [];
    }

    private static void Add(BatchRows rows, PendingReport r, string envelope, string verification, bool usePow, long now)
    {
        rows.Reports.Add(new SealedReport
        {
            Id = r.ReportId,
            ReceivedAtMs = now,
            Urgent = r.Urgent,
            Verification = verification,
            Status = ReportStatus.Accepted,
            Envelope = envelope,
        });
        rows.Outbox.Add(new OutboxMessage
        {
            ReportId = r.ReportId,
            Urgent = r.Urgent,
            State = OutboxState.Pending,
            CreatedAtMs = now,
            NextAttemptAtMs = now,
        });
        rows.Tokens.Add(new UsedToken { Hash = r.NonceHash, Kind = IntakeStore.FormNonce, ReportId = r.ReportId, ExpiresAtMs = r.KeepTokensUntilMs });
        if (usePow)
        {
            rows.Tokens.Add(new UsedToken { Hash = r.PowHash!, Kind = IntakeStore.PowChallenge, ExpiresAtMs = r.KeepTokensUntilMs });
        }
    }

    /// <summary>
    /// Inserts the batch in one transaction, committed before any caller is answered, as SaveChanges
    /// would, but as one parameterised multi-row INSERT per table instead of tracked entities: the
    /// tables, columns and value conversions come from the model, so the rows are what EF writes.
    /// </summary>
    private static async Task InsertAsync(IntakeDb db, BatchRows rows)
    {
        if (rows.Reports.Count == 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var sql = new System.Text.StringBuilder();
        var sqlHelper = db.GetService<ISqlGenerationHelper>();
        AppendInsert(db, command, sql, sqlHelper, rows.Reports);
        AppendInsert(db, command, sql, sqlHelper, rows.Outbox);
        AppendInsert(db, command, sql, sqlHelper, rows.Tokens);
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>What an INSERT into one table needs from the model, worked out once per model and table.</summary>
    private sealed record InsertShape(string Prefix, IReadOnlyList<(IClrPropertyGetter Getter, RelationalTypeMapping Mapping, bool Nullable)> Columns);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(IModel Model, Type Entity), InsertShape> Shapes = new();

    private static InsertShape ShapeOf(IntakeDb db, Type entity, ISqlGenerationHelper sqlHelper) =>
        Shapes.GetOrAdd((db.Model, entity), key =>
        {
            var entityType = key.Model.FindEntityType(key.Entity) ?? throw new InvalidOperationException($"{key.Entity.Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var properties = entityType.GetProperties().Where(p => p.GetColumnName(table) is not null).ToList();
            var prefix = "INSERT INTO " + sqlHelper.DelimitIdentifier(table.Name, table.Schema) + " ("
                + string.Join(", ", properties.Select(p => sqlHelper.DelimitIdentifier(p.GetColumnName(table)!))) + ") VALUES ";
            return new InsertShape(prefix, properties.Select(p => (p.GetGetter(), (RelationalTypeMapping)p.GetRelationalTypeMapping(), p.IsNullable)).ToList());
        });

    private static void AppendInsert<T>(IntakeDb db, DbCommand command, System.Text.StringBuilder sql, ISqlGenerationHelper sqlHelper, List<T> rows)
        where T : class
    {
        var shape = ShapeOf(db, typeof(T), sqlHelper);
        sql.Append(shape.Prefix);
        for (var row = 0; row < rows.Count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < shape.Columns.Count; column++)
            {
                var (getter, mapping, nullable) = shape.Columns[column];
                var name = "p" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                command.Parameters.Add(mapping.CreateParameter(command, sqlHelper.GenerateParameterName(name), getter.GetClrValue(rows[row]), nullable));
                sql.Append(column == 0 ? "" : ", ").Append(sqlHelper.GenerateParameterNamePlaceholder(name));
            }

            sql.Append(')');
        }

        sql.Append(';').AppendLine();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Intake.Delivery;
using Portal.Intake.Storage;

namespace Portal.Intake.Tests.Relay;

public sealed class OutboxRelayTests
{
    private static readonly TimeSpan[] StandardWebhooksWaits =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSQL")]
    public async Task Delivers_EachDueReport_Once_AndRecordsTheAttempt(string provider)
    {
        await using var h = await RelayHarness.StartAsync(provider);
        var ids = await h.AddReportsAsync(5);

        Assert.Equal(5, await h.Relay.RunOnceAsync());
        Assert.Equal(0, await h.Relay.RunOnceAsync());

        Assert.Equal(ids.Order(), h.Connector.Received.Select(r => r.ReportId).Order());
        Assert.All(h.Connector.Received, r => Assert.Equal("sealed." + r.ReportId.ToString("N"), r.Envelope));
        Assert.All(h.Connector.Received, r => Assert.Equal(1, r.Attempt));
        foreach (var id in ids)
        {
            var row = await h.RowAsync(id);
            Assert.Equal(OutboxState.Delivered, row.State);
            Assert.Equal(1, row.Attempts);
            Assert.Equal(h.NowMs, row.DeliveredAtMs);
            Assert.Null(row.LastError);
            Assert.Null(row.ClaimToken);
        }

        var attempts = await h.WithDbAsync(db => db.Attempts.AsNoTracking().ToListAsync());
        Assert.Equal(5, attempts.Count);
        Assert.All(attempts, a => Assert.True(a.Delivered));
        Assert.All(attempts, a => Assert.Equal(OutboxRelay.WorkerName, a.Worker));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSQL")]
    public async Task UrgentReports_AreClaimedBeforeOlderOrdinaryOnes(string provider)
    {
        await using var h = await RelayHarness.StartAsync(provider, new() { ["Intake:Delivery:Relay:BatchSize"] = "2" });
        var ordinary = await h.AddReportsAsync(4);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var urgent = await h.AddReportsAsync(2, urgent: true);

        await h.Relay.RunOnceAsync();

        Assert.Equal(urgent.Order(), h.Connector.Received.Select(r => r.ReportId).Order());
        Assert.All(h.Connector.Received, r => Assert.True(r.Urgent));
        Assert.Equal(OutboxState.Pending, (await h.RowAsync(ordinary[0])).State);
    }

    [Fact]
    public async Task FailingDeliveries_FollowTheStandardWebhooksSchedule_ThenDeadLetter()
    {
        await using var h = await RelayHarness.StartAsync();
        var id = (await h.AddReportsAsync(1))[0];
        h.Connector.Answer = _ => DeliveryOutcome.Failure("http 500");
        long deadLettered = 0;
        using var meters = new System.Diagnostics.Metrics.MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "portal.intake.dead_lettered")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref deadLettered, value));
        meters.Start();

        for (var attempt = 1; attempt <= 8; attempt++)
        {
            Assert.Equal(1, await h.Relay.RunOnceAsync());
            var row = await h.RowAsync(id);
            Assert.Equal(attempt, row.Attempts);
            Assert.Equal("http 500", row.LastError);
            if (attempt < 8)
            {
                Assert.Equal(OutboxState.Pending, row.State);
                var wait = StandardWebhooksWaits[attempt];
                Assert.Equal(h.NowMs + (long)wait.TotalMilliseconds, row.NextAttemptAtMs);

                // Not a moment early.
                h.Clock.Advance(wait - TimeSpan.FromMilliseconds(1));
                Assert.Equal(0, await h.Relay.RunOnceAsync());
                h.Clock.Advance(TimeSpan.FromMilliseconds(1));
            }
            else
            {
                Assert.Equal(OutboxState.DeadLettered, row.State);
                Assert.Equal(h.NowMs, row.DeadLetteredAtMs);
            }
        }

        // Other tests may dead-letter at the same time; this one's is counted at least.
        Assert.True(Interlocked.Read(ref deadLettered) >= 1);

        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await h.Relay.RunOnceAsync());
        Assert.Equal(8, h.Connector.Received.Count);
        Assert.Equal(Enumerable.Range(1, 8), h.Connector.Received.Select(r => r.Attempt));

        var attempts = await h.WithDbAsync(db => db.Attempts.AsNoTracking().OrderBy(a => a.Attempt).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 8), attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.Equal("http 500", a.Error));

        var deadLine = Assert.Single(h.Logs.Lines, l => l.Level == LogLevel.Error);
        Assert.Contains("dead-lettered", deadLine.Text, StringComparison.Ordinal);
        Assert.Contains(id.ToString(), deadLine.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Text.Contains("sealed.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(90, 90_000)]          // longer than the schedule's 5 s: honoured
    [InlineData(2, 5_000)]            // shorter: the schedule wins
    [InlineData(100_000, 36_000_000)] // absurdly long: capped at MaxRetryAfterSeconds
    public async Task RetryAfter_IsHonoured_WithinLimits(int retryAfterSeconds, long expectedWaitMs)
    {
        await using var h = await RelayHarness.StartAsync();
        var id = (await h.AddReportsAsync(1))[0];
        h.Connector.Answer = _ => DeliveryOutcome.Failure("http 503", TimeSpan.FromSeconds(retryAfterSeconds));

        await h.Relay.RunOnceAsync();

        Assert.Equal(h.NowMs + expectedWaitMs, (await h.RowAsync(id)).NextAttemptAtMs);
    }

    [Fact]
    public async Task AThrowingConnector_CountsAsAFailedAttempt()
    {
        await using var h = await RelayHarness.StartAsync();
        var id = (await h.AddReportsAsync(1))[0];
        h.Connector.Answer = _ => throw new InvalidOperationException("socket gone");

        await h.Relay.RunOnceAsync();

        var row = await h.RowAsync(id);
        Assert.Equal(OutboxState.Pending, row.State);
        Assert.Equal(1, row.Attempts);
        Assert.Equal("InvalidOperationException: socket gone", row.LastError);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSQL")]
    public async Task AClaimedRow_IsLeftAloneDuringItsLease_AndTakenAgainAfter(string provider)
    {
        await using var h = await RelayHarness.StartAsync(provider);
        var id = (await h.AddReportsAsync(1))[0];

        // A worker claims the row and dies before recording anything.
        await using (var scope = h.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<OutboxStore>();
            Assert.Single(await store.ClaimAsync(10, TimeSpan.FromSeconds(120)));
        }

        Assert.Equal(0, await h.Relay.RunOnceAsync());
        h.Clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, await h.Relay.RunOnceAsync());
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.Relay.RunOnceAsync());

        var row = await h.RowAsync(id);
        Assert.Equal(OutboxState.Delivered, row.State);
        Assert.Equal(id, Assert.Single(h.Connector.Received).ReportId);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSQL")]
    public async Task AWorkerWhoseLeaseRanOut_DoesNotOverwriteTheNewOwnersResult(string provider)
    {
        await using var h = await RelayHarness.StartAsync(provider);
        var id = (await h.AddReportsAsync(1))[0];

        await using var slowScope = h.Services.CreateAsyncScope();
        var slow = slowScope.ServiceProvider.GetRequiredService<OutboxStore>();
        var claimed = Assert.Single(await slow.ClaimAsync(10, TimeSpan.FromSeconds(1)));

        // The lease runs out; another worker delivers and records.
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await h.Relay.RunOnceAsync());

        // The slow worker comes back with a failure for the same row: it must not count.
        claimed.Row.State = OutboxState.DeadLettered;
        claimed.Row.Attempts = 99;
        Assert.Equal(0, await slow.RecordAsync([claimed]));

        var row = await h.RowAsync(id);
        Assert.Equal(OutboxState.Delivered, row.State);
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public async Task TwoStores_ClaimingAtOnceOnPostgreSQL_TakeDisjointRows()
    {
        var database = RelayHarness.CreatePostgresDatabase();
        try
        {
            await using var a = await RelayHarness.StartAsync("PostgreSQL", sharedPostgres: database);
            await using var b = await RelayHarness.StartAsync("PostgreSQL", sharedPostgres: database);
            await a.AddReportsAsync(400);

            var claimedA = new List<Guid>();
            var claimedB = new List<Guid>();
            async Task ClaimAll(RelayHarness h, List<Guid> into)
            {
                while (true)
                {
                    await using var scope = h.Services.CreateAsyncScope();
                    var rows = await scope.ServiceProvider.GetRequiredService<OutboxStore>().ClaimAsync(7, TimeSpan.FromMinutes(5));
                    if (rows.Count == 0)
                    {
                        return;
                    }

                    into.AddRange(rows.Select(r => r.Report.ReportId));
                }
            }

            await Task.WhenAll(Task.Run(() => ClaimAll(a, claimedA)), Task.Run(() => ClaimAll(b, claimedB)));

            Assert.Equal(400, claimedA.Count + claimedB.Count);
            Assert.Empty(claimedA.Intersect(claimedB));
            Assert.NotEmpty(claimedA);
            Assert.NotEmpty(claimedB);
        }
        finally
        {
            RelayHarness.DropPostgresDatabase(database);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSQL")]
    public async Task Purge_RemovesDeliveredAfterRetention_DeadLettersAfterTheHardMaximum_NeverPending(string provider)
    {
        await using var h = await RelayHarness.StartAsync(provider);
        var delivered = await h.AddReportsAsync(2);
        await h.Relay.RunOnceAsync();
        var dead = await h.AddReportsAsync(1);
        h.Connector.Answer = _ => DeliveryOutcome.Failure("http 500");
        for (var i = 0; i < 8; i++)
        {
            await h.Relay.RunOnceAsync();
            h.Clock.Advance(TimeSpan.FromHours(11));
        }

        Assert.Equal(OutboxState.DeadLettered, (await h.RowAsync(dead[0])).State);
        var quarantined = Guid.NewGuid();
        await h.WithDbAsync(async db =>
        {
            db.Reports.Add(new SealedReport { Id = quarantined, ReceivedAtMs = h.NowMs, Verification = "none", Status = ReportStatus.Quarantined, Envelope = "q" });
            db.UsedTokens.Add(new UsedToken { Hash = "old", Kind = "form", ExpiresAtMs = h.NowMs - 1 });
            db.UsedTokens.Add(new UsedToken { Hash = "new", Kind = "form", ExpiresAtMs = h.NowMs + (long)TimeSpan.FromDays(400).TotalMilliseconds });
            return await db.SaveChangesAsync();
        });

        // Stuck pending (the case system has been down a long time): kept whatever its age.
        h.Connector.Answer = _ => DeliveryOutcome.Failure("http 503", TimeSpan.FromDays(400));
        var pending = await h.AddReportsAsync(1);

        // Day 3.7: nothing old enough yet, except the expired token.
        var first = await h.Relay.PurgeAsync();
        Assert.Equal(new PurgeResult(0, 0, 0, 1), first);

        // 7 days after delivery: the delivered reports go, with their outbox rows and attempts.
        h.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromHours(88) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await h.Relay.PurgeAsync()).Delivered);
        foreach (var id in delivered)
        {
            Assert.False(await h.WithDbAsync(db => db.Reports.AnyAsync(r => r.Id == id)));
            Assert.False(await h.WithDbAsync(db => db.Outbox.AnyAsync(o => o.ReportId == id)));
            Assert.False(await h.WithDbAsync(db => db.Attempts.AnyAsync(a => a.ReportId == id)));
        }

        // 30 days after arrival: the dead letter and the quarantined submission go; the pending one stays.
        h.Clock.Advance(TimeSpan.FromDays(30));
        var last = await h.Relay.PurgeAsync();
        Assert.Equal((1, 1), (last.DeadLettered, last.Quarantined));
        Assert.True(await h.WithDbAsync(db => db.Reports.AnyAsync(r => r.Id == pending[0])));
        Assert.Equal(1, await h.WithDbAsync(db => db.Reports.CountAsync()));
        Assert.Equal(["new"], await h.WithDbAsync(db => db.UsedTokens.Select(t => t.Hash).ToListAsync()));
    }

    [Fact]
    public async Task Purge_OnSqlite_LeavesNoCiphertextInTheDatabaseFiles()
    {
        await using var h = await RelayHarness.StartAsync(settings: new() { ["Intake:RetentionDays"] = "0" });
        var ids = await h.AddReportsAsync(20);
        await h.Relay.RunOnceAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(20, (await h.Relay.PurgeAsync()).Delivered);

        foreach (var file in Directory.GetFiles(h.Folder, "portal.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            foreach (var id in ids)
            {
                Assert.DoesNotContain("sealed." + id.ToString("N"), text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ReplayDeadLetters_GivesThemAFreshSchedule()
    {
        await using var h = await RelayHarness.StartAsync(settings: new() { ["Intake:Delivery:Relay:Schedule"] = "0s, 1s" });
        var ids = await h.AddReportsAsync(2);
        h.Connector.Answer = _ => DeliveryOutcome.Failure("http 500");
        await h.Relay.RunOnceAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.Relay.RunOnceAsync();
        Assert.All(ids, id => Assert.Equal(OutboxState.DeadLettered, h.RowAsync(id).Result.State));

        h.Connector.Answer = _ => DeliveryOutcome.Success;
        await using (var scope = h.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<OutboxStore>().ReplayDeadLettersAsync(ids[0]));
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<OutboxStore>().ReplayDeadLettersAsync(ids[0]));
        }

        Assert.Equal(1, await h.Relay.RunOnceAsync());
        Assert.Equal(OutboxState.Delivered, (await h.RowAsync(ids[0])).State);
        Assert.Equal(OutboxState.DeadLettered, (await h.RowAsync(ids[1])).State);

        await using (var scope = h.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<OutboxStore>().ReplayDeadLettersAsync(null));
        }

        Assert.Equal(1, await h.Relay.RunOnceAsync());
        Assert.Equal(OutboxState.Delivered, (await h.RowAsync(ids[1])).State);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSQL")]
    public async Task Status_CountsEachState_AndTheOldestPendingAge(string provider)
    {
        await using var h = await RelayHarness.StartAsync(provider, new() { ["Intake:Delivery:Relay:Schedule"] = "0s" });
        await using (var scope = h.Services.CreateAsyncScope())
        {
            var empty = await scope.ServiceProvider.GetRequiredService<OutboxStore>().StatusAsync();
            Assert.Equal((0L, 0L, 0L, 0L, 0L, (double?)null), (empty.Pending, empty.Retrying, empty.Delivered, empty.DeadLettered, empty.Quarantined, empty.OldestPendingSeconds));
        }

        await h.AddReportsAsync(3);
        await h.Relay.RunOnceAsync();                       // 3 delivered
        h.Connector.Answer = _ => DeliveryOutcome.Failure("http 500");
        await h.AddReportsAsync(1);
        await h.Relay.RunOnceAsync();                       // 1 dead-lettered (a one-attempt schedule)
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        await h.AddReportsAsync(2);
        h.Clock.Advance(TimeSpan.FromSeconds(45));

        await using (var scope = h.Services.CreateAsyncScope())
        {
            var status = await scope.ServiceProvider.GetRequiredService<OutboxStore>().StatusAsync();
            Assert.Equal(2, status.Pending);
            Assert.Equal(0, status.Retrying);
            Assert.Equal(3, status.Delivered);
            Assert.Equal(1, status.DeadLettered);
            Assert.Equal(45, status.OldestPendingSeconds);
        }
    }

    [Fact]
    public async Task Running_ANotifiedReport_IsDeliveredWhileTheScheduleClockStandsStill()
    {
        // The gathering pause is wall time: a relay whose clock does not move (as in the web tests) still delivers.
        await using var h = await RelayHarness.StartAsync();
        try
        {
            await StartAfterAFirstRoundAsync(h);
            var ids = await h.AddReportsAsync(1);
            h.Services.GetRequiredService<DeliverySignal>().Notify();

            await WaitForAsync(() => h.Connector.Received.Count >= 2, TimeSpan.FromSeconds(20));
            Assert.Equal(ids, h.Connector.Received.Skip(1).Select(r => r.ReportId));
        }
        finally
        {
            await h.Relay.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Running_ANotifiedRelay_WaitsTheGatheringPause_SoReportsArrivingTogetherGoInOneRound()
    {
        await using var h = await RelayHarness.StartAsync(settings: new() { ["Intake:Delivery:Relay:GatherMilliseconds"] = "3000" });
        var signal = h.Services.GetRequiredService<DeliverySignal>();
        try
        {
            await StartAfterAFirstRoundAsync(h);
            var first = await h.AddReportsAsync(1);
            signal.Notify();
            await Task.Delay(300);
            Assert.Single(h.Connector.Received);

            var more = await h.AddReportsAsync(2);
            signal.Notify();

            await WaitForAsync(() => h.Connector.Received.Count >= 4, TimeSpan.FromSeconds(20));
            Assert.Equal(first.Concat(more).Order(), h.Connector.Received.Skip(1).Select(r => r.ReportId).Order());
        }
        finally
        {
            await h.Relay.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A report waiting when the relay starts is taken by its first round; once that is delivered the
    /// relay waits for a notification (its poll never times out on a clock that stands still).
    /// </summary>
    private static async Task StartAfterAFirstRoundAsync(RelayHarness h)
    {
        var waiting = await h.AddReportsAsync(1);
        await h.Relay.StartAsync(CancellationToken.None);
        await WaitForAsync(() => !h.Connector.Received.IsEmpty, TimeSpan.FromSeconds(20));
        Assert.Equal(waiting, h.Connector.Received.Select(r => r.ReportId));
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < limit, $"Not done within {limit.TotalSeconds} s.");
            await Task.Delay(20);
        }
    }
}

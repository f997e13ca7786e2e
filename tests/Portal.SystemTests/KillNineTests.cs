using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Portal.SystemTests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.SystemTests;

/// <summary>
/// The portal killed with SIGKILL at random moments while people send the form: every report whose
/// sender saw the confirmation (303) reaches the case system exactly once, and the database is sound.
/// </summary>
public sealed class KillNineTests(ITestOutputHelper output)
{
    private const int Submissions = 2000;
    private const int Concurrency = 8;
    private const int Kills = 20;

    [Fact]
    public async Task Sqlite_TwentyKillsDuring2000Submissions_LoseNothing_DuplicateNothing()
    {
        await using var world = await DeliveryWorld.StartAsync();
        await RunAsync(world, new Dictionary<string, string?>());

        using var connection = new SqliteConnection($"Data Source={Path.Combine(world.DataDirectory, "portal.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
    }

    [Fact]
    public async Task PostgreSql_TwentyKillsDuring2000Submissions_LoseNothing_DuplicateNothing()
    {
        await using var world = await DeliveryWorld.StartAsync();
        var database = world.Own(await Postgres.CreateAsync());
        await RunAsync(world, database.Settings);

        // Every stored report has its outbox row, and every outbox row its report.
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM intake_reports r FULL JOIN intake_outbox o ON o.\"ReportId\" = r.\"Id\" WHERE r.\"Id\" IS NULL OR (o.\"ReportId\" IS NULL AND r.\"Status\" = 'accepted')"));
    }

    private async Task RunAsync(DeliveryWorld world, Dictionary<string, string?> database)
    {
        var settings = world.WebhookSettings(world.Receiver.Url);
        foreach (var (key, value) in database)
        {
            settings[key] = value;
        }

        var portal = world.Own(new PortalProcess(world.DataDirectory, settings));
        await portal.StartAsync();

        var run = Guid.NewGuid().ToString("N")[..8];
        var statuses = new ConcurrentDictionary<int, int>();
        var confirmed = 0;
        var random = new Random();
        var killAt = Enumerable.Range(0, Kills).Select(_ => random.Next(40, Submissions - 100)).Order().ToArray();
        var gate = new SemaphoreSlim(1, 1);
        var killsDone = 0;
        var started = DateTime.UtcNow;

        // The killer: each time the count of attempts passes the next random mark, SIGKILL and restart.
        using var stop = new CancellationTokenSource();
        var attempted = 0;
        var killer = Task.Run(async () =>
        {
            foreach (var mark in killAt)
            {
                while (Volatile.Read(ref attempted) < mark)
                {
                    await Task.Delay(random.Next(1, 15), stop.Token);
                }

                await portal.KillAndRestartAsync();
                killsDone++;
            }
        });

        using var sender = new FormSender(portal.BaseAddress);
        await Parallel.ForAsync(0, Submissions, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var token = await sender.OpenAsync(ct);
            Interlocked.Increment(ref attempted);
            var status = await sender.SendAsync(token, DeliveryWorld.MarkerFor(run, i), urgent: i % 10 == 0, ct);
            statuses[i] = status;
            if (status == 303)
            {
                Interlocked.Increment(ref confirmed);
            }
        });
        await killer;
        var sending = DateTime.UtcNow - started;

        await DeliveryWorld.WaitForAsync(
            async () => (await DeliveryWorld.HealthAsync(portal.BaseAddress)).Pending == 0,
            TimeSpan.FromSeconds(120),
            () => $"receiver has {world.Receiver.CaseCount()} cases; portal:\n{portal.Tail}");
        var health = await DeliveryWorld.HealthAsync(portal.BaseAddress);
        await portal.KillAsync();

        var markers = world.MarkersAtReceiver();
        var lost = statuses.Where(s => s.Value == 303 && markers.GetValueOrDefault(DeliveryWorld.MarkerFor(run, s.Key)) != 1).Select(s => s.Key).ToList();
        var unknown = statuses.Count(s => s.Value != 303);
        output.WriteLine($"{Submissions} sent in {sending.TotalSeconds:F1} s with {killsDone} kills ({portal.Starts} starts): {confirmed} confirmed, " +
            $"{unknown} cut off (other statuses: {string.Join(", ", statuses.Values.Where(v => v != 303).GroupBy(v => v).Select(g => $"{g.Key}×{g.Count()}"))}); " +
            $"receiver holds {markers.Count} reports; delivered {health.Delivered}, dead-lettered {health.DeadLettered}");

        Assert.Equal(Kills, killsDone);
        Assert.Empty(lost);
        Assert.All(markers, m => Assert.Equal(1, m.Value));
        Assert.Equal(0, health.DeadLettered);
        // Reports whose sender was cut off may or may not have been kept; those kept were delivered too.
        Assert.Equal(health.Delivered, markers.Count);
        Assert.Equal(markers.Count, world.Receiver.CaseCount());
        Assert.All(statuses.Values, s => Assert.True(s is 303 or 0, $"unexpected status {s}"));
        Assert.True(confirmed >= Submissions - (Kills * Concurrency), $"only {confirmed} confirmed");
    }
}

using Portal.SystemTests.Infrastructure;

namespace Portal.SystemTests;

/// <summary>Two relay workers sharing one PostgreSQL database split the work and deliver every report once.</summary>
public sealed class TwoWorkersTests
{
    [Fact]
    public async Task TwoWorkersOnOnePostgreSql_DeliverEveryReportOnce_BetweenThem()
    {
        await using var world = await DeliveryWorld.StartAsync();
        var database = world.Own(await Postgres.CreateAsync());
        var settings = world.WebhookSettings(world.Receiver.Url);
        settings["Intake__Delivery__Relay__BatchSize"] = "8";
        settings["Intake__Delivery__Relay__Concurrency"] = "4";
        settings["Intake__Delivery__Relay__LeaseSeconds"] = "60";
        foreach (var (key, value) in database.Settings)
        {
            settings[key] = value;
        }

        var portal = world.Own(new PortalProcess(world.DataDirectory, new Dictionary<string, string?>(settings) { ["Intake__Delivery__Relay__Enabled"] = "false" }));
        await portal.StartAsync();
        const int count = 400;
        var run = Guid.NewGuid().ToString("N")[..8];
        using (var sender = new FormSender(portal.BaseAddress))
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                Assert.Equal(303, await sender.SendAsync(await sender.OpenAsync(ct), DeliveryWorld.MarkerFor(run, i), ct: ct)));
        }

        Assert.Equal(count, (await DeliveryWorld.HealthAsync(portal.BaseAddress)).Pending);
        var first = world.Own(world.StartWorker(settings));
        var second = world.Own(world.StartWorker(settings));

        await DeliveryWorld.WaitForAsync(
            async () => (await DeliveryWorld.HealthAsync(portal.BaseAddress)) is { Pending: 0, Delivered: count },
            TimeSpan.FromSeconds(60),
            () => first.Tail() + "\n" + second.Tail());

        var stats = await world.Receiver.StatsAsync();
        Assert.Equal(count, stats.Cases);
        Assert.Equal(0, stats.Duplicates);
        var markers = world.MarkersAtReceiver();
        Assert.Equal(count, markers.Count);
        Assert.All(markers.Values, n => Assert.Equal(1, n));
        Assert.Equal(count, await database.ScalarAsync<long>("SELECT count(*) FROM intake_delivery_attempts"));
        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(DISTINCT \"Worker\") FROM intake_delivery_attempts"));
    }
}

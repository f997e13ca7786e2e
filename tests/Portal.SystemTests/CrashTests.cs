using Portal.SystemTests.Infrastructure;

namespace Portal.SystemTests;

/// <summary>The relay dies after the case system took a report but before the relay wrote that down.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task WorkerKilledBetweenSendAndRecord_SendsAgainWithTheSameId_AndTheReceiverKeepsOne()
    {
        await using var world = await DeliveryWorld.StartAsync();
        var front = world.Own(await FaultyFront.StartAsync(world.Receiver.Url));
        front.Mode = FrontMode.ForwardThenHold;
        var settings = world.WebhookSettings(front.Url);
        settings["Intake__Delivery__Webhook__TimeoutSeconds"] = "60";
        var portal = world.Own(new PortalProcess(world.DataDirectory, new Dictionary<string, string?>(settings) { ["Intake__Delivery__Relay__Enabled"] = "false" }));
        await portal.StartAsync();
        var worker = world.StartWorker(settings);
        await worker.WaitForLineAsync(l => l.Contains("Relay started", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        using var sender = new FormSender(portal.BaseAddress);
        var run = Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(303, await sender.SendAsync(await sender.OpenAsync(), DeliveryWorld.MarkerFor(run, 1)));

        // The receiver has stored the case; its answer is held back; the worker dies waiting for it.
        await front.Forwarded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, world.Receiver.CaseCount());
        await worker.KillHardAsync();
        Assert.Equal(1, (await DeliveryWorld.HealthAsync(portal.BaseAddress)).Pending);

        front.Mode = FrontMode.PassThrough;
        front.Release();
        var second = world.Own(world.StartWorker(settings));
        await DeliveryWorld.WaitForAsync(
            async () => (await DeliveryWorld.HealthAsync(portal.BaseAddress)) is { Pending: 0, Delivered: 1 },
            TimeSpan.FromSeconds(30),
            () => second.Tail());

        var ids = front.Seen.Select(s => s.Id).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        var stats = await world.Receiver.StatsAsync();
        Assert.Equal((1L, 1L), (stats.Cases, stats.Duplicates));
        Assert.Equal(1, world.Receiver.CaseCount());
        Assert.Equal(1, world.MarkersAtReceiver()[DeliveryWorld.MarkerFor(run, 1)]);
        await worker.DisposeAsync();
    }
}

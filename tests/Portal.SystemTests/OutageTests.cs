using Portal.SystemTests.Infrastructure;

namespace Portal.SystemTests;

/// <summary>The case system down for a while in the ways real ones go down; afterwards every report arrives, once.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task ReceiverAnswering503_ThenTimingOut_ThenRecovering_GetsEveryReportExactlyOnce()
    {
        await using var world = await DeliveryWorld.StartAsync();
        var front = world.Own(await FaultyFront.StartAsync(world.Receiver.Url));
        front.Mode = FrontMode.Unavailable;
        front.RetryAfterSeconds = 2;
        var schedule = "0s, 200ms, 500ms, " + string.Join(", ", Enumerable.Repeat("1s", 40));
        var portal = world.Own(new PortalProcess(world.DataDirectory, world.WebhookSettings(front.Url, schedule)));
        await portal.StartAsync();

        var run = Guid.NewGuid().ToString("N")[..8];
        using var sender = new FormSender(portal.BaseAddress);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(303, await sender.SendAsync(await sender.OpenAsync(), DeliveryWorld.MarkerFor(run, i), urgent: i % 5 == 0));
        }

        // 503 with Retry-After: 2, then 503 without, then no answer at all (the relay times out after 1 s).
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        front.RetryAfterSeconds = null;
        await Task.Delay(TimeSpan.FromSeconds(2));
        front.Mode = FrontMode.Hang;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, world.Receiver.CaseCount());
        front.Mode = FrontMode.PassThrough;

        await DeliveryWorld.WaitForAsync(
            async () => (await DeliveryWorld.HealthAsync(portal.BaseAddress)) is { Pending: 0, Delivered: 20 },
            TimeSpan.FromSeconds(30),
            () => $"receiver has {world.Receiver.CaseCount()} cases\n{portal.Tail}");

        var markers = world.MarkersAtReceiver();
        Assert.Equal(20, markers.Count);
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(1, markers.GetValueOrDefault(DeliveryWorld.MarkerFor(run, i))));
        var stats = await world.Receiver.StatsAsync();
        Assert.Equal(20, stats.Cases);
        Assert.Equal(0, stats.Rejected);

        // Every kind of failure was met, and Retry-After was honoured: no report was tried again
        // sooner than 2 s after a 503 that asked for 2 s (the schedule alone would have waited 0.2 to 1 s).
        var seen = front.Seen.ToList();
        Assert.Contains(seen, s => s is { Mode: FrontMode.Unavailable, RetryAfter: 2 });
        Assert.Contains(seen, s => s is { Mode: FrontMode.Unavailable, RetryAfter: null });
        Assert.Contains(seen, s => s.Mode == FrontMode.Hang);
        foreach (var perReport in seen.GroupBy(s => s.Id))
        {
            var tries = perReport.OrderBy(s => s.At).ToList();
            for (var i = 1; i < tries.Count; i++)
            {
                if (tries[i - 1] is { Mode: FrontMode.Unavailable, RetryAfter: 2 })
                {
                    Assert.True(tries[i].At - tries[i - 1].At >= TimeSpan.FromSeconds(1.9), $"retried after {(tries[i].At - tries[i - 1].At).TotalMilliseconds} ms despite Retry-After: 2");
                }
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Portal.SystemTests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.SystemTests;

/// <summary>
/// Two web nodes on one PostgreSQL database, each with its own data folder and no relay, and one
/// separate worker: reports from either node arrive once, a back-office session made on one node
/// works on the other, and a publish on one shows on the other within two seconds.
/// </summary>
public sealed partial class TwoNodesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoWebNodesAndOneWorkerOnOnePostgreSql_ShareReportsSessionsAndPublishes()
    {
        await using var world = await DeliveryWorld.StartAsync();
        var database = world.Own(await Postgres.CreateAsync());
        var settings = world.WebhookSettings(world.Receiver.Url);
        foreach (var (key, value) in database.Settings)
        {
            settings[key] = value;
        }

        var web = new Dictionary<string, string?>(settings) { ["Intake__Delivery__Relay__Enabled"] = "false" };
        // Started one after the other: the first makes the schema and the first key, the second finds both.
        var a = world.Own(new PortalProcess(Path.Combine(world.Folder, "node-a"), web));
        await a.StartAsync();
        var b = world.Own(new PortalProcess(Path.Combine(world.Folder, "node-b"), web));
        await b.StartAsync();
        var worker = world.Own(world.StartWorker(settings));
        await worker.WaitForLineAsync(l => l.Contains("Relay started", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        // (a) A report through each node's form reaches the receiver exactly once.
        var run = Guid.NewGuid().ToString("N")[..8];
        var markers = new[] { DeliveryWorld.MarkerFor(run, 1), DeliveryWorld.MarkerFor(run, 2) };
        using (var senderA = new FormSender(a.BaseAddress))
        using (var senderB = new FormSender(b.BaseAddress))
        {
            Assert.Equal(303, await senderA.SendAsync(await senderA.OpenAsync(), markers[0]));
            Assert.Equal(303, await senderB.SendAsync(await senderB.OpenAsync(), markers[1]));
        }

        await DeliveryWorld.WaitForAsync(
            () => Task.FromResult(markers.All(world.MarkersAtReceiver().ContainsKey)),
            TimeSpan.FromSeconds(30),
            () => worker.Tail() + "\n" + world.Receiver.Tail);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var received = world.MarkersAtReceiver();
        Assert.Equal(markers.Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));
        Assert.All(received.Values, n => Assert.Equal(1, n));
        var stats = await world.Receiver.StatsAsync();
        Assert.Equal((2L, 0L), (stats.Cases, stats.Duplicates));
        Assert.Equal(2, world.Receiver.CaseCount());
        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM intake_delivery_attempts"));

        // (b) Signed in on node A, the same cookies are a session on node B.
        var email = $"admin-{run}@larchwood.example";
        var password = await CreateAdminAsync(world, settings, email);
        using var staff = new StaffBrowser();
        await staff.SignInAndEnrolAsync(a.BaseAddress, email, password);
        Assert.Contains("__Host-staff", staff.CookieNames);
        foreach (var path in new[] { "/backoffice", "/backoffice/pages" })
        {
            using var onB = await staff.GetAsync(b.BaseAddress, path);
            Assert.True(onB.StatusCode == HttpStatusCode.OK, $"{path} on node B: {(int)onB.StatusCode} {onB.Headers.Location}\n{b.Tail}");
        }

        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
        Assert.False(Directory.Exists(Path.Combine(world.Folder, "node-a", "keys")));
        Assert.False(Directory.Exists(Path.Combine(world.Folder, "node-b", "keys")));

        // (c) A publish through node A's back office shows on node B's public page within two seconds.
        const string editor = "/backoffice/pages/accessibility/en-GB/standard";
        var text = "Published on node A, read on node B, run " + run + ".";
        await OkAsync(staff.PostFormAsync(a.BaseAddress, editor, new()
        {
            ["action"] = "save", ["title"] = "Accessibility", ["nav_title"] = "", ["description"] = "How accessible this website is.", ["body"] = text + "\n",
        }));
        await OkAsync(staff.PostFormAsync(a.BaseAddress, editor, new() { ["action"] = "submit" }));
        await OkAsync(staff.PostFormAsync(a.BaseAddress, editor, new() { ["action"] = "approve" }));
        using var reader = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        Assert.DoesNotContain(text, await reader.GetStringAsync(new Uri(b.BaseAddress, "/en-GB/accessibility")), StringComparison.Ordinal);

        await OkAsync(staff.PostFormAsync(a.BaseAddress, editor, new() { ["action"] = "publish" }));
        var published = Stopwatch.StartNew();
        TimeSpan? seen = null;
        while (published.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var page = await reader.GetAsync(new Uri(b.BaseAddress, "/en-GB/accessibility"));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.False(page.Headers.Contains("Set-Cookie"));
            if ((await page.Content.ReadAsStringAsync()).Contains(text, StringComparison.Ordinal))
            {
                seen = published.Elapsed;
                break;
            }

            await Task.Delay(25);
        }

        Assert.NotNull(seen);
        output.WriteLine($"Node B showed node A's publish {seen.Value.TotalMilliseconds:F0} ms after the publish answered.");
        Assert.True(seen <= TimeSpan.FromSeconds(2), $"node B showed the publish after {seen.Value.TotalMilliseconds:F0} ms");
    }

    /// <summary><c>Portal.Web create-admin</c> against the shared database; returns the one-time password it prints.</summary>
    private static async Task<string> CreateAdminAsync(DeliveryWorld world, Dictionary<string, string?> settings, string email)
    {
        var environment = new Dictionary<string, string?>(settings) { ["Portal__DataDirectory"] = Path.Combine(world.Folder, "command") };
        await using var command = ChildProcess.Start(Programs.Web, ["create-admin", "--email", email], environment);
        var line = await command.WaitForLineAsync(l => OneTimePassword().IsMatch(l), TimeSpan.FromSeconds(60));
        return OneTimePassword().Match(line).Groups[1].Value;
    }

    private static async Task OkAsync(Task<HttpResponseMessage> step)
    {
        using var response = await step;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.Headers.Location}: {await response.Content.ReadAsStringAsync()}");
    }

    [GeneratedRegex("^One-time password: (\\S+)$")]
    private static partial Regex OneTimePassword();
}

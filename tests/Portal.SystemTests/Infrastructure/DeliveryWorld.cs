using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Intake.Delivery;
using Portal.Intake.Sealing;

namespace Portal.SystemTests.Infrastructure;

/// <summary>
/// A case system's side for one test: a key pair, a webhook secret, the reference receiver, and a
/// data folder for the portal; removed afterwards.
/// </summary>
public sealed partial class DeliveryWorld : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private DeliveryWorld(string folder)
    {
        Folder = folder;
        Secret = StandardWebhooks.NewSecret();
        var keys = Path.Combine(folder, "keys");
        CaseSystemKeys.GenerateKeyPair(keys, 2048);
        PublicKey = Path.Combine(keys, CaseSystemKeys.PublicKeyFileName);
        PrivateKey = Path.Combine(keys, CaseSystemKeys.PrivateKeyFileName);
    }

    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string Secret { get; }

    public string PublicKey { get; }

    public string PrivateKey { get; }

    public ReceiverProcess Receiver { get; private set; } = null!;

    public static async Task<DeliveryWorld> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "daportal-system-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var world = new DeliveryWorld(folder);
        world.Receiver = await ReceiverProcess.StartAsync(world.Secret, world.PrivateKey, Path.Combine(folder, "received"));
        world._owned.Add(world.Receiver);
        return world;
    }

    public T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Portal settings for webhook delivery to <paramref name="url"/> with fast retries fit for a test.</summary>
    public Dictionary<string, string?> WebhookSettings(Uri url, string schedule = "0s, 200ms, 500ms, 1s", bool relay = true) => new()
    {
        ["Intake__Sealing__PublicKey"] = PublicKey,
        ["Intake__Delivery__Connector"] = "Webhook",
        ["Intake__Delivery__Webhook__Url"] = url.ToString(),
        ["Intake__Delivery__Webhook__Secret"] = Secret,
        ["Intake__Delivery__Webhook__TimeoutSeconds"] = "1",
        ["Intake__Delivery__Relay__Enabled"] = relay ? "true" : "false",
        ["Intake__Delivery__Relay__Schedule"] = schedule,
        ["Intake__Delivery__Relay__Jitter"] = "0",
        ["Intake__Delivery__Relay__PollMilliseconds"] = "100",
        ["Intake__Delivery__Relay__LeaseSeconds"] = "3",
    };

    /// <summary>The relay on its own, against the same data and database as the portal.</summary>
    public ChildProcess StartWorker(IDictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(settings) { ["Portal__DataDirectory"] = DataDirectory };
        return ChildProcess.Start(Programs.Intake, ["worker"], environment);
    }

    /// <summary>How many stored cases mention each marker.</summary>
    public Dictionary<string, int> MarkersAtReceiver()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in Receiver.Cases().Values)
        {
            foreach (Match m in Marker().Matches(text))
            {
                counts[m.Value] = counts.GetValueOrDefault(m.Value) + 1;
            }
        }

        return counts;
    }

    public sealed record Health(bool Healthy, long Pending, long Retrying, long Delivered, long DeadLettered, long Quarantined, double? OldestPendingSeconds);

    public static async Task<Health> HealthAsync(Uri portal)
    {
        using var http = new HttpClient { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("/health/delivery");
        return (await response.Content.ReadFromJsonAsync<Health>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    /// <summary>Polls until the condition holds, failing with a description after the timeout.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds} s: {describe()}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex("mk-[0-9a-f]{8}-[0-9]{5}")]
    private static partial Regex Marker();

    /// <summary>A marker unique to this run and number, matched by <see cref="MarkersAtReceiver"/>.</summary>
    public static string MarkerFor(string run, int n) => $"mk-{run}-{n:D5}";
}

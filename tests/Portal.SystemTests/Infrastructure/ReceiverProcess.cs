using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.SystemTests.Infrastructure;

/// <summary>The reference receiver (<c>Portal.Intake receive</c>) as a real process: verifies, de-duplicates, opens and stores.</summary>
public sealed partial class ReceiverProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ReceiverProcess(ChildProcess process, Uri url, string store)
    {
        _process = process;
        Url = url;
        Store = store;
    }

    public Uri Url { get; }

    public string Store { get; }

    public string CasesFolder => Path.Combine(Store, "cases");

    public string Tail => _process.Tail();

    public static async Task<ReceiverProcess> StartAsync(string secret, string privateKeyPath, string store)
    {
        var process = ChildProcess.Start(Programs.Intake, ["receive", "--port", "0", "--secret", secret, "--key", privateKeyPath, "--store", store], new Dictionary<string, string?>());
        var line = await process.WaitForLineAsync(l => Listening().IsMatch(l), TimeSpan.FromSeconds(60));
        return new ReceiverProcess(process, new Uri(Listening().Match(line).Groups[1].Value), store);
    }

    public sealed record Stats(long Cases, long Duplicates, long Rejected);

    public async Task<Stats> StatsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return (await http.GetFromJsonAsync<Stats>(new Uri(Url, "/stats"), new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    /// <summary>Every stored case's text, by file name.</summary>
    public IReadOnlyDictionary<string, string> Cases() =>
        Directory.Exists(CasesFolder)
            ? Directory.GetFiles(CasesFolder).Where(f => !Path.GetFileName(f).StartsWith('.')).ToDictionary(f => Path.GetFileName(f), File.ReadAllText)
            : new Dictionary<string, string>();

    public int CaseCount() =>
        Directory.Exists(CasesFolder) ? Directory.GetFiles(CasesFolder).Count(f => !Path.GetFileName(f).StartsWith('.')) : 0;

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    [GeneratedRegex("listening on (http://127\\.0\\.0\\.1:[0-9]+)")]
    private static partial Regex Listening();
}

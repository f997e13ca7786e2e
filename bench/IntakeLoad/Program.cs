using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

// Load for the safe-contact form: opens N forms (as N people would), waits past the minimum
// fill-in time, then sends them at the given concurrency and reports accepted reports per second
// and latency percentiles of the POST alone. As the page benchmark warms up before it measures,
// --warmup forms (default 500) are sent first and not counted: a node in service has long since
// compiled its hot paths.
var url = Arg("--url") ?? "http://127.0.0.1:5300";
var count = int.Parse(Arg("--count") ?? "2000", CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency") ?? "16", CultureInfo.InvariantCulture);
var lang = Arg("--lang") ?? "en-GB";
var warmup = int.Parse(Arg("--warmup") ?? "500", CultureInfo.InvariantCulture);

using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = concurrency * 2 })
{
    BaseAddress = new Uri(url),
};

var tokenPattern = new Regex("name=\"form-token\" value=\"([^\"]+)\"", RegexOptions.Compiled);
var forms = new string[warmup + count];
var opened = Stopwatch.StartNew();
await Parallel.ForAsync(0, forms.Length, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    var html = await http.GetStringAsync($"/{lang}/contact", ct);
    forms[i] = WebUtility.HtmlDecode(tokenPattern.Match(html).Groups[1].Value);
});
Console.WriteLine($"opened {forms.Length} forms in {opened.Elapsed.TotalSeconds:F1} s");
await Task.Delay(TimeSpan.FromSeconds(3.5));

var warmed = 0;
await Parallel.ForAsync(0, warmup, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    using var response = await SendAsync(forms[count + i], i, ct);
    if ((int)response.StatusCode == 303)
    {
        Interlocked.Increment(ref warmed);
    }
});
if (warmup > 0)
{
    Console.WriteLine($"warm-up: {warmed} of {warmup} accepted, not counted");
}

var latencies = new double[count];
var statuses = new int[count];
var sending = Stopwatch.StartNew();
await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    var started = Stopwatch.GetTimestamp();
    using var response = await SendAsync(forms[i], i, ct);
    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    statuses[i] = (int)response.StatusCode;
});
var seconds = sending.Elapsed.TotalSeconds;
var accepted = statuses.Count(s => s == 303);
Array.Sort(latencies);
Console.WriteLine($"sent {count} at concurrency {concurrency}: {accepted} accepted (303), other statuses: " +
    string.Join(", ", statuses.Where(s => s != 303).GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}")));
Console.WriteLine($"intake: {accepted / seconds:F0} accepted reports/s; POST latency p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms");
return accepted == count ? 0 : 1;

async Task<HttpResponseMessage> SendAsync(string token, int i, CancellationToken ct)
{
    using var content = new FormUrlEncodedContent(
    [
        new("form-token", token), new("website", ""), new("danger", i % 10 == 0 ? "yes" : "no"), new("about", "self"),
        new("method", "phone"), new("method", "text"), new("phone", "07700 900982"), new("safe-time", "mon-morning"),
        new("safe-time", "thu-evening"), new("code-word", "bluebell"), new("message", new string('m', 400)), new("consent", "yes"),
    ]);
    return await http.PostAsync($"/{lang}/contact", content, ct);
}

double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

// Lab vitals of a few public pages in Debian's Chromium with the CPU slowed 4× and a slow mobile
// network (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up): largest contentful paint, cumulative
// layout shift and total blocking time, read from PerformanceObserver. Each page is loaded RUNS times
// in a fresh context (nothing cached); the median run of each page is reported, then the worst page.
var url = (Arg("--url") ?? "http://127.0.0.1:5300").TrimEnd('/');
var runs = int.Parse(Arg("--runs") ?? "3", CultureInfo.InvariantCulture);
string[] pages = Arg("--pages")?.Split(',') ?? ["/en-GB", "/en-GB/policy", "/en-GB/services", "/en-GB/policy/easy-read", "/ur/policy"];

// Installed before any of the page's own scripts run. Layout shifts are grouped into session windows
// (gap < 1 s, window < 5 s) as the CLS definition does; blocking time counts long tasks after first
// contentful paint, each beyond its first 50 ms.
const string Observers = """
    (() => {
      const v = window.__vitals = { lcp: 0, fcp: 0, cls: 0, tasks: [] };
      let win = 0, first = 0, last = 0;
      new PerformanceObserver(l => { for (const e of l.getEntries()) v.lcp = e.renderTime || e.loadTime || e.startTime; })
        .observe({ type: 'largest-contentful-paint', buffered: true });
      new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') v.fcp = e.startTime; })
        .observe({ type: 'paint', buffered: true });
      new PerformanceObserver(l => {
        for (const e of l.getEntries()) {
          if (e.hadRecentInput) continue;
          if (win && e.startTime - last < 1000 && e.startTime - first < 5000) { win += e.value; } else { win = e.value; first = e.startTime; }
          last = e.startTime;
          v.cls = Math.max(v.cls, win);
        }
      }).observe({ type: 'layout-shift', buffered: true });
      new PerformanceObserver(l => { for (const e of l.getEntries()) v.tasks.push([e.startTime, e.duration]); })
        .observe({ type: 'longtask', buffered: true });
    })();
    """;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

var worst = (Lcp: 0.0, Cls: 0.0, Tbt: 0.0);
Console.WriteLine($"{"page",-26} {"LCP ms",8} {"CLS",7} {"TBT ms",7}   (median of {runs} loads, CPU 4x slower, 150 ms RTT, 1.6 Mbit/s)");
foreach (var path in pages)
{
    var samples = new List<(double Lcp, double Cls, double Tbt)>();
    for (var i = 0; i < runs; i++)
    {
        samples.Add(await MeasureAsync(path));
    }

    var lcp = Median(samples.Select(s => s.Lcp));
    var cls = Median(samples.Select(s => s.Cls));
    var tbt = Median(samples.Select(s => s.Tbt));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path,-26} {lcp,8:F0} {cls,7:F3} {tbt,7:F0}"));
    worst = (Math.Max(worst.Lcp, lcp), Math.Max(worst.Cls, cls), Math.Max(worst.Tbt, tbt));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"vitals (worst page): lcp_ms={worst.Lcp:F0} cls={worst.Cls:F3} tbt_ms={worst.Tbt:F0}"));
return 0;

async Task<(double Lcp, double Cls, double Tbt)> MeasureAsync(string path)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 412, Height = 823 },
        DeviceScaleFactor = 1.75f,
        IsMobile = true,
        HasTouch = true,
    });
    await context.AddInitScriptAsync(Observers);
    var page = await context.NewPageAsync();
    var cdp = await context.NewCDPSessionAsync(page);
    await cdp.SendAsync("Network.enable");
    await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });
    await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
    {
        ["offline"] = false,
        ["latency"] = 150,
        ["downloadThroughput"] = 1.6 * 1024 * 1024 / 8,
        ["uploadThroughput"] = 750.0 * 1024 / 8,
    });
    await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });

    var response = await page.GotoAsync(url + path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 60_000 });
    if (response is null || response.Status != 200)
    {
        throw new InvalidOperationException($"{path} answered {response?.Status}");
    }

    // Let late long tasks and shifts land, as a lab run waits for the page to go quiet.
    await page.WaitForTimeoutAsync(1500);
    var json = await page.EvaluateAsync<JsonElement>("() => JSON.parse(JSON.stringify(window.__vitals))");
    var fcp = json.GetProperty("fcp").GetDouble();
    var tbt = json.GetProperty("tasks").EnumerateArray()
        .Select(t => (Start: t[0].GetDouble(), Duration: t[1].GetDouble()))
        .Where(t => t.Start + t.Duration > fcp)
        .Sum(t => Math.Max(0, t.Duration - 50 - Math.Max(0, fcp - t.Start)));
    return (json.GetProperty("lcp").GetDouble(), json.GetProperty("cls").GetDouble(), tbt);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

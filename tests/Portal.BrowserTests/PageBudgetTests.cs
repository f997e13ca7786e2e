using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Content;
using Xunit.Abstractions;

namespace Portal.BrowserTests;

/// <summary>
/// The weight of every public page as a browser on a slow phone connection receives it: each page
/// loaded cold in Chromium with its normal <c>Accept-Encoding</c>, counting the bytes transferred
/// (headers and compressed body) per request. Pages are found by following the site's own links from
/// each language's home page and checked against the published content, so a new page, language or
/// filter is measured without editing this file. Assets are told apart by resource and content type,
/// never by URL, so fingerprinted file names do not matter.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PageBudgetTests(BrowserPortal portal, ITestOutputHelper output)
{
    public const int HtmlBudget = 30 * 1024;
    public const int CssBudget = 15 * 1024;
    public const int ScriptBudget = 8 * 1024;
    public const int RequestBudget = 10;
    public const int EasyReadTotalBudget = 150 * 1024;

    [Fact]
    public async Task EveryPublicPage_StaysWithinItsByteAndRequestBudget_Compressed()
    {
        var pages = await DiscoverPagesAsync();
        var problems = new List<string>();
        var figures = new Dictionary<string, Figures>(StringComparer.Ordinal);

        foreach (var target in pages)
        {
            var measured = await MeasureAsync(target);
            problems.AddRange(measured.Problems);
            var kind = figures.TryGetValue(target.Kind, out var existing) ? existing : new Figures();
            figures[target.Kind] = kind.Add(target.Path, measured);
        }

        output.WriteLine($"{pages.Count} pages, budgets: HTML {Kb(HtmlBudget)}, CSS {Kb(CssBudget)}, JS {Kb(ScriptBudget)}, {RequestBudget} requests, easy-read total {Kb(EasyReadTotalBudget)} (bytes transferred: headers + compressed body)");
        foreach (var (kind, f) in figures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{kind,-15} {f.Pages,3} pages | max HTML {Kb(f.Html.Bytes)} ({f.Html.Path}) | max CSS {Kb(f.Css.Bytes)} | max JS {Kb(f.Script.Bytes)} ({f.Script.Path}) | max total {Kb(f.Total.Bytes)} ({f.Total.Path}) | max requests {f.Requests.Bytes} ({f.Requests.Path})"
                + (f.Pictures.Bytes > 0 ? $" | up to {f.Pictures.Bytes} pictures a page" : ""));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryPublicPage_WithoutJavaScript_Loads_ShowsItsHeading_AndExitsByAPlainLink()
    {
        var pages = await DiscoverPagesAsync();
        var neutral = portal.Services.GetRequiredService<SiteContent>().Current.Settings.QuickExitUrl;
        // The neutral site is answered by BrowserPortal's router on this machine; nothing leaves it.
        Assert.StartsWith(BrowserPortal.Neutral, neutral, StringComparison.Ordinal);
        var problems = new List<string>();

        var (context, refused) = await portal.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        foreach (var target in pages)
        {
            var response = await page.GotoAsync(portal.BaseUrl + target.Path);
            if (response?.Status != 200)
            {
                problems.Add($"{target.Path}: status {response?.Status}");
                continue;
            }

            var heading = page.Locator("main h1");
            if (await heading.CountAsync() != 1 || !await heading.IsVisibleAsync() || string.IsNullOrWhiteSpace(await heading.InnerTextAsync()))
            {
                problems.Add($"{target.Path}: no single visible main heading without JavaScript");
            }

            var exit = page.Locator(".app-exit__button");
            if (await exit.GetAttributeAsync("href") != neutral)
            {
                problems.Add($"{target.Path}: quick exit is not a plain link to {neutral}");
                continue;
            }

            await exit.ClickAsync();
            await page.WaitForURLAsync(neutral + "**");
            if (await page.Locator("h1").InnerTextAsync() != "Weather")
            {
                problems.Add($"{target.Path}: following the quick exit did not reach the neutral page");
            }
        }

        await context.CloseAsync();
        output.WriteLine($"{pages.Count} pages loaded without JavaScript; quick exit followed from each");
        Assert.Empty(refused);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Discovery_FindsEveryPublishedVariantInEveryLanguage_TheFiltersAndTheForm()
    {
        var pages = await DiscoverPagesAsync();
        var site = portal.Services.GetRequiredService<SiteContent>().Current;

        Assert.Equal(site.Languages.Count, pages.Count(p => p.Kind == "contact"));
        Assert.Contains(pages, p => p.Kind == "easy-read");
        Assert.True(pages.Count(p => p.Kind == "helpline-filter") >= site.Languages.Count, "no helpline directory filters found");
        Assert.True(pages.Count(p => p.Kind == "standard") >= site.Languages.Count * 8, "fewer standard pages than expected");
    }

    /// <summary>One cold visit: a fresh context (empty cache), every request recorded with its transferred size.</summary>
    private async Task<Measured> MeasureAsync(PublicPage target)
    {
        var problems = new List<string>();
        var (context, refused) = await portal.NewContextAsync();
        var finished = new List<IRequest>();
        var failed = new List<string>();
        context.RequestFinished += (_, r) =>
        {
            lock (finished)
            {
                finished.Add(r);
            }
        };
        context.RequestFailed += (_, r) =>
        {
            lock (failed)
            {
                failed.Add(r.Url + " " + r.Failure);
            }
        };
        var page = await context.NewPageAsync();
        var workers = new List<string>();
        page.Worker += (_, w) =>
        {
            lock (workers)
            {
                workers.Add(w.Url);
            }
        };

        var response = await page.GotoAsync(portal.BaseUrl + target.Path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        if (response?.Status != 200)
        {
            problems.Add($"{target.Path}: status {response?.Status}");
        }

        long html = 0, css = 0, script = 0, total = 0;
        List<IRequest> requests;
        lock (finished)
        {
            requests = [.. finished];
        }

        foreach (var request in requests)
        {
            var sizes = await request.SizesAsync();
            var resp = await request.ResponseAsync();
            var contentType = (resp is null ? null : await resp.HeaderValueAsync("content-type")) ?? "";
            var encoding = resp is null ? null : await resp.HeaderValueAsync("content-encoding");
            var what = Classify(request, contentType);
            var name = $"{target.Path}: {what} {request.Url.Replace(portal.BaseUrl, "", StringComparison.Ordinal)}";
            long body = sizes.ResponseBodySize;
            bool isWorker;
            lock (workers)
            {
                isWorker = workers.Contains(request.Url);
            }

            if (body <= 0 && isWorker)
            {
                // Chromium reports a dedicated worker's script on the worker's own target, so the
                // page's size for it is 0: fetch it again with the headers the browser sent and
                // count the encoded bytes the server answers with.
                body = await ReplayEncodedLengthAsync(request, encoding);
            }

            var transferred = (long)sizes.ResponseHeadersSize + body;
            total += transferred;
            if (body <= 0 || sizes.ResponseHeadersSize <= 0)
            {
                problems.Add($"{name}: transferred size not reported (headers {sizes.ResponseHeadersSize}, body {body})");
            }

            switch (what)
            {
                case "html":
                    html += transferred;
                    break;
                case "css":
                    css += transferred;
                    if ((await resp!.TextAsync()).Contains("@font-face", StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{name}: declares a web font (@font-face)");
                    }

                    break;
                case "js":
                    script += transferred;
                    break;
                case "font":
                    problems.Add($"{name}: loads a web font");
                    break;
            }

            // Every text-like response comes compressed, the fresh form included (it echoes nothing
            // from the request; the form shown again after a POST, which does, is not measured here).
            if (what is "html" or "css" or "js" && encoding is not ("br" or "gzip"))
            {
                problems.Add($"{name}: not compressed (Content-Encoding '{encoding}')");
            }
        }

        // Easy-read pictures are drawn inline (SVG in the HTML) or loaded as images; either way they are in the total.
        var pictures = target.Kind == "easy-read" ? await page.Locator("main svg, main img").CountAsync() : 0;

        // Inline styles count too: no web font may hide in the document.
        if ((await page.ContentAsync()).Contains("@font-face", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{target.Path}: the document declares a web font (@font-face)");
        }

        lock (workers)
        {
            foreach (var worker in workers.Where(w => !requests.Any(r => r.Url == w)))
            {
                problems.Add($"{target.Path}: worker {worker} was started but its script was not measured");
            }
        }

        lock (failed)
        {
            problems.AddRange(failed.Select(f => $"{target.Path}: request failed: {f}"));
        }

        problems.AddRange(refused.Select(r => $"{target.Path}: tried to reach {r}"));
        Check(problems, target.Path, "HTML", html, HtmlBudget);
        Check(problems, target.Path, "CSS", css, CssBudget);
        Check(problems, target.Path, "JavaScript", script, ScriptBudget);
        Check(problems, target.Path, "requests", requests.Count, RequestBudget, bytes: false);
        if (target.Kind == "easy-read")
        {
            Check(problems, target.Path, "easy-read total", total, EasyReadTotalBudget);
        }

        await context.CloseAsync();
        return new Measured(html, css, script, total, requests.Count, pictures, problems);
    }

    private async Task<long> ReplayEncodedLengthAsync(IRequest request, string? encoding)
    {
        Assert.StartsWith(portal.BaseUrl + "/", request.Url, StringComparison.Ordinal);
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false };
        using var http = new HttpClient(handler);
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(request.Url));
        foreach (var (header, value) in await request.AllHeadersAsync())
        {
            if (!header.StartsWith(':') && header is not ("host" or "connection" or "accept-encoding"))
            {
                message.Headers.TryAddWithoutValidation(header, value);
            }
        }

        // The headers Playwright reports for a worker's script lack Accept-Encoding; ask for the
        // encoding the browser was actually sent, and make sure the server answers with it.
        if (encoding is not null)
        {
            message.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        }

        using var response = await http.SendAsync(message);
        Assert.Equal(encoding, response.Content.Headers.ContentEncoding.SingleOrDefault());
        return (await response.Content.ReadAsByteArrayAsync()).LongLength;
    }

    private static string Classify(IRequest request, string contentType)
    {
        var type = request.ResourceType;
        if (type == "document")
        {
            return "html";
        }

        if (type == "stylesheet" || contentType.StartsWith("text/css", StringComparison.OrdinalIgnoreCase))
        {
            return "css";
        }

        if (type == "script" || contentType.Contains("javascript", StringComparison.OrdinalIgnoreCase))
        {
            return "js";
        }

        if (type == "font" || contentType.StartsWith("font/", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("font-woff", StringComparison.OrdinalIgnoreCase))
        {
            return "font";
        }

        return type;
    }

    private static void Check(List<string> problems, string path, string what, long value, long budget, bool bytes = true)
    {
        if (value > budget)
        {
            problems.Add(bytes
                ? $"{path}: {what} {Kb(value)} is over its budget of {Kb(budget)}"
                : $"{path}: {value} {what} is over the budget of {budget}");
        }
    }

    private static string Kb(long bytes) => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";

    /// <summary>
    /// Every public page, found by following links from each language's home page (navigation,
    /// footer, language switcher, easy-read links, helpline filters), then checked against the
    /// published content so that a page nothing links to still fails the test rather than escaping it.
    /// </summary>
    private async Task<IReadOnlyList<PublicPage>> DiscoverPagesAsync()
    {
        var site = portal.Services.GetRequiredService<SiteContent>().Current;
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        var languages = site.Languages.Select(l => l.Tag).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var lang in languages)
        {
            if (seen.Add("/" + lang))
            {
                queue.Enqueue("/" + lang);
            }
        }

        while (queue.Count > 0)
        {
            var path = queue.Dequeue();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} linked from the site answers {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            foreach (Match m in LinkPattern().Matches(body))
            {
                var href = WebUtility.HtmlDecode(m.Groups[1].Value);
                if (IsPublicPage(href, languages) && seen.Add(href))
                {
                    queue.Enqueue(href);
                }
            }
        }

        foreach (var slug in site.Published.Keys.Select(k => k.Slug).Distinct(StringComparer.Ordinal))
        {
            foreach (var lang in languages)
            {
                foreach (var audience in Audiences.All)
                {
                    if (site.Resolve(slug, lang, audience) is null)
                    {
                        continue;
                    }

                    var path = "/" + lang + (slug == "home" ? "" : "/" + slug + (audience == Audiences.EasyRead ? "/easy-read" : ""));
                    Assert.True(seen.Contains(path), $"{path} is published but nothing on the site links to it");
                }
            }
        }

        return seen.Order(StringComparer.Ordinal).Select(p => new PublicPage(p, KindOf(p))).ToList();
    }

    private static bool IsPublicPage(string href, IReadOnlyList<string> languages)
    {
        var path = href.Split('?')[0];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal) && segments.Length > 0
            && languages.Contains(segments[0], StringComparer.Ordinal)
            && !(segments.Length > 2 && segments[1] == "contact"); // the confirmation needs a sent form
    }

    private static string KindOf(string path)
    {
        if (path.Contains('?', StringComparison.Ordinal))
        {
            return "helpline-filter";
        }

        if (path.EndsWith("/easy-read", StringComparison.Ordinal))
        {
            return "easy-read";
        }

        return path.EndsWith("/contact", StringComparison.Ordinal) ? "contact" : "standard";
    }

    [GeneratedRegex("""<a\s[^>]*?href="(/[^"#]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();

    private sealed record PublicPage(string Path, string Kind);

    private sealed record Measured(long Html, long Css, long Script, long Total, int Requests, int Pictures, List<string> Problems);

    private sealed record Largest(long Bytes, string Path);

    private sealed record Figures
    {
        public int Pages { get; init; }

        public Largest Html { get; init; } = new(0, "");

        public Largest Css { get; init; } = new(0, "");

        public Largest Script { get; init; } = new(0, "");

        public Largest Total { get; init; } = new(0, "");

        public Largest Requests { get; init; } = new(0, "");

        public Largest Pictures { get; init; } = new(0, "");

        public Figures Add(string path, Measured m) => this with
        {
            Pages = Pages + 1,
            Html = Max(Html, m.Html, path),
            Css = Max(Css, m.Css, path),
            Script = Max(Script, m.Script, path),
            Total = Max(Total, m.Total, path),
            Requests = Max(Requests, m.Requests, path),
            Pictures = Max(Pictures, m.Pictures, path),
        };

        private static Largest Max(Largest current, long value, string path) => value > current.Bytes ? new(value, path) : current;
    }
}

using System.IO.Compression;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Portal.Web.Content;
using Portal.Web.Mirror;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Mirror;

/// <summary>The portal with its own public address, exported once as a static mirror.</summary>
public sealed class ExportedMirror : PortalFactory, IAsyncLifetime
{
    public static readonly Uri LiveUrl = new("https://help.example.org");

    public const string MirrorOrigin = "https://mirror.example.org";

    public ExportedMirror()
        : base(new Dictionary<string, string?> { ["Portal:PublicBaseUrl"] = MirrorOrigin })
    {
    }

    public string Output => Path.Combine(DataDirectory, "mirror");

    public StaticExportResult Result { get; private set; } = null!;

    public SiteSnapshot Site => Services.GetRequiredService<SiteContent>().Current;

    public Task<StaticExportResult> ExportAsync(string output, string listen = "127.0.0.1:8080") =>
        StaticExport.ExportAsync(CreatePlainClient(), Site, Services.GetRequiredService<IStringLocalizer>(), new StaticExportSettings(output, LiveUrl, listen));

    public async Task InitializeAsync() => Result = await ExportAsync(Output);

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class StaticExportTests(ExportedMirror mirror) : IClassFixture<ExportedMirror>
{
    private static readonly HtmlParser Parser = new();

    private string FileOf(string relative) => Path.Combine(mirror.Output, relative);

    private static bool IsContactPage(string address) => address.EndsWith("/contact", StringComparison.Ordinal);

    private string PageFile(string address)
    {
        var parts = address.Split('?');
        var folder = parts[0].Trim('/');
        return FileOf(Path.Combine(folder, parts.Length == 2 ? StaticExport.FilteredIndex(parts[1]["for=".Length..]) : "index.html"));
    }

    [Fact]
    public void EveryPublishedPage_InEveryLanguageAndAudience_IsWritten()
    {
        var site = mirror.Site;
        var expected = new List<string>();
        foreach (var language in site.Languages)
        {
            expected.Add($"{language.Tag}/index.html");
            expected.Add($"{language.Tag}/contact/index.html");
            expected.Add($"{language.Tag}/404.html");
            foreach (var slug in site.Documents.Keys.Where(s => s != "home"))
            {
                Assert.NotNull(site.Resolve(slug, language.Tag, Audiences.Standard));
                expected.Add($"{language.Tag}/{slug}/index.html");
                if (site.Resolve(slug, language.Tag, Audiences.EasyRead) is not null)
                {
                    expected.Add($"{language.Tag}/{slug}/easy-read/index.html");
                }
            }
        }

        // Every variant the content store publishes, in its own language, is among them.
        foreach (var (slug, culture, audience) in site.Published.Keys)
        {
            var path = culture + (slug == "home" ? "" : "/" + slug) + (audience == Audiences.EasyRead ? "/easy-read" : "") + "/index.html";
            Assert.Contains(path, expected);
        }

        var missing = expected.Where(f => !File.Exists(FileOf(f))).ToList();
        Assert.Empty(missing);
        Assert.Contains(site.Published.Keys, k => k.Audience == Audiences.EasyRead);
        Assert.True(File.Exists(FileOf("404.html")));
        Assert.All(mirror.Result.Assets, a => Assert.True(File.Exists(FileOf(a.TrimStart('/'))), a));
        Assert.Contains(mirror.Result.Assets, a => a.StartsWith("/css/app.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HelplineDirectory_EveryAudienceFilterItLinksTo_IsWritten()
    {
        var helplines = mirror.Site.Documents.Values.Single(d => d.Layout == Layouts.Helplines).Slug;
        var (_, page) = await mirror.GetPageAsync($"/ur/{helplines}");
        var filters = page.QuerySelectorAll("a[href*='?for=']").Select(a => a.GetAttribute("href")!.Split("?for=")[1]).Distinct().ToList();

        Assert.NotEmpty(filters);
        foreach (var audience in filters)
        {
            Assert.Contains($"/ur/{helplines}?for={audience}", mirror.Result.Pages);
            Assert.True(File.Exists(FileOf($"ur/{helplines}/{StaticExport.FilteredIndex(audience)}")), audience);
        }
    }

    [Fact]
    public async Task EveryPageAndFile_IsTheBytesOfALiveGet_WithCompressedCopiesOfTheSame()
    {
        using var client = mirror.CreatePlainClient();
        var checkedPages = 0;
        foreach (var address in mirror.Result.Pages.Where(a => !IsContactPage(a)))
        {
            var live = await client.GetByteArrayAsync(address);
            var file = PageFile(address);
            var written = await File.ReadAllBytesAsync(file);
            Assert.True(live.AsSpan().SequenceEqual(written), address);
            Assert.True(live.AsSpan().SequenceEqual(Decompress(file + ".gz", s => new GZipStream(s, CompressionMode.Decompress))), address + " (gzip)");
            Assert.True(live.AsSpan().SequenceEqual(Decompress(file + ".br", s => new BrotliStream(s, CompressionMode.Decompress))), address + " (brotli)");
            checkedPages++;
        }

        foreach (var asset in mirror.Result.Assets)
        {
            var live = await client.GetByteArrayAsync(asset);
            var written = await File.ReadAllBytesAsync(FileOf(asset.TrimStart('/')));
            Assert.True(live.AsSpan().SequenceEqual(written), asset);
        }

        Assert.True(checkedPages >= mirror.Site.Languages.Count * mirror.Site.Documents.Count, $"only {checkedPages} pages");
        // The stylesheet and script under their fingerprinted names, as the pages link to them.
        Assert.Contains(mirror.Result.Assets, a => a.StartsWith("/css/app.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal) && a != "/css/app.css");
        Assert.Contains(mirror.Result.Assets, a => a.StartsWith("/js/app.", StringComparison.Ordinal) && a.EndsWith(".js", StringComparison.Ordinal) && a != "/js/app.js");
    }

    [Fact]
    public async Task NoFile_ReferencesAnOutsideOrigin_ExceptTheLiveFormLink()
    {
        using var client = mirror.CreatePlainClient();
        var liveOrigin = ExportedMirror.LiveUrl.GetLeftPart(UriPartial.Authority);
        foreach (var address in mirror.Result.Pages)
        {
            var doc = Parser.ParseDocument(await File.ReadAllTextAsync(PageFile(address)));

            // Nothing is loaded from anywhere but the mirror itself.
            foreach (var element in doc.QuerySelectorAll("[src], link[href], form[action], [srcset], [poster], [data]"))
            {
                foreach (var attribute in new[] { "src", "href", "action", "srcset", "poster", "data" })
                {
                    var value = element.GetAttribute(attribute);
                    // hreflang alternates and microdata values (<link itemprop href="https://schema.org/…">) are names, never fetched.
                    if (value is null || (element.LocalName == "link" && (element.GetAttribute("rel") == "alternate" || element.HasAttribute("itemprop"))))
                    {
                        continue;
                    }

                    Assert.True(value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal), $"{address}: <{element.LocalName} {attribute}=\"{value}\">");
                }
            }

            // hreflang links name the mirror's own address.
            foreach (var alternate in doc.QuerySelectorAll("link[rel=alternate]"))
            {
                Assert.StartsWith(ExportedMirror.MirrorOrigin + "/", alternate.GetAttribute("href"));
            }

            // Links to other sites are the content's own (helpline websites, the quick exit); the mirror adds only the live form.
            var outside = doc.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!)
                .Where(h => h.Contains("://", StringComparison.Ordinal) || h.StartsWith("//", StringComparison.Ordinal)).ToHashSet();
            var liveDoc = Parser.ParseDocument(await client.GetStringAsync(address));
            var liveOutside = liveDoc.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToHashSet();
            var added = outside.Except(liveOutside).ToList();
            if (IsContactPage(address))
            {
                Assert.Equal([liveOrigin + address], added);
            }
            else
            {
                Assert.Empty(added);
            }
        }

        foreach (var asset in mirror.Result.Assets.Where(a => a.EndsWith(".css", StringComparison.Ordinal) || a.EndsWith(".js", StringComparison.Ordinal)))
        {
            var text = await File.ReadAllTextAsync(FileOf(asset.TrimStart('/')));
            Assert.DoesNotContain("://", text.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ContactPage_InEveryLanguage_PointsToTheLiveForm_AndTakesNoReports()
    {
        var english = Parser.ParseDocument(await File.ReadAllTextAsync(FileOf("en-GB/contact/index.html")))
            .QuerySelector($"a[href='{ExportedMirror.LiveUrl.GetLeftPart(UriPartial.Authority)}/en-GB/contact']")!.TextContent;
        foreach (var language in mirror.Site.Languages)
        {
            var doc = Parser.ParseDocument(await File.ReadAllTextAsync(FileOf($"{language.Tag}/contact/index.html")));

            Assert.Equal(language.Tag, doc.DocumentElement.GetAttribute("lang"));
            Assert.Empty(doc.QuerySelectorAll("form, input, textarea, select"));
            var link = doc.QuerySelector($"main a[href='https://help.example.org/{language.Tag}/contact']");
            Assert.NotNull(link);
            if (language.Tag != "en-GB")
            {
                Assert.NotEqual(english, link.TextContent);
            }

            // The rest of the page (heading, emergency advice, menu) is the live page's.
            Assert.NotNull(doc.QuerySelector("main h1"));
            Assert.NotNull(doc.QuerySelector(".app-panel--emergency"));
        }
    }

    [Fact]
    public async Task NginxConfig_SendsEveryHeaderOfTheLiveSite_AndServesPrecompressedFiles()
    {
        var config = await File.ReadAllTextAsync(FileOf("nginx.conf"));
        using var client = mirror.CreatePlainClient();
        using var live = await client.GetAsync("/en-GB");

        foreach (var name in new[] { "Cache-Control", "Pragma", "Referrer-Policy", "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Permissions-Policy" })
        {
            var value = live.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
            Assert.NotNull(value);
            Assert.Contains($"add_header {name} \"{value}\" always;", config, StringComparison.Ordinal);
        }

        Assert.Contains("gzip_static on;", config, StringComparison.Ordinal);
        Assert.Contains("listen 127.0.0.1:8080;", config, StringComparison.Ordinal);
        Assert.Contains($"root {mirror.Output};", config, StringComparison.Ordinal);
        Assert.Contains("error_page 404 /ur/404.html;", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IntoAFolderHoldingOtherFiles_IsRefused_AndAnEarlierMirrorIsReplaced()
    {
        var foreign = Path.Combine(mirror.DataDirectory, "not-a-mirror");
        Directory.CreateDirectory(foreign);
        await File.WriteAllTextAsync(Path.Combine(foreign, "notes.txt"), "keep me");

        await Assert.ThrowsAsync<ContentException>(() => mirror.ExportAsync(foreign));
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(foreign, "notes.txt")));

        var again = Path.Combine(mirror.DataDirectory, "again");
        await mirror.ExportAsync(again);
        var stale = Path.Combine(again, "en-GB", "withdrawn-page", "index.html");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, "old");

        await mirror.ExportAsync(again);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(Path.Combine(again, "en-GB", "index.html")));
    }

    private static byte[] Decompress(string path, Func<Stream, Stream> open)
    {
        using var file = File.OpenRead(path);
        using var stream = open(file);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

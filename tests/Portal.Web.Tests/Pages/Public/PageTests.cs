using System.Net;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Pages.Public;

[Collection(SharedPortal.Name)]
public sealed class PageTests(PortalFactory portal)
{
    [Theory]
    [MemberData(nameof(Site.EveryPageInEveryLanguage), MemberType = typeof(Site))]
    public async Task Get_EveryPageInEveryLanguage_Returns200WithLanguageAndDirection(string lang, string page)
    {
        var (response, doc) = await portal.GetPageAsync("/" + lang + page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(lang, doc.DocumentElement.GetAttribute("lang"));
        Assert.Equal(Site.RightToLeft.Contains(lang) ? "rtl" : "ltr", doc.DocumentElement.GetAttribute("dir"));
        Assert.Equal(lang, response.Content.Headers.ContentLanguage.Single());
        Assert.Single(doc.QuerySelectorAll("h1"));
        Assert.False(string.IsNullOrWhiteSpace(doc.Title));
        // Shipped translations are complete: no page falls back to English.
        Assert.Null(doc.QuerySelector("meta[name=robots]"));
        Assert.Null(doc.QuerySelector(".app-notice"));
    }

    [Theory]
    [MemberData(nameof(Site.EveryPageInEveryLanguage), MemberType = typeof(Site))]
    public async Task Get_EveryPage_HasReciprocalAbsoluteHreflangWithXDefault(string lang, string page)
    {
        var (_, doc) = await portal.GetPageAsync("/" + lang + page);
        var alternates = Alternates(doc);

        Assert.Equal(Site.Languages.Append("x-default").Order(), alternates.Keys.Order());
        Assert.All(alternates.Values, href => Assert.True(Uri.TryCreate(href, UriKind.Absolute, out _), href));
        Assert.Equal("http://localhost/" + lang + page, alternates[lang]);
        Assert.Equal("http://localhost/en-GB" + page, alternates["x-default"]);

        // Every page it names names it back, with the same set.
        foreach (var (hreflang, href) in alternates.Where(a => a.Key != "x-default"))
        {
            var (_, other) = await portal.GetPageAsync(new Uri(href).PathAndQuery);
            var back = Alternates(other);
            Assert.Equal(alternates, back);
            Assert.Equal(hreflang, other.DocumentElement.GetAttribute("lang"));
        }
    }

    private static Dictionary<string, string> Alternates(AngleSharp.Html.Dom.IHtmlDocument doc) =>
        doc.QuerySelectorAll("link[rel=alternate][hreflang]")
            .ToDictionary(l => l.GetAttribute("hreflang")!, l => l.GetAttribute("href")!);

    [Theory]
    [MemberData(nameof(Site.EveryPageInEveryLanguage), MemberType = typeof(Site))]
    public async Task Get_EveryPage_EveryInternalLinkResolves(string lang, string page)
    {
        var (_, doc) = await portal.GetPageAsync("/" + lang + page);
        var client = portal.CreatePlainClient();
        var internalLinks = doc.QuerySelectorAll("a[href^='/']").Select(a => a.GetAttribute("href")!).Distinct();

        foreach (var href in internalLinks)
        {
            var response = await client.GetAsync(href.Split('#')[0]);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{href} on /{lang}{page} gave {(int)response.StatusCode}");
        }

        // Fragment links point at an element on the page.
        foreach (var fragment in doc.QuerySelectorAll("a[href^='#']").Select(a => a.GetAttribute("href")![1..]))
        {
            Assert.NotNull(doc.GetElementById(Uri.UnescapeDataString(fragment)));
        }
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("ur")]
    public async Task Get_Page_LanguageSwitcherNamesEachLanguageInItself(string lang)
    {
        var (_, doc) = await portal.GetPageAsync($"/{lang}/policy");
        var links = doc.QuerySelectorAll(".app-languages__link").ToList();

        Assert.Equal(
            ["English", "Cymraeg", "Polski", "Română", "اردو", "العربية"],
            links.Select(a => a.TextContent.Trim()));
        Assert.All(links, a => Assert.Equal(a.GetAttribute("hreflang"), a.GetAttribute("lang")));
        Assert.Equal("/pl/policy", links.Single(a => a.GetAttribute("lang") == "pl").GetAttribute("href"));
        Assert.Equal(lang, links.Single(a => a.HasAttribute("aria-current")).GetAttribute("lang"));
    }

    [Theory]
    [InlineData("pl-PL,pl;q=0.9,en;q=0.8", "/pl")]
    [InlineData("cy-GB", "/cy")]
    [InlineData("ar-EG,ar;q=0.9", "/ar")]
    [InlineData("ur-PK", "/ur")]
    [InlineData("ro", "/ro")]
    [InlineData("en-US,en;q=0.9", "/en-GB")]
    [InlineData("de-DE,fr;q=0.8", "/en-GB")]
    [InlineData("fr;q=0.9,ro;q=0.95", "/ro")]
    [InlineData("", "/en-GB")]
    public async Task GetRoot_RedirectsToBestLanguage_WithoutCookie(string acceptLanguage, string expected)
    {
        var client = portal.CreatePlainClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (acceptLanguage.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("/de/policy")]
    [InlineData("/en-GB/no-such-page")]
    [InlineData("/pl/policy/large-print")]
    [InlineData("/pl/services?for=cats")]
    [InlineData("/en-GB/online-privacy/easy-read")]
    public async Task Get_UnknownAddress_Returns404PageInReadersLanguage(string path)
    {
        var (response, doc) = await portal.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var expectedLang = path.StartsWith("/pl", StringComparison.Ordinal) ? "pl" : "en-GB";
        Assert.Equal(expectedLang, doc.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(doc.QuerySelector("meta[name=robots][content=noindex]"));
        Assert.Contains("999", doc.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PolishNotFound_ShowsPolishMessage()
    {
        var (_, doc) = await portal.GetPageAsync("/pl/nie-ma");
        var (_, english) = await portal.GetPageAsync("/en-GB/not-here");

        Assert.NotEqual(english.QuerySelector("h1")!.TextContent, doc.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task GetHomeSlug_RedirectsPermanentlyToLanguageRoot()
    {
        var response = await portal.CreatePlainClient().GetAsync("/cy/home");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/cy", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("ar")]
    public async Task GetHome_ShowsEmergencyAdviceFirst(string lang)
    {
        var (_, doc) = await portal.GetPageAsync("/" + lang);
        var emergency = doc.QuerySelector("main .app-panel--emergency");

        Assert.NotNull(emergency);
        Assert.NotNull(emergency.QuerySelector("a[href='tel:999']"));
        Assert.Contains("55", emergency.TextContent, StringComparison.Ordinal);
        Assert.NotNull(emergency.QuerySelector("a[href='tel:08082000247']"));
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("ur")]
    public async Task GetPolicy_HasTableOfContentsLinkingToHeadingAnchors(string lang)
    {
        var (_, doc) = await portal.GetPageAsync($"/{lang}/policy");
        var entries = doc.QuerySelectorAll(".app-contents a").ToList();
        var headings = doc.QuerySelectorAll(".app-prose h2").ToList();

        Assert.True(entries.Count >= 10, $"only {entries.Count} contents entries");
        Assert.Equal(headings.Count, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal("#" + headings[i].Id, entries[i].GetAttribute("href"));
            Assert.Equal(headings[i].TextContent.Trim(), entries[i].TextContent.Trim());
        }

        Assert.Equal(headings.Count, headings.Select(h => h.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("ar")]
    public async Task GetEasyRead_EveryBlockHasAPictureWithAltText(string lang)
    {
        var (_, doc) = await portal.GetPageAsync($"/{lang}/policy/easy-read");
        var items = doc.QuerySelectorAll(".app-easy-read__item").ToList();

        Assert.True(items.Count >= 30, $"only {items.Count} easy-read blocks");
        Assert.All(items, item =>
        {
            var svg = item.QuerySelector("svg[role=img]");
            Assert.NotNull(svg);
            Assert.False(string.IsNullOrWhiteSpace(svg.GetAttribute("aria-label")));
            Assert.False(string.IsNullOrWhiteSpace(item.QuerySelector(".app-easy-read__text")!.TextContent));
        });
        Assert.Empty(doc.QuerySelectorAll(".app-prose > p"));
    }

    [Fact]
    public async Task GetPolicy_LinksToEasyReadVersion()
    {
        var (_, doc) = await portal.GetPageAsync("/ro/policy");

        Assert.NotNull(doc.QuerySelector("a[href='/ro/policy/easy-read']"));
    }

    [Theory]
    [InlineData("ur")]
    [InlineData("ar")]
    public async Task Get_RightToLeftPage_IsolatesPhoneNumbersLeftToRight(string lang)
    {
        var (_, doc) = await portal.GetPageAsync($"/{lang}/services");
        var tel = doc.QuerySelectorAll("a[href^='tel:']").ToList();

        Assert.NotEmpty(tel);
        Assert.All(tel, a => Assert.Equal("ltr", a.GetAttribute("dir")));
    }
}

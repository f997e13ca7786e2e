using System.Net;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Pages.Public;

/// <summary>A portal whose Polish policy translation is missing and whose privacy page carries hostile Markdown.</summary>
public sealed class AlteredContentPortal : PortalFactory
{
    public AlteredContentPortal()
        : base(null, Prepare())
    {
    }

    private static string Prepare()
    {
        var root = Repository.CopyContent();
        File.Delete(Path.Combine(root, "translations", "pl", "pages", "policy.md"));
        File.Delete(Path.Combine(root, "translations", "ur", "pages", "policy.md"));
        var privacy = Path.Combine(root, "content", "pages", "privacy", "en-GB.md");
        File.AppendAllText(privacy,
            "\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and [data](data:text/html,hi) " +
            "and ![remote](https://tracker.example/p.gif) and <a href=\"https://evil.example\">raw</a>\n");
        return root;
    }
}

public sealed class FallbackTests(AlteredContentPortal portal) : IClassFixture<AlteredContentPortal>
{
    [Fact]
    public async Task GetMissingTranslation_ShowsEnglishMarkedAsEnglishWithNoticeInReadersLanguage()
    {
        var (response, doc) = await portal.GetPageAsync("/pl/policy");
        var (_, english) = await portal.GetPageAsync("/en-GB/policy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pl", doc.DocumentElement.GetAttribute("lang"));
        var wrapper = doc.QuerySelector("main [lang='en-GB'][dir=ltr]");
        Assert.NotNull(wrapper);
        Assert.Equal(english.QuerySelector("h1")!.TextContent, wrapper.QuerySelector("h1")!.TextContent);

        var notice = doc.QuerySelector(".app-notice")!;
        Assert.Null(notice.Closest("[lang='en-GB']"));
        Assert.DoesNotContain("has not been translated", notice.TextContent, StringComparison.Ordinal);
        Assert.NotNull(doc.QuerySelector("meta[name=robots][content=noindex]"));
        Assert.Empty(doc.QuerySelectorAll("link[rel=alternate]"));
    }

    [Fact]
    public async Task GetMissingTranslationInRightToLeftLanguage_KeepsEnglishLeftToRight()
    {
        var (_, doc) = await portal.GetPageAsync("/ur/policy");

        Assert.Equal("rtl", doc.DocumentElement.GetAttribute("dir"));
        Assert.NotNull(doc.QuerySelector("main [lang='en-GB'][dir=ltr] .app-prose"));
    }

    [Fact]
    public async Task GetMissingTranslation_FallbackLinksStayInReadersLanguage()
    {
        var (_, doc) = await portal.GetPageAsync("/pl/policy");
        var siteLinks = doc.QuerySelectorAll(".app-prose a[href^='/']").Select(a => a.GetAttribute("href")!).ToList();

        Assert.NotEmpty(siteLinks);
        Assert.All(siteLinks, href => Assert.StartsWith("/pl/", href, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetTranslatedPage_LeavesMissingLanguageOutOfHreflang()
    {
        var (_, doc) = await portal.GetPageAsync("/cy/policy");
        var langs = doc.QuerySelectorAll("link[rel=alternate]").Select(l => l.GetAttribute("hreflang")).ToList();

        Assert.DoesNotContain("pl", langs);
        Assert.DoesNotContain("ur", langs);
        Assert.Contains("cy", langs);
        Assert.Contains("x-default", langs);
    }

    [Fact]
    public async Task Get_MarkdownWithRawHtml_ShowsItAsTextAndDropsUnsafeLinks()
    {
        var (_, doc) = await portal.GetPageAsync("/en-GB/privacy");
        var prose = doc.QuerySelector(".app-prose")!;

        Assert.Empty(doc.QuerySelectorAll("main script"));
        Assert.Empty(doc.QuerySelectorAll("main img"));
        Assert.Empty(prose.QuerySelectorAll("[onerror]"));
        Assert.Contains("<script>alert('x')</script>", prose.TextContent, StringComparison.Ordinal);
        Assert.Contains("<img src=x onerror=alert(1)>", prose.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(prose.QuerySelectorAll("a"), a => a.GetAttribute("href")!.StartsWith("javascript", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(prose.QuerySelectorAll("a"), a => a.GetAttribute("href")!.StartsWith("data", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(prose.QuerySelectorAll("a"), a => a.GetAttribute("href")!.Contains("evil", StringComparison.Ordinal));
        Assert.Contains("click", prose.TextContent, StringComparison.Ordinal);
        Assert.Contains("remote", prose.TextContent, StringComparison.Ordinal);
    }
}

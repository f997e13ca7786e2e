using System.Text.RegularExpressions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Safety;

/// <summary>The shipped site with discreet mode switched on in site.yaml.</summary>
public sealed class DiscreetPortal : PortalFactory
{
    public DiscreetPortal()
        : base(null, Prepare())
    {
    }

    private static string Prepare()
    {
        var root = Repository.CopyContent();
        var site = Path.Combine(root, "content", "site.yaml");
        var text = File.ReadAllText(site);
        Assert.Contains("discreet:\n  enabled: false\n", text, StringComparison.Ordinal);
        File.WriteAllText(site, text.Replace("discreet:\n  enabled: false\n", "discreet:\n  enabled: true\n", StringComparison.Ordinal));
        return root;
    }
}

public sealed partial class DiscreetModeTests(DiscreetPortal portal) : IClassFixture<DiscreetPortal>
{
    // Words that would tell someone glancing at a tab, a history list or a bookmark what was read,
    // in each of the site's languages.
    private static readonly string[] Revealing =
    [
        "abuse", "abusive", "domestic", "violence", "violent", "victim", "refuge", "harm", "assault", "rape", "escape",
        "perpetrator", "helpline", "safe", "danger", "police", "larchwood",
        "cam-drin", "trais", "llinell gymorth", "diogel",
        "przemoc", "ofiar", "infolinia", "bezpiecz",
        "abuz", "violen", "victim", "linie de asistență", "siguranț",
        "بدسلوکی", "تشدد", "ہیلپ لائن", "محفوظ",
        "إساءة", "الإساءة", "عنف", "مساعدة", "آمن",
    ];

    [Theory]
    [MemberData(nameof(Site.EveryPageInEveryLanguage), MemberType = typeof(Site))]
    public async Task Get_InDiscreetMode_TitleAndLinkPathsRevealNothing(string lang, string page)
    {
        var (_, doc) = await portal.GetPageAsync("/" + lang + page);
        var title = doc.Title!;

        Assert.DoesNotContain(Revealing, w => title.Contains(w, StringComparison.OrdinalIgnoreCase));
        Assert.Matches(NeutralIcon(), doc.QuerySelector("link[rel=icon]")!.GetAttribute("href")!);
        Assert.Null(doc.QuerySelector("meta[name=description]"));
        Assert.DoesNotContain("Larchwood", doc.QuerySelector(".app-header")!.TextContent, StringComparison.Ordinal);

        var paths = doc.QuerySelectorAll("a[href^='/']").Select(a => a.GetAttribute("href")!.Split('?', '#')[0]).Append("/" + lang + page);
        foreach (var path in paths)
        {
            Assert.DoesNotContain(Revealing, w => path.Contains(w, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Get_InDiscreetMode_TitleIsTheTranslatedNeutralName()
    {
        var (_, english) = await portal.GetPageAsync("/en-GB/policy");
        var (_, polish) = await portal.GetPageAsync("/pl/policy");

        Assert.Equal("Customer information", english.Title);
        Assert.NotEqual(english.Title, polish.Title);
        Assert.Matches(Words(), polish.Title!);
    }

    [GeneratedRegex(@"^/favicon-neutral\.[a-z0-9]+\.svg$")]
    private static partial Regex NeutralIcon();

    [GeneratedRegex(@"^\p{L}[\p{L} ]+$")]
    private static partial Regex Words();
}

using AngleSharp.Html.Parser;
using Portal.Web.Content;

namespace Portal.Web.Tests.Content;

public sealed class MarkdownRendererTests
{
    private static readonly Dictionary<string, SvgPicture> Pictures = new()
    {
        ["phone"] = SvgPictures.Parse("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><circle cx=\"32\" cy=\"32\" r=\"10\" fill=\"currentColor\"/></svg>", "phone"),
    };

    private static AngleSharp.Dom.IElement Render(string markdown, string culture = "pl")
    {
        var html = MarkdownRenderer.Render(markdown, culture, Pictures).Html;
        return new HtmlParser().ParseDocument("<div id=r>" + html + "</div>").GetElementById("r")!;
    }

    [Theory]
    [InlineData("[a](/services)", "/pl/services")]
    [InlineData("[a](/)", "/pl")]
    [InlineData("[a](/policy/easy-read)", "/pl/policy/easy-read")]
    [InlineData("[a](https://example.org/x)", "https://example.org/x")]
    [InlineData("[a](mailto:x@example.org)", "mailto:x@example.org")]
    [InlineData("[a](#section)", "#section")]
    [InlineData("[a](<tel:0808 2000 247>)", "tel:08082000247")]
    public void Render_Links_AreKeptAndSitePathsGetTheLanguage(string markdown, string expected)
    {
        Assert.Equal(expected, Render(markdown).QuerySelector("a")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JAVASCRIPT:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](//evil.example/x)")]
    [InlineData("[click](vbscript:x)")]
    [InlineData("[click](relative/path)")]
    public void Render_UnsafeOrUnknownLink_BecomesText(string markdown)
    {
        var root = Render(markdown);

        Assert.Null(root.QuerySelector("a"));
        Assert.Equal("click", root.TextContent.Trim());
    }

    [Fact]
    public void Render_TelLink_IsIsolatedLeftToRight()
    {
        var a = Render("Call [0808 2000 247](tel:08082000247).", "ar").QuerySelector("a")!;

        Assert.Equal("ltr", a.GetAttribute("dir"));
    }

    [Fact]
    public void Render_RawHtml_IsText()
    {
        var root = Render("<b onclick=x>bold</b>\n\n<iframe src=x></iframe>");

        Assert.Null(root.QuerySelector("b"));
        Assert.Null(root.QuerySelector("iframe"));
        Assert.Contains("<b onclick=x>", root.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PictureParagraph_BecomesRowWithLabelledSvg()
    {
        var root = Render("![A phone](picture:phone) Call us.");
        var item = root.QuerySelector(".app-easy-read__item")!;

        Assert.Equal("A phone", item.QuerySelector("svg")!.GetAttribute("aria-label"));
        Assert.Equal("img", item.QuerySelector("svg")!.GetAttribute("role"));
        Assert.Equal("Call us.", item.QuerySelector(".app-easy-read__text")!.TextContent);
    }

    [Fact]
    public void Render_UnknownPictureOrRemoteImage_ShowsAltText()
    {
        var root = Render("![A cat](picture:cat) and ![tracker](https://t.example/p.gif)");

        Assert.Null(root.QuerySelector("img"));
        Assert.Null(root.QuerySelector("svg"));
        Assert.Contains("A cat", root.TextContent, StringComparison.Ordinal);
        Assert.Contains("tracker", root.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Containers_AreWhitelistedPanels()
    {
        var root = Render("::: emergency\nCall 999\n:::\n\n::: onclick=alert(1)\nx\n:::");
        var panels = root.QuerySelectorAll("div.app-panel").ToList();

        Assert.Equal(2, panels.Count);
        Assert.Contains("app-panel--emergency", panels[0].ClassList);
        Assert.Contains("app-panel--note", panels[1].ClassList);
        Assert.False(panels[1].HasAttribute("onclick"));
    }

    [Fact]
    public void Render_Headings_GetIdsAndLevelTwoFormsContents()
    {
        var result = MarkdownRenderer.Render("## Co robimy\n\ntext\n\n### Sub\n\n## Ochrona danych", "pl", Pictures);

        Assert.Equal(["Co robimy", "Ochrona danych"], result.Toc.Select(t => t.Text));
        Assert.All(result.Toc, t => Assert.Contains($"id=\"{t.Id}\"", result.Html, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ArabicHeadings_KeepDistinctIds()
    {
        var result = MarkdownRenderer.Render("## ما نفعله\n\n## حماية البيانات", "ar", Pictures);

        Assert.Equal(2, result.Toc.Select(t => t.Id).Distinct().Count());
        Assert.All(result.Toc, t => Assert.False(string.IsNullOrWhiteSpace(t.Id)));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><a href=\"x\"/></svg>", "<a>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><path d=\"M0 0\" onload=\"x\"/></svg>", "onload")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><path d=\"M0 0\" style=\"fill:red\"/></svg>", "style")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><path d=\"M0 0\" fill=\"url(https://x)\"/></svg>", "url(")]
    [InlineData("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\">&x;</svg>", "not well-formed")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" viewBox=\"0 0 1 1\"/>", "viewBox")]
    public void SvgPictures_RejectAnythingButDrawing(string svg, string expected)
    {
        var e = Assert.Throws<ContentException>(() => SvgPictures.Parse(svg, "p.svg"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

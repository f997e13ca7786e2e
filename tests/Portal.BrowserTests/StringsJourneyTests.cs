using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Portal.Web.Backoffice;
using Xunit.Abstractions;

namespace Portal.BrowserTests;

/// <summary>
/// An Arabic translator fixes an interface string: the report, the right-to-left list, the editor, a
/// refused save with a wrong placeholder, then a save a reader sees at once. axe checks each screen;
/// the same save then works again with JavaScript switched off.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StringsJourneyTests(BrowserPortal portal, ITestOutputHelper output)
{
    private static readonly AxeRunOptions Axe = AxeChecks.Options;

    private readonly StringBuilder _axeProblems = new();

    [Fact]
    public async Task AnArabicTranslatorEditsAnInterfaceString_WithoutJavaScript_AndAReaderSeesIt()
    {
        var translator = await BrowserStaff.CreateAsync(portal, StaffRoles.Translator, "ar");
        var (context, refused) = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserStaff.SignInAsync(portal, page, translator.Email, translator.Key);

        await page.GotoAsync(portal.BaseUrl + "/backoffice/strings");
        await CheckAxeAsync(page, "report");
        Assert.Equal(1, await page.Locator("tr[data-language]").CountAsync());
        await page.ClickAsync("tr[data-language='ar'] a[href='/backoffice/strings/ar']");
        await page.WaitForURLAsync("**/backoffice/strings/ar");
        await CheckAxeAsync(page, "list");
        Assert.Equal("rtl", await page.GetAttributeAsync("td[data-translation]", "dir"));

        var key = Portal.Web.Localization.UiKeys.Hash(new Portal.Web.Localization.UiKey(null, "Chat online with {0}"));
        await page.ClickAsync($"tr[data-key='{key}'] th a");
        await page.WaitForURLAsync($"**/backoffice/strings/ar/{key}");
        await CheckAxeAsync(page, "editor");
        Assert.Equal("rtl", await page.GetAttributeAsync("#form-0", "dir"));

        await page.FillAsync("#form-0", "دردشة عبر الإنترنت");
        await page.ClickAsync("form[data-string-form] button[type=submit]");
        Assert.Contains("same placeholders", await page.TextContentAsync(".app-error-summary"), StringComparison.Ordinal);
        Assert.Equal("دردشة عبر الإنترنت", await page.InputValueAsync("#form-0"));
        await CheckAxeAsync(page, "editor with an error");

        await page.FillAsync("#form-0", "دردشة مع {0}");
        await page.ClickAsync("form[data-string-form] button[type=submit]");
        await page.WaitForURLAsync("**?saved=1");
        await CheckAxeAsync(page, "editor after save");

        // Without JavaScript the form posts and saves all the same (axe needs scripts, so it ran above).
        var (noScript, noScriptRefused) = await portal.NewContextAsync(new Microsoft.Playwright.BrowserNewContextOptions { JavaScriptEnabled = false });
        var plain = await noScript.NewPageAsync();
        await BrowserStaff.SignInAsync(portal, plain, translator.Email, translator.Key);
        await plain.GotoAsync($"{portal.BaseUrl}/backoffice/strings/ar/{key}");
        var arabic = "دردشة مباشرة مع {0}";
        await plain.FillAsync("#form-0", arabic);
        await plain.ClickAsync("form[data-string-form] button[type=submit]");
        await plain.WaitForURLAsync("**?saved=1");
        Assert.Equal(arabic, await plain.InputValueAsync("#form-0"));

        var (readerContext, readerRefused) = await portal.NewContextAsync();
        var reader = await readerContext.NewPageAsync();
        await reader.GotoAsync(portal.BaseUrl + "/ar/services");
        Assert.Contains("دردشة مباشرة مع", await reader.TextContentAsync("main"), StringComparison.Ordinal);
        Assert.Empty(await readerContext.CookiesAsync());

        output.WriteLine(_axeProblems.Length == 0 ? "strings journey: no axe violations" : _axeProblems.ToString());
        Assert.True(_axeProblems.Length == 0, _axeProblems.ToString());
        Assert.Empty(refused);
        Assert.Empty(readerRefused);
        Assert.Empty(noScriptRefused);
        await context.CloseAsync();
        await noScript.CloseAsync();
        await readerContext.CloseAsync();
    }

    private async Task CheckAxeAsync(Microsoft.Playwright.IPage page, string name)
    {
        var result = await page.RunAxe(Axe);
        foreach (var v in result.Violations)
        {
            _axeProblems.AppendLine($"{name}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html)));
        }
    }
}

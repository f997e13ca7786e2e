using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Backoffice;
using Xunit.Abstractions;

namespace Portal.BrowserTests;

/// <summary>
/// A stale translation brought up to date as staff do it: the English privacy notice changes, a
/// Polish translator finds the page stale on the dashboard, updates the changed paragraph in the
/// split view and sends it for review; a Polish reviewer approves and publishes; a reader sees it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TranslationJourneyTests(BrowserPortal portal, ITestOutputHelper output)
{
    private static readonly AxeRunOptions Axe = AxeChecks.Options;

    private readonly StringBuilder _axeProblems = new();

    [Fact]
    public async Task APolishTranslatorUpdatesAStalePage_AReviewerApproves_AndThePublicPolishPageShowsIt()
    {
        // The English changes one paragraph, through the workflow (edited, approved and published by two people).
        var marker = Guid.NewGuid().ToString("N")[..6];
        await ChangeEnglishAsync("privacy", "how we keep it safe and what your rights are", $"how we protect it ({marker}) and what your rights are");

        // The translator finds the page stale on the dashboard and opens it.
        var translator = await BrowserStaff.CreateAsync(portal, StaffRoles.Translator, "pl");
        var (translatorContext, refused) = await portal.NewContextAsync();
        var page = await translatorContext.NewPageAsync();
        await BrowserStaff.SignInAsync(portal, page, translator.Email, translator.Key);
        await page.GotoAsync(portal.BaseUrl + "/backoffice/translations");
        await CheckAxeAsync(page, "dashboard");
        var cell = page.Locator("[data-cell='privacy/pl/standard']");
        Assert.Equal("stale", await cell.GetAttributeAsync("data-state"));
        await cell.Locator("a").ClickAsync();
        await page.WaitForURLAsync("**/backoffice/translations/privacy/pl/standard");
        await CheckAxeAsync(page, "split view");

        // Exactly one paragraph is marked, with the English change shown.
        var changed = page.Locator("[data-change='changed']");
        Assert.Equal(1, await changed.CountAsync());
        Assert.Contains(marker, await changed.Locator("ins").AllTextContentsAsync() is var ins ? string.Concat(ins) : "", StringComparison.Ordinal);
        var polish = $"Ta informacja wyjaśnia, jakie dane zbiera ta strona, dlaczego ich potrzebujemy, jak je chronimy ({marker}) i jakie masz prawa.";
        await changed.Locator("textarea").FillAsync(polish);
        await page.SelectOptionAsync("#translation_state", "translated");
        await page.ClickAsync("button[value='save-submit']");
        Assert.Contains("Sent for review", await page.TextContentAsync("[data-message]"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-change='changed']").CountAsync());
        await CheckAxeAsync(page, "split view after save");

        // A Polish reviewer approves and publishes.
        var reviewer = await BrowserStaff.CreateAsync(portal, StaffRoles.Reviewer, "pl");
        var (reviewerContext, _) = await portal.NewContextAsync();
        var review = await reviewerContext.NewPageAsync();
        await BrowserStaff.SignInAsync(portal, review, reviewer.Email, reviewer.Key);
        await review.GotoAsync(portal.BaseUrl + "/backoffice/pages/privacy/pl/standard");
        Assert.Equal("in-review", await review.GetAttributeAsync("[data-state]", "data-state"));
        await review.ClickAsync("button[value=approve]");
        await review.ClickAsync("button[value=publish]");
        Assert.Equal("published", await review.GetAttributeAsync("[data-state]", "data-state"));

        // A reader with no session sees the new Polish at once, with no notice that it is behind.
        var (readerContext, readerRefused) = await portal.NewContextAsync();
        var reader = await readerContext.NewPageAsync();
        await reader.GotoAsync(portal.BaseUrl + "/pl/privacy");
        Assert.Contains(polish, await reader.TextContentAsync("main"), StringComparison.Ordinal);
        Assert.Equal(0, await reader.Locator("[data-translated-from]").CountAsync());
        Assert.Equal("pl", await reader.GetAttributeAsync("html", "lang"));
        Assert.Empty(await readerContext.CookiesAsync());

        output.WriteLine(_axeProblems.Length == 0 ? "translation journey: no axe violations" : _axeProblems.ToString());
        Assert.True(_axeProblems.Length == 0, _axeProblems.ToString());
        Assert.Empty(refused);
        Assert.Empty(readerRefused);
        await translatorContext.CloseAsync();
        await reviewerContext.CloseAsync();
        await readerContext.CloseAsync();
    }

    [Fact]
    public async Task ATranslatorSendsStaleWorkToAnAgency_AndTakesTheFileBack_WithAReport()
    {
        var marker = Guid.NewGuid().ToString("N")[..6];
        await ChangeEnglishAsync("privacy", "You can contact our Data Protection Officer by e-mail at", $"You can e-mail our Data Protection Officer ({marker}) at");
        var translator = await BrowserStaff.CreateAsync(portal, StaffRoles.Translator, "pl");
        var (context, refused) = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserStaff.SignInAsync(portal, page, translator.Email, translator.Key);
        await page.GotoAsync(portal.BaseUrl + "/backoffice/translations");
        await page.ClickAsync("a[href='/backoffice/translations/exchange']");
        await page.WaitForURLAsync("**/backoffice/translations/exchange");
        await CheckAxeAsync(page, "translation files");

        // Download the Polish XLIFF with the link, as a person would.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-language='pl'] a[href*='format=xliff']"));
        Assert.EndsWith(".xlf", download.SuggestedFilename, StringComparison.Ordinal);
        var xliff = System.Xml.Linq.XDocument.Load(await download.PathAsync());
        System.Xml.Linq.XNamespace x = "urn:oasis:names:tc:xliff:document:2.0";
        var unit = xliff.Descendants(x + "unit").First(u => u.Element(x + "segment")!.Element(x + "source")!.Value.Contains(marker, StringComparison.Ordinal));
        var segment = unit.Element(x + "segment")!;
        segment.Add(new System.Xml.Linq.XElement(x + "target", $"Agencja ({marker}). ", segment.Element(x + "source")!.Nodes()));
        var file = Path.Combine(Path.GetTempPath(), $"agency-{marker}.xlf");
        xliff.Save(file);

        await page.SelectOptionAsync("#culture", "pl");
        await page.SetInputFilesAsync("#file", file);
        await page.ClickAsync("form[enctype='multipart/form-data'] button[type=submit]");
        await page.WaitForSelectorAsync("[data-report]");
        Assert.Equal("accepted", await page.GetAttributeAsync($"[data-unit='{unit.Attribute("id")!.Value}']", "data-outcome"));
        Assert.Contains("1 taken, 0 refused", await page.TextContentAsync("[data-totals]"), StringComparison.Ordinal);
        await CheckAxeAsync(page, "import report");

        // The draft opens in the split view with nothing left to do.
        await page.ClickAsync("[data-report] a[href='/backoffice/translations/privacy/pl/standard']");
        await page.WaitForURLAsync("**/backoffice/translations/privacy/pl/standard");
        Assert.Equal(0, await page.Locator("[data-change='changed']").CountAsync());
        File.Delete(file);

        Assert.True(_axeProblems.Length == 0, _axeProblems.ToString());
        Assert.Empty(refused);
        await context.CloseAsync();
    }

    private async Task ChangeEnglishAsync(string slug, string from, string to)
    {
        using var scope = portal.Services.CreateScope();
        var workflow = scope.ServiceProvider.GetRequiredService<PageWorkflow>();
        var site = scope.ServiceProvider.GetRequiredService<Portal.Web.Content.SiteContent>().Current;
        var english = site.Published[(slug, "en-GB", "standard")];
        var editor = new StaffActor("journey-editor", "journey-editor", new HashSet<string> { StaffRoles.Editor }, []);
        var publisher = new StaffActor("journey-publisher", "journey-publisher", new HashSet<string> { StaffRoles.Publisher }, []);
        var input = new DraftInput(english.Title, english.NavTitle, english.Description, english.Body.Replace(from, to, StringComparison.Ordinal), null);
        Assert.True((await workflow.SaveDraftAsync(editor, slug, "en-GB", "standard", input)).Succeeded);
        Assert.True((await workflow.SubmitAsync(editor, slug, "en-GB", "standard")).Succeeded);
        Assert.True((await workflow.ApproveAsync(publisher, slug, "en-GB", "standard")).Succeeded);
        Assert.True((await workflow.PublishAsync(publisher, slug, "en-GB", "standard")).Succeeded);
    }

    private async Task CheckAxeAsync(IPage page, string name)
    {
        var result = await page.RunAxe(Axe);
        foreach (var v in result.Violations)
        {
            _axeProblems.AppendLine($"{name}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html)));
        }
    }
}

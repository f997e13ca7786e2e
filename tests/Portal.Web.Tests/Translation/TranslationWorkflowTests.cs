using System.Net;
using AngleSharp.Html.Dom;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Translation;

/// <summary>
/// The translation journey through the real forms: an English change makes exactly the paragraphs it
/// touched stale, the split view shows what changed, critical changes withdraw translations until
/// they catch up, and reviewers approve per language. Each test has its own portal (fresh content).
/// </summary>
public sealed class TranslationWorkflowTests : IDisposable
{
    private const string SplitForm = "main form[method='post']";

    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    private static string SplitPath(string slug, string culture, string audience = "standard") =>
        $"/backoffice/translations/{slug}/{culture}/{audience}";

    /// <summary>Replaces one English paragraph (by its text) and publishes the change.</summary>
    private async Task PublishEnglishChangeAsync(string slug, string from, string to, bool critical = false)
    {
        var editor = await Staff.SignedInAsync(_portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(_portal, StaffRoles.Publisher);
        var english = (await VersionsAsync(_portal, slug, "en-GB")).Last();
        Assert.Contains(from, english.Body, StringComparison.Ordinal);
        await OkAsync(SaveAsync(editor, slug, "en-GB", english.Title, english.Body.Replace(from, to, StringComparison.Ordinal)));
        await OkAsync(ActAsync(editor, slug, "en-GB", "submit"));
        await OkAsync(ActAsync(publisher, slug, "en-GB", "approve"));
        await OkAsync(ActAsync(publisher, slug, "en-GB", "publish", extra: critical ? new() { ["critical"] = "yes" } : null));
    }

    private static async Task<IHtmlDocument> GetAsync(StaffMember staff, string path)
    {
        var response = await staff.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Staff.DocumentAsync(response);
    }

    private static string? Cell(IHtmlDocument grid, string variant, string attribute = "data-state") =>
        grid.QuerySelector($"[data-cell='{variant}']")?.GetAttribute(attribute);

    [Fact]
    public async Task EditingOneEnglishParagraph_MarksOnlyThatParagraphStale_AndTheSplitViewShowsWhatChanged()
    {
        await PublishEnglishChangeAsync("privacy", "how we keep it safe and what your rights are", "how we protect it and what your rights are");
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);

        var grid = await GetAsync(translator, "/backoffice/translations");
        Assert.Equal("stale", Cell(grid, "privacy/pl/standard"));
        Assert.Equal("1", Cell(grid, "privacy/pl/standard", "data-todo"));
        Assert.Equal("machine-draft", Cell(grid, "policy/pl/standard"));
        // A translator sees only their own languages.
        Assert.Null(grid.QuerySelector("[data-cell='privacy/ro/standard']"));
        Assert.Equal(1, int.Parse(grid.QuerySelector("[data-language='pl'] [data-count='stale']")!.TextContent, System.Globalization.CultureInfo.InvariantCulture));

        var split = await GetAsync(translator, SplitPath("privacy", "pl"));
        var changed = Assert.Single(split.QuerySelectorAll("[data-change='changed']"));
        Assert.Equal(29, split.QuerySelectorAll("[data-change='current']").Length);
        var diff = changed.QuerySelector("[data-diff]")!;
        var removed = string.Concat(diff.QuerySelectorAll("del").Select(d => d.TextContent));
        var added = string.Concat(diff.QuerySelectorAll("ins").Select(d => d.TextContent));
        Assert.Equal(("keep safe", "protect"), (string.Join(' ', removed.Split(' ', StringSplitOptions.RemoveEmptyEntries)), added.Trim()));
        Assert.Contains("what your rights are", diff.TextContent, StringComparison.Ordinal);
        Assert.Equal("en-GB", changed.QuerySelector("[data-diff]")!.Closest("[lang]")!.GetAttribute("lang"));
        var box = changed.QuerySelector("textarea")!;
        Assert.Equal("pl", box.GetAttribute("lang"));
        Assert.False(string.IsNullOrWhiteSpace(box.TextContent));
        Assert.Contains(box.TextContent.Trim(), (await VersionsAsync(_portal, "privacy", "pl")).Last().Body, StringComparison.Ordinal);
        Assert.True(split.QuerySelector("[data-summary]")!.TextContent.Contains("1 paragraph needs work", StringComparison.Ordinal), split.QuerySelector("[data-summary]")!.OuterHtml);

        // Romanian, untouched, is stale in the same one paragraph.
        var editor = await Staff.SignedInAsync(_portal, StaffRoles.Editor);
        var romanian = await GetAsync(editor, SplitPath("privacy", "ro"));
        Assert.Single(romanian.QuerySelectorAll("[data-change='changed']"));
        Assert.Equal(changed.GetAttribute("data-block"), romanian.QuerySelector("[data-change='changed']")!.GetAttribute("data-block"));
    }

    [Fact]
    public async Task SavingWithoutTouchingAChangedParagraph_KeepsItStale_UntilEditedOrConfirmed()
    {
        await PublishEnglishChangeAsync("privacy", "how we keep it safe and what your rights are", "how we protect it and what your rights are");
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        var block = (await GetAsync(translator, SplitPath("privacy", "pl"))).QuerySelector("[data-change='changed']")!.GetAttribute("data-block")!;

        var untouched = await BackofficeForms.SubmitAsync(translator.Client, SplitPath("privacy", "pl"), SplitForm, f => f.With("action", "save"));
        Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
        Assert.Contains("1 paragraph still needs", await MessageAsync(untouched), StringComparison.Ordinal);
        Assert.Equal("stale", Cell(await GetAsync(translator, "/backoffice/translations"), "privacy/pl/standard"));

        var confirmed = await BackofficeForms.SubmitAsync(translator.Client, SplitPath("privacy", "pl"), SplitForm,
            f => f.With("action", "save").With("translation_state", "translated").With("confirm", block));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("translated", Cell(await GetAsync(translator, "/backoffice/translations"), "privacy/pl/standard"));
        Assert.Empty((await GetAsync(translator, SplitPath("privacy", "pl"))).QuerySelectorAll("[data-change='changed']"));
    }

    [Fact]
    public async Task AParagraphThatBecomesTwo_IsRefusedWith400_KeepingWhatWasTyped()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        var page = await GetAsync(translator, SplitPath("privacy", "pl"));
        var block = page.QuerySelectorAll("[data-block]")[2].GetAttribute("data-block")!;
        var before = (await VersionsAsync(_portal, "privacy", "pl")).Count;

        var response = await BackofficeForms.SubmitAsync(translator.Client, SplitPath("privacy", "pl"), SplitForm,
            f => f.With("action", "save").With("block-" + block, "Pierwszy akapit.\n\nDrugi akapit."));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var document = await Staff.DocumentAsync(response);
        Assert.Contains("more than one paragraph", await MessageAsync(response), StringComparison.Ordinal);
        Assert.Contains("Drugi akapit.", document.QuerySelector($"#block-{block}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, (await VersionsAsync(_portal, "privacy", "pl")).Count);
    }

    [Fact]
    public async Task ANonCriticalChange_LeavesTheTranslationLive_SayingWhichEnglishItWasMadeFrom()
    {
        var (_, before) = await _portal.GetPageAsync("/pl/privacy");
        Assert.Null(before.QuerySelector("[data-translated-from]"));

        await PublishEnglishChangeAsync("privacy", "how we keep it safe and what your rights are", "how we protect it and what your rights are");

        var (response, page) = await _portal.GetPageAsync("/pl/privacy");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notice = page.QuerySelector("[data-translated-from]")!;
        // The date of the English the Polish was made from: the imported version.
        var madeFrom = (await VersionsAsync(_portal, "privacy", "en-GB"))[0].CreatedUtc;
        var polishDate = madeFrom.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("pl"));
        Assert.Matches(@"^\d{1,2} [a-ząćęłńóśźż]+ \d{4}$", polishDate);
        Assert.True(notice.TextContent.Contains(polishDate, StringComparison.Ordinal), notice.OuterHtml);
        Assert.Equal("/en-GB/privacy", notice.QuerySelector("a")!.GetAttribute("href"));
        Assert.Null(page.QuerySelector(".app-page")!.GetAttribute("lang"));
        Assert.Contains(page.QuerySelectorAll("link[rel='alternate']"), l => l.GetAttribute("hreflang") == "pl");
    }

    [Fact]
    public async Task ACriticalChange_WithdrawsStaleTranslations_AndUpdatingThePolishRestoresIt()
    {
        const string oldText = "Everyone has the right to feel safe at home.";
        const string newText = "Everyone has the right to feel safe at home, and we will act within one working day.";
        var (_, before) = await _portal.GetPageAsync("/pl/policy");
        var polishTitle = before.QuerySelector("h1")!.TextContent;

        await PublishEnglishChangeAsync("policy", oldText, newText, critical: true);

        // Polish readers now get the current English, with the notice, and no Polish alternate link.
        var (_, withdrawn) = await _portal.GetPageAsync("/pl/policy");
        Assert.Contains("we will act within one working day", withdrawn.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("en-GB", withdrawn.QuerySelector(".app-page")!.GetAttribute("lang"));
        Assert.Contains("aktualizowana", withdrawn.QuerySelector(".app-notice")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(withdrawn.QuerySelectorAll("link[rel='alternate']"), l => l.GetAttribute("hreflang") == "pl");
        Assert.NotNull(withdrawn.QuerySelector("meta[name='robots'][content*='noindex']"));
        var (_, romanian) = await _portal.GetPageAsync("/ro/policy");
        Assert.Equal("en-GB", romanian.QuerySelector(".app-page")!.GetAttribute("lang"));
        // A page the change did not touch stays translated.
        var (_, privacy) = await _portal.GetPageAsync("/pl/privacy");
        Assert.Null(privacy.QuerySelector(".app-page")!.GetAttribute("lang"));

        // A Polish translator updates the changed paragraph; a Polish reviewer approves and publishes.
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        var reviewer = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Reviewer);
        var grid = await GetAsync(translator, "/backoffice/translations");
        Assert.Contains("Withdrawn", grid.QuerySelector("[data-cell='policy/pl/standard']")!.TextContent, StringComparison.Ordinal);
        var block = (await GetAsync(translator, SplitPath("policy", "pl"))).QuerySelector("[data-change='changed']")!.GetAttribute("data-block")!;
        const string polish = "Każdy ma prawo czuć się bezpiecznie w domu, a my zareagujemy w ciągu jednego dnia roboczego.";
        var saved = await BackofficeForms.SubmitAsync(translator.Client, SplitPath("policy", "pl"), SplitForm,
            f => f.With("action", "save-submit").With("block-" + block, polish));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Sent for review", await MessageAsync(saved), StringComparison.Ordinal);

        // Still withdrawn until published.
        Assert.Equal("en-GB", (await _portal.GetPageAsync("/pl/policy")).Document.QuerySelector(".app-page")!.GetAttribute("lang"));
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(translator, "policy", "pl", "approve")).StatusCode);
        await OkAsync(ActAsync(reviewer, "policy", "pl", "approve"));
        await OkAsync(ActAsync(reviewer, "policy", "pl", "publish"));

        var (_, restored) = await _portal.GetPageAsync("/pl/policy");
        Assert.Null(restored.QuerySelector(".app-page")!.GetAttribute("lang"));
        Assert.Equal(polishTitle, restored.QuerySelector("h1")!.TextContent);
        Assert.Contains(polish, restored.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Null(restored.QuerySelector("[data-translated-from]"));
        Assert.Contains(restored.QuerySelectorAll("link[rel='alternate']"), l => l.GetAttribute("hreflang") == "pl");
        Assert.Equal("reviewed", Cell(await GetAsync(translator, "/backoffice/translations"), "policy/pl/standard"));
        // Romanian stays withdrawn until it is updated too.
        Assert.Equal("en-GB", (await _portal.GetPageAsync("/ro/policy")).Document.QuerySelector(".app-page")!.GetAttribute("lang"));
        var audit = await AuditAsync(_portal, "policy");
        Assert.Contains(audit, a => a.Action == "publish" && a.Culture == "en-GB" && a.Detail!.Contains("critical", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "publish" && a.Culture == "pl" && a.Actor == reviewer.Id);
    }

    [Fact]
    public async Task AHelplineNumberChange_MakesNothingStale_AndChangesEveryLanguage()
    {
        var publisher = await Staff.SignedInAsync(_portal, StaffRoles.Publisher);
        var response = await BackofficeForms.SubmitAsync(publisher.Client, "/backoffice/helplines/samaritans",
            "form[action='/backoffice/helplines/samaritans']", f => f.With("phone", "116 124"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var grid = await GetAsync(publisher, "/backoffice/translations");
        Assert.Empty(grid.QuerySelectorAll("[data-state='stale']"));
        foreach (var culture in Site.Languages)
        {
            var (_, page) = await _portal.GetPageAsync($"/{culture}/services");
            Assert.Equal("116 124", page.QuerySelector("#helpline-samaritans [itemprop='telephone']")!.TextContent);
        }
    }

    [Theory]
    [InlineData("ro", "approve")]
    [InlineData("en-GB", "approve")]
    [InlineData("en-GB", "publish")]
    public async Task AReviewer_CannotApproveOrPublishOutsideTheirLanguage(string culture, string action)
    {
        var editor = await Staff.SignedInAsync(_portal, StaffRoles.Editor);
        var reviewer = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Reviewer);
        var version = (await VersionsAsync(_portal, "privacy", culture)).Last();
        await OkAsync(SaveAsync(editor, "privacy", culture, version.Title, version.Body + "\n\nOne more sentence.\n", translationState: culture == "en-GB" ? null : "translated"));
        await OkAsync(ActAsync(editor, "privacy", culture, "submit"));

        // The token comes from a page the reviewer may open; the editor page of another language refuses them.
        var response = await BackofficeForms.PostAsync(reviewer.Client, EditorPath("privacy", culture), [new("action", action)], "/backoffice/translations");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(VariantStates.InReview, (await VariantAsync(_portal, "privacy", culture))!.State);
    }

    [Fact]
    public async Task OnlyAReviewerOfTheLanguage_MayMarkATranslationReviewed()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        var reviewer = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Reviewer);
        var polish = (await VersionsAsync(_portal, "privacy", "pl")).Last();

        var refused = await SaveAsync(translator, "privacy", "pl", polish.Title, polish.Body, translationState: "reviewed");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await OkAsync(SaveAsync(reviewer, "privacy", "pl", polish.Title, polish.Body, translationState: "reviewed"));
    }

    [Fact]
    public async Task RollingBackATranslation_KeepsItMadeFromTheOldEnglish()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        await PublishEnglishChangeAsync("privacy", "how we keep it safe and what your rights are", "how we protect it and what your rights are");
        await OkAsync(BackofficeForms.SubmitAsync(translator.Client, SplitPath("privacy", "pl"), SplitForm, f => f.With("action", "save").With("translation_state", "translated").With(
            "confirm", f.Where(x => x.Key.StartsWith("block-", StringComparison.Ordinal)).Select(x => x.Key["block-".Length..]).ToArray())));
        Assert.Equal("translated", Cell(await GetAsync(translator, "/backoffice/translations"), "privacy/pl/standard"));

        await OkAsync(Staff.PostFormAsync(translator.Client, EditorPath("privacy", "pl") + "/history", new() { ["version"] = "1" }));

        Assert.Equal("stale", Cell(await GetAsync(translator, "/backoffice/translations"), "privacy/pl/standard"));
    }

    [Fact]
    public async Task TheSplitView_IsRightToLeftForArabic_WithPhoneNumbersIsolated()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "ar", StaffRoles.Translator);

        var page = await GetAsync(translator, SplitPath("policy", "ar"));

        var boxes = page.QuerySelectorAll("textarea[name^='block-']");
        Assert.NotEmpty(boxes);
        Assert.All(boxes, b => Assert.Equal(("ar", "rtl"), (b.GetAttribute("lang"), b.GetAttribute("dir"))));
        Assert.All(page.QuerySelectorAll("#title, #description"), b => Assert.Equal("rtl", b.GetAttribute("dir")));
        Assert.Contains(page.QuerySelectorAll("bdi[dir='ltr']"), b => b.TextContent == "0808 2000 247");
        Assert.All(page.QuerySelectorAll("[data-block] [lang='en-GB']"), s => Assert.Equal("ltr", s.GetAttribute("dir")));
    }

    [Fact]
    public async Task ATranslatorOfAnotherLanguage_CannotOpenOrSaveTheSplitView()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "ro", StaffRoles.Translator);

        Assert.Equal(HttpStatusCode.Forbidden, (await translator.Client.GetAsync(SplitPath("privacy", "pl"))).StatusCode);
        var post = await BackofficeForms.PostAsync(translator.Client, SplitPath("privacy", "pl"), [new("action", "save"), new("title", "x")], "/backoffice/translations");
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Localization;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Localization.UiStringEditing;

namespace Portal.Web.Tests.Localization;

/// <summary>Interface strings edited in the back office: overrides, fuzzy translations after an English change, permissions, validation.</summary>
public sealed class UiStringEditingTests
{
    private const string Skip = "Skip to main content";
    private const string ShippedPolish = "Przejdź do treści głównej";

    [Fact]
    public async Task Save_PolishTranslation_IsOnThePublicPageWithoutRestart_AndAudited()
    {
        using var portal = new PortalFactory();
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);
        Assert.Equal(ShippedPolish, await SkipLinkAsync(portal, "pl"));

        await SavedAsync(translator, "pl", Skip, "Przejdź do głównej treści");

        Assert.Equal("Przejdź do głównej treści", await SkipLinkAsync(portal, "pl"));
        Assert.Equal(Skip, await SkipLinkAsync(portal, "en-GB"));
        var row = Assert.Single(await OverridesAsync(portal));
        Assert.Equal(("pl", Skip, UiStringStates.Translated, Skip, translator.Id), (row.Culture, row.MsgId, row.State, row.SourceText, row.UpdatedBy));
        var entry = Assert.Single(await BackofficeForms.AuditAsync(portal, "ui-string:" + Hash(Skip)));
        Assert.Equal(("edit-ui-string", "pl", translator.Id), (entry.Action, entry.Culture, entry.Actor));
        var page = await PageAsync(translator, EditPath("pl", Skip) + "?saved=1");
        Assert.Equal("Przejdź do głównej treści", page.QuerySelector("#form-0")!.TextContent);
        Assert.Contains(translator.Email, page.QuerySelector(".app-summary-list")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnglishRewording_MakesPolishFuzzy_AndThePolishPageShowsTheNewEnglish_UntilTranslatedAgain()
    {
        using var portal = new PortalFactory();
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl,cy", StaffRoles.Translator);
        // Welsh has a saved translation, Polish the shipped one: both were made from the old wording.
        await SavedAsync(translator, "cy", Skip, "Neidio i'r prif gynnwys (wedi'i gadw)");
        var before = Counts(portal, "pl");

        await SavedAsync(publisher, "en-GB", Skip, "Skip to the main text");

        Assert.Equal("Skip to the main text", await SkipLinkAsync(portal, "en-GB"));
        Assert.Equal("Skip to the main text", await SkipLinkAsync(portal, "pl"));
        Assert.Equal("Skip to the main text", await SkipLinkAsync(portal, "cy"));
        Assert.Equal(UiStringStates.Fuzzy, (await OverridesAsync(portal)).Single(o => o.Culture == "cy").State);
        var after = Counts(portal, "pl");
        Assert.Equal((before.Translated - 1, before.Fuzzy + 1), (after.Translated, after.Fuzzy));
        var edit = await PageAsync(translator, EditPath("pl", Skip));
        Assert.Equal(UiStringStates.Fuzzy, edit.QuerySelector("[data-state]")!.GetAttribute("data-state"));
        Assert.Equal("Skip to the main text", edit.QuerySelector("[data-english]")!.TextContent.Trim());
        Assert.Equal(Skip, edit.QuerySelector("[data-made-from]")!.TextContent.Trim());
        Assert.Equal(ShippedPolish, edit.QuerySelector("#form-0")!.TextContent);
        var fuzzyList = await PageAsync(translator, "/backoffice/strings/pl?show=fuzzy");
        Assert.Equal([Hash(Skip)], fuzzyList.QuerySelectorAll("tr[data-key]").Select(r => r.GetAttribute("data-key")));
        var audit = await BackofficeForms.AuditAsync(portal, "ui-string:" + Hash(Skip));
        Assert.Contains(audit, a => a.Action == "reword-ui-string" && a.Detail!.Contains("Skip to the main text", StringComparison.Ordinal));

        await SavedAsync(translator, "pl", Skip, "Przejdź do tekstu głównego");

        Assert.Equal("Przejdź do tekstu głównego", await SkipLinkAsync(portal, "pl"));
        Assert.Equal("Skip to the main text", await SkipLinkAsync(portal, "cy"));
        Assert.Equal((before.Translated, before.Fuzzy), (Counts(portal, "pl").Translated, Counts(portal, "pl").Fuzzy));
        var polish = (await OverridesAsync(portal)).Single(o => o.Culture == "pl");
        Assert.Equal(("Skip to the main text", UiStringStates.Translated), (polish.SourceText, polish.State));
    }

    [Fact]
    public async Task TranslatorOfPolish_CannotOpenOrSaveWelshOrEnglish_AndAnEditorCannotOpenStrings()
    {
        using var portal = new PortalFactory();
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);
        var reviewer = await Staff.SignedInWithLanguagesAsync(portal, "cy", StaffRoles.Reviewer);
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);

        foreach (var path in new[] { "/backoffice/strings/cy", EditPath("cy", Skip), "/backoffice/strings/en-GB", EditPath("en-GB", Skip) })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await translator.Client.GetAsync(path)).StatusCode);
        }

        // A post with a valid antiforgery token (from the Polish page) is still refused for Welsh and English.
        foreach (var culture in new[] { "cy", "en-GB" })
        {
            var post = await BackofficeForms.PostAsync(translator.Client, EditPath(culture, Skip), [new("form-0", "Neidio")], tokenPage: EditPath("pl", Skip));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }

        Assert.Empty(await OverridesAsync(portal));
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.Client.GetAsync("/backoffice/strings/pl")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.Client.GetAsync(EditPath("cy", Skip))).StatusCode);
        foreach (var path in new[] { "/backoffice/strings", "/backoffice/strings/pl", EditPath("pl", Skip) })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await editor.Client.GetAsync(path)).StatusCode);
        }

        var index = await PageAsync(translator, "/backoffice/strings");
        Assert.Equal(["pl"], index.QuerySelectorAll("tr[data-language]").Select(r => r.GetAttribute("data-language")));
        Assert.Null(index.QuerySelector("[data-source-link]"));
    }

    [Theory]
    [InlineData("Czat online z konsultantem", "{0}")]
    [InlineData("Czat online: {1}", "{1}")]
    [InlineData("Czat {0} z {name}", "{0}, {name}")]
    public async Task Save_WithOtherPlaceholdersThanTheEnglish_Answers400_KeepsTheText_AndSavesNothing(string typed, string found)
    {
        using var portal = new PortalFactory();
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);

        var response = await SaveAsync(translator, "pl", "Chat online with {0}", typed);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Staff.DocumentAsync(response);
        var error = Assert.Single(BackofficeForms.ErrorMessages(page));
        Assert.Contains("must use the same placeholders as the English ({0})", error, StringComparison.Ordinal);
        Assert.Contains(found == "{0}" ? "it has none" : "it has " + found, error, StringComparison.Ordinal);
        Assert.Equal(typed, page.QuerySelector("#form-0")!.TextContent);
        Assert.Empty(await OverridesAsync(portal));
        Assert.Empty(await BackofficeForms.AuditAsync(portal, "ui-string:" + Hash("Chat online with {0}")));
    }

    [Fact]
    public async Task Save_Empty_Answers400WithAMessage()
    {
        using var portal = new PortalFactory();
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);

        var response = await SaveAsync(translator, "pl", Skip, "  ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Enter the translation."], BackofficeForms.ErrorMessages(await Staff.DocumentAsync(response)));
        Assert.Empty(await OverridesAsync(portal));
    }

    [Fact]
    public async Task EditPage_ForAPluralString_HasAnInputPerPolishForm_LabelledWithNumbers_RightToLeftForArabic()
    {
        using var portal = new PortalFactory();
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);

        var polish = await PageAsync(admin, EditPath("pl", "{0} helpline"));
        Assert.Equal(["{0} infolinia", "{0} infolinie", "{0} infolinii"], polish.QuerySelectorAll("textarea").Select(t => t.TextContent));
        Assert.Equal(["Used for 1", "Used for 2, 3, 4, 22, 23, 24, …", "Used for 0, 5, 6, 7, 8, 9, …"],
            polish.QuerySelectorAll("form[data-string-form] .app-hint[id]").Select(h => h.TextContent.Trim()));
        Assert.All(polish.QuerySelectorAll("textarea"), t => Assert.Equal(("pl", "ltr"), (t.GetAttribute("lang"), t.GetAttribute("dir"))));

        var arabic = await PageAsync(admin, EditPath("ar", "{0} helpline"));
        Assert.Equal(6, arabic.QuerySelectorAll("textarea").Length);
        Assert.All(arabic.QuerySelectorAll("textarea"), t => Assert.Equal(("ar", "rtl"), (t.GetAttribute("lang"), t.GetAttribute("dir"))));
        Assert.Equal("Used for 3, 4, 5, 6, 7, 8, …", arabic.QuerySelector("#form-3-hint")!.TextContent.Trim());
        var list = await PageAsync(admin, "/backoffice/strings/ur");
        Assert.All(list.QuerySelectorAll("td[data-translation]"), td => Assert.Equal(("ur", "rtl"), (td.GetAttribute("lang"), td.GetAttribute("dir"))));
    }

    [Fact]
    public async Task Save_PolishPluralForms_ArePickedByNumberOnThePublicHelplinesPage()
    {
        using var portal = new PortalFactory();
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);

        await SavedAsync(translator, "pl", "{0} helpline", "{0} telefon zaufania", "{0} telefony zaufania", "{0} telefonów zaufania");

        var strings = portal.Services.GetRequiredService<UiCatalogHolder>().Current;
        Assert.Equal("{0} telefon zaufania", strings.Plural("pl", "{0} helpline", "{0} helplines", 1).Text);
        Assert.Equal("{0} telefony zaufania", strings.Plural("pl", "{0} helpline", "{0} helplines", 22).Text);
        Assert.Equal("{0} telefonów zaufania", strings.Plural("pl", "{0} helpline", "{0} helplines", 11).Text);
        var (_, page) = await portal.GetPageAsync("/pl/services");
        Assert.Matches(@"^\d+ telefon(y|ów)? zaufania$", page.QuerySelector(".app-helplines__count")!.TextContent.Trim());
    }

    [Fact]
    public async Task AnotherNode_SeesASave_AtItsNextRevisionPoll()
    {
        using var portal = new PortalFactory();
        _ = portal.Server;
        // What another node's save leaves in the shared store: the row and a bumped revision.
        await BackofficeForms.WithDbAsync(portal, async db =>
        {
            db.UiStrings.Add(new UiStringOverride
            {
                Culture = "pl", Key = Hash(Skip), MsgId = Skip, Forms = UiStringOverride.WriteForms(["Do treści (inny węzeł)"]),
                SourceText = Skip, State = UiStringStates.Translated, UpdatedBy = "other-node", UpdatedUtc = portal.Clock.GetUtcNow(),
            });
            await BackofficeEdits.BumpRevisionAsync(db);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(ShippedPolish, await SkipLinkAsync(portal, "pl"));

        Assert.True(await portal.Services.GetRequiredService<ContentRevisionWatcher>().CheckAsync());

        Assert.Equal("Do treści (inny węzeł)", await SkipLinkAsync(portal, "pl"));
    }

    private static UiStringCounts Counts(PortalFactory portal, string culture) =>
        portal.Services.GetRequiredService<UiCatalogHolder>().Current.Counts(culture);
}

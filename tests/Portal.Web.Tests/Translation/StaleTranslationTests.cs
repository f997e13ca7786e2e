using Portal.Web.Backoffice;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Translation;

public sealed class StaleTranslationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<string?> TranslationStateAsync(StaffMember staff, string variant)
    {
        var document = await Staff.DocumentAsync(await staff.Client.GetAsync("/backoffice/pages"));
        return document.QuerySelector($"tr[data-variant='{variant}'] [data-translation]")?.GetAttribute("data-translation");
    }

    [Fact]
    public async Task ANewSourceParagraph_MakesTranslationsStale_UntilATranslatorSavesFromTheNewSource()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);
        Assert.Equal("machine-draft", await TranslationStateAsync(editor, "privacy/pl/standard"));
        Assert.Equal("machine-draft", await TranslationStateAsync(editor, "privacy/ro/standard"));

        var english = (await PageEditing.VersionsAsync(portal, "privacy", "en-GB")).Last();
        await PageEditing.OkAsync(PageEditing.SaveAsync(editor, "privacy", "en-GB", english.Title, english.Body + "\n\nWe now keep call notes for 30 days.\n"));

        // A draft of the source changes nothing for translators until it is published.
        Assert.Equal("machine-draft", await TranslationStateAsync(editor, "privacy/pl/standard"));
        await PageEditing.OkAsync(PageEditing.ActAsync(editor, "privacy", "en-GB", "submit"));
        await PageEditing.OkAsync(PageEditing.ActAsync(publisher, "privacy", "en-GB", "approve"));
        await PageEditing.OkAsync(PageEditing.ActAsync(publisher, "privacy", "en-GB", "publish"));

        Assert.Equal("stale", await TranslationStateAsync(editor, "privacy/pl/standard"));
        Assert.Equal("stale", await TranslationStateAsync(editor, "privacy/ro/standard"));

        var polish = (await PageEditing.VersionsAsync(portal, "privacy", "pl")).Last();
        await PageEditing.OkAsync(PageEditing.SaveAsync(translator, "privacy", "pl", polish.Title, polish.Body + "\n\nPrzechowujemy notatki z rozmów przez 30 dni.\n", translationState: "translated"));

        Assert.Equal("translated", await TranslationStateAsync(editor, "privacy/pl/standard"));
        Assert.Equal("stale", await TranslationStateAsync(editor, "privacy/ro/standard"));
    }
}

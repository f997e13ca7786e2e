using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Localization;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Localization.UiStringEditing;

namespace Portal.Web.Tests.Localization;

/// <summary>Interface-string overrides against a real PostgreSQL server.</summary>
public sealed class UiStringsOnPostgresTests(PostgresPortal portal) : IClassFixture<PostgresPortal>
{
    [Fact]
    public async Task SaveTranslationAndEnglishRewording_AreOnThePublicSite_OnPostgres()
    {
        const string skip = "Skip to main content";
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);

        await SavedAsync(translator, "pl", skip, "Przejdź do treści (PostgreSQL)");
        Assert.Equal("Przejdź do treści (PostgreSQL)", await SkipLinkAsync(portal, "pl"));

        await SavedAsync(publisher, "en-GB", skip, "Skip to the main text");
        Assert.Equal("Skip to the main text", await SkipLinkAsync(portal, "pl"));
        var rows = await OverridesAsync(portal);
        Assert.Equal(UiStringStates.Fuzzy, rows.Single(r => r.Culture == "pl").State);
        Assert.Equal(["Skip to the main text"], rows.Single(r => r.Culture == "en-GB").FormList);

        // A second save of the same string updates its row; a reload from the store gives the same strings.
        await SavedAsync(translator, "pl", skip, "Przejdź do tekstu głównego");
        Assert.Equal(2, (await OverridesAsync(portal)).Count);
        await portal.Services.GetRequiredService<SiteContent>().ReloadAsync();
        Assert.Equal("Przejdź do tekstu głównego", await SkipLinkAsync(portal, "pl"));
        Assert.Equal(["ui_strings"], await BackofficeForms.WithDbAsync(portal, async db =>
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE ui_strings");
            return await ContentSchema.AddMissingTablesAsync(db);
        }));
    }
}

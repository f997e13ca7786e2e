using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Localization;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Localization.UiStringEditing;

namespace Portal.Web.Tests.Localization;

/// <summary>The report of missing strings, export of overrides to PO files, and the table itself.</summary>
public sealed class UiStringStoreTests
{
    /// <summary>The portal on a private copy of the content, whose files a test may change first.</summary>
    private sealed class CopiedContentPortal(string root) : PortalFactory(null, root);

    [Fact]
    public async Task Report_CountsMissingAndFuzzyStringsPerLanguage()
    {
        var root = Repository.CopyContent();
        var path = Path.Combine(root, "translations", "pl", "ui.po");
        var text = await File.ReadAllTextAsync(path);
        // Two strings gone, one untranslated, one marked fuzzy.
        text = text.Replace("msgid \"Menu\"\nmsgstr \"Menu\"\n", "", StringComparison.Ordinal)
            .Replace("msgid \"Back\"\nmsgstr \"Wróć\"\n", "", StringComparison.Ordinal)
            .Replace("msgid \"Quick exit\"\nmsgstr \"Szybkie wyjście\"\n", "msgid \"Quick exit\"\nmsgstr \"\"\n", StringComparison.Ordinal)
            .Replace("msgid \"Contents\"\n", "#, fuzzy\nmsgid \"Contents\"\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text);
        using var portal = new CopiedContentPortal(root);
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var total = PoDocument.Load(Path.Combine(root, "translations", "ui.pot")).Messages.Count;

        var index = await PageAsync(admin, "/backoffice/strings");

        string Count(string culture, string what) =>
            index.QuerySelector($"tr[data-language='{culture}'] td[data-count='{what}']")!.TextContent.Trim();
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), Count("pl", "total"));
        Assert.Equal(("3", "1", (total - 4).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (Count("pl", "missing"), Count("pl", "fuzzy"), Count("pl", "translated")));
        Assert.Equal(("0", "0"), (Count("cy", "missing"), Count("cy", "fuzzy")));
        var missing = await PageAsync(admin, "/backoffice/strings/pl?show=missing");
        Assert.Equal(Removed.Select(s => Hash(s)).Order(StringComparer.Ordinal),
            missing.QuerySelectorAll("tr[data-key]").Select(r => r.GetAttribute("data-key")!).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync("/backoffice/strings/pl?show=everything")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/backoffice/strings/xx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/backoffice/strings/pl/0000000000000000")).StatusCode);
    }

    [Fact]
    public async Task ExportThenImport_KeepsOverridesEnglishWordingsAndFuzzyStates()
    {
        using var portal = new PortalFactory();
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        await SavedAsync(admin, "pl", Skip, "Przejdź do głównej treści");
        await SavedAsync(admin, "en-GB", "Quick exit", "Leave quickly");
        await SavedAsync(admin, "cy", "Quick exit", "Gadael yn gyflym");
        await SavedAsync(admin, "ar", "{0} helpline", "صفر", "واحد", "اثنان {0}", "قليل {0}", "كثير {0}", "آخر {0}");
        var before = portal.Services.GetRequiredService<UiCatalogHolder>().Current;
        var output = Directory.CreateTempSubdirectory("daportal-ui-export-").FullName;

        var written = await BackofficeForms.WithDbAsync(portal, db =>
            ContentExport.ExportAsync(db, output, Path.Combine(Repository.Root, "translations")));

        Assert.Contains("translations/en-GB/ui.po", written);
        File.Copy(Path.Combine(Repository.Root, "translations", "ui.pot"), Path.Combine(output, "translations", "ui.pot"));
        string[] cultures = ["en-GB", "cy", "pl", "ro", "ur", "ar"];
        var after = new UiStrings(UiBase.Load(Path.Combine(output, "translations"), "en-GB", cultures), [], cultures);
        foreach (var culture in cultures)
        {
            Assert.Equal(before.Counts(culture), after.Counts(culture));
            foreach (var m in before.Messages)
            {
                Assert.Equal(before.Translation(culture, m.Key).State, after.Translation(culture, m.Key).State);
                Assert.Equal(before.Text(culture, m.Key.Id, m.Key.Context), after.Text(culture, m.Key.Id, m.Key.Context));
                for (var n = 0; n <= 12 && m.IsPlural; n++)
                {
                    Assert.Equal(before.Plural(culture, m.Key.Id, m.PluralId!, n), after.Plural(culture, m.Key.Id, m.PluralId!, n));
                }
            }
        }

        Assert.Equal(("Przejdź do głównej treści", true), after.Text("pl", Skip));
        Assert.Equal(("Leave quickly", true), after.Text("en-GB", "Quick exit"));
        Assert.Equal(("Leave quickly", false), after.Text("pl", "Quick exit"));
        Assert.Equal(("Gadael yn gyflym", true), after.Text("cy", "Quick exit"));
        Assert.Equal("واحد", after.Plural("ar", "{0} helpline", "{0} helplines", 1).Text);
        var polish = await File.ReadAllTextAsync(Path.Combine(output, "translations", "pl", "ui.po"));
        Assert.Contains("#, fuzzy\nmsgid \"Quick exit\"\nmsgstr \"Szybkie wyjście\"\n", polish, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMissingTables_CreatesUiStringsInADatabaseFromAnEarlierRelease()
    {
        var dir = Directory.CreateTempSubdirectory("daportal-upgrade-").FullName;
        await using var db = await Content.RoundTripTests.ImportedDatabaseAsync(Repository.Root, Path.Combine(dir, "portal.db"));
        await db.Database.ExecuteSqlRawAsync("DROP TABLE ui_strings");

        var created = await ContentSchema.AddMissingTablesAsync(db);

        Assert.Equal(["ui_strings"], created);
        db.UiStrings.Add(new UiStringOverride
        {
            Culture = "pl", Key = Hash(Skip), MsgId = Skip, Forms = "[\"x\"]", SourceText = Skip, State = UiStringStates.Translated, UpdatedBy = "test",
        });
        await db.SaveChangesAsync();
        Assert.Empty(await ContentSchema.AddMissingTablesAsync(db));
        db.UiStrings.Add(new UiStringOverride
        {
            Culture = "pl", Key = Hash(Skip), MsgId = Skip, Forms = "[\"y\"]", SourceText = Skip, State = UiStringStates.Translated, UpdatedBy = "test",
        });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("cy")]
    [InlineData("ar")]
    [InlineData("ur")]
    [InlineData("ro")]
    public async Task ShippedCatalogue_ReadAndWrittenAgain_KeepsItsBytes(string culture)
    {
        var path = Path.Combine(Repository.Root, "translations", culture, "ui.po");

        Assert.Equal(await File.ReadAllTextAsync(path), PoDocument.Load(path).Write());
    }

    private const string Skip = "Skip to main content";

    private static readonly string[] Removed = ["Back", "Menu", "Quick exit"];
}

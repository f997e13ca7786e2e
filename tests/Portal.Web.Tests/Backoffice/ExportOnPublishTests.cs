using Portal.Web.Backoffice;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

/// <summary>A portal that writes its published content back to a folder after each publish.</summary>
public sealed class ExportingPortal : PortalFactory
{
    public ExportingPortal()
        : this(Path.Combine(Path.GetTempPath(), "daportal-tests", "export-" + Guid.NewGuid().ToString("n")))
    {
    }

    private ExportingPortal(string folder)
        : base(new Dictionary<string, string?>
        {
            ["Portal:Backoffice:ExportOnPublish"] = "true",
            ["Portal:Backoffice:ExportDirectory"] = folder,
        })
    {
        ExportFolder = folder;
    }

    public string ExportFolder { get; }
}

public sealed class ExportOnPublishTests(ExportingPortal portal) : IClassFixture<ExportingPortal>
{
    [Fact]
    public async Task Publishing_WritesThePublishedTextToTheContentFolder_WhenSwitchedOn()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var marker = "Exported " + Guid.NewGuid().ToString("N")[..8];
        Assert.False(Directory.Exists(Path.Combine(portal.ExportFolder, "content")));

        await PageEditing.OkAsync(PageEditing.SaveAsync(editor, "privacy", "cy", "Preifatrwydd", "# Preifatrwydd\n\n" + marker + "\n", translationState: "translated"));
        await PageEditing.OkAsync(PageEditing.ActAsync(editor, "privacy", "cy", "submit"));
        await PageEditing.OkAsync(PageEditing.ActAsync(publisher, "privacy", "cy", "approve"));
        await PageEditing.OkAsync(PageEditing.ActAsync(publisher, "privacy", "cy", "publish"));

        var file = Path.Combine(portal.ExportFolder, "translations", "cy", "pages", "privacy.md");
        Assert.True(File.Exists(file), file);
        Assert.Contains(marker, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(portal.ExportFolder, "content", "site.yaml")));
    }
}

public sealed class StringExportOnSaveTests(ExportingPortal portal) : IClassFixture<ExportingPortal>
{
    [Fact]
    public async Task SavingAnInterfaceString_WritesItsUiPoToTheFolder_WhenSwitchedOn()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "ro", StaffRoles.Translator);
        var marker = "Salt la conținut " + Guid.NewGuid().ToString("N")[..6];

        await Localization.UiStringEditing.SavedAsync(translator, "ro", "Skip to main content", marker);

        var po = await File.ReadAllTextAsync(Path.Combine(portal.ExportFolder, "translations", "ro", "ui.po"));
        Assert.Contains($"msgid \"Skip to main content\"\nmsgstr \"{marker}\"\n", po, StringComparison.Ordinal);
    }
}

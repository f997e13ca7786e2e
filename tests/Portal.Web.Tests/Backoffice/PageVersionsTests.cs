using System.Net;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Backoffice;

public sealed class PageVersionsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task EverySaveAddsOneVersion_AndEarlierVersionsNeverChange()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var original = await VersionsAsync(portal, "online-privacy", "en-GB");

        await OkAsync(SaveAsync(editor, "online-privacy", "en-GB", "Online privacy", "First draft.\n"));
        await OkAsync(SaveAsync(editor, "online-privacy", "en-GB", "Online privacy", "Second draft.\n"));

        var versions = await VersionsAsync(portal, "online-privacy", "en-GB");
        Assert.Equal(original.Count + 2, versions.Count);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions.Select(v => v.Number));
        for (var i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i].Body, versions[i].Body);
            Assert.Equal(original[i].Title, versions[i].Title);
            Assert.Equal(original[i].CreatedBy, versions[i].CreatedBy);
        }

        Assert.Equal("First draft.\n", versions[^2].Body);
        Assert.Equal("Second draft.\n", versions[^1].Body);
        Assert.All(versions[^2..], v => Assert.Equal(editor.Id, v.CreatedBy));
        var variant = (await VariantAsync(portal, "online-privacy", "en-GB"))!;
        Assert.Equal(versions[^1].Id, variant.DraftVersionId);
        // The public still sees the imported version.
        Assert.Equal(original[^1].Id, variant.PublishedVersionId);
    }

    [Fact]
    public async Task Rollback_AddsANewDraftEqualToTheOldVersion_AndIsAudited()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var first = (await VersionsAsync(portal, "privacy", "en-GB"))[0];
        await OkAsync(SaveAsync(editor, "privacy", "en-GB", "A changed title", "Replaced everything.\n"));
        var count = (await VersionsAsync(portal, "privacy", "en-GB")).Count;

        var history = $"{EditorPath("privacy", "en-GB")}/history";
        await OkAsync(Staff.PostFormAsync(editor.Client, history, new() { ["version"] = first.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var versions = await VersionsAsync(portal, "privacy", "en-GB");
        Assert.Equal(count + 1, versions.Count);
        var rolledBack = versions[^1];
        Assert.Equal(count + 1, rolledBack.Number);
        Assert.NotEqual(first.Id, rolledBack.Id);
        Assert.Equal(first.Body, rolledBack.Body);
        Assert.Equal(first.Title, rolledBack.Title);
        Assert.Equal(first.Description, rolledBack.Description);
        Assert.Equal(editor.Id, rolledBack.CreatedBy);
        var variant = (await VariantAsync(portal, "privacy", "en-GB"))!;
        Assert.Equal(rolledBack.Id, variant.DraftVersionId);
        Assert.Equal(VariantStates.Draft, variant.State);
        Assert.Contains(await AuditAsync(portal, "privacy"), a => a.Action == "rollback" && a.VersionId == rolledBack.Id && a.Actor == editor.Id && a.Culture == "en-GB" && a.Audience == "standard");

        var missing = await Staff.PostFormAsync(editor.Client, history, new() { ["version"] = "999" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var nonsense = await Staff.PostFormAsync(editor.Client, history, new() { ["version"] = "one" });
        Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
    }

    [Fact]
    public async Task History_ListsVersions_AndTheDiffMarksInsertedAndDeletedLines()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        await OkAsync(SaveAsync(editor, "changing-behaviour", "en-GB", "Diff test", "Line one\nLine two\nLine three\n"));
        await OkAsync(SaveAsync(editor, "changing-behaviour", "en-GB", "Diff test", "Line one\nLine 2\nLine three\nLine four\n"));
        var versions = await VersionsAsync(portal, "changing-behaviour", "en-GB");
        var (a, b) = (versions[^2].Number, versions[^1].Number);
        var history = $"{EditorPath("changing-behaviour", "en-GB")}/history";

        var list = await Staff.DocumentAsync(await editor.Client.GetAsync(history));
        Assert.Equal(versions.Count, list.QuerySelectorAll("tr[data-version]").Length);
        Assert.Contains(editor.Email, list.QuerySelector($"tr[data-version='{b}']")!.TextContent, StringComparison.Ordinal);

        var response = await editor.Client.GetAsync($"{history}?from={a}&to={b}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var diff = (await Staff.DocumentAsync(response)).QuerySelector("[data-diff]")!;
        Assert.Equal(["Line two"], diff.QuerySelectorAll("del").Select(e => e.TextContent));
        Assert.Equal(["Line 2", "Line four"], diff.QuerySelectorAll("ins").Select(e => e.TextContent));
        Assert.Contains("Line one", diff.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await editor.Client.GetAsync($"{history}?from=1&to=9999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await editor.Client.GetAsync($"{history}?from=x&to=1")).StatusCode);
    }

    [Fact]
    public void TheLineDiff_IsALongestCommonSubsequence()
    {
        var diff = LineDiff.Compare("a\nb\nc\nd", "a\nc\nd\ne");
        Assert.Equal(
            [(DiffKind.Same, "a"), (DiffKind.Removed, "b"), (DiffKind.Same, "c"), (DiffKind.Same, "d"), (DiffKind.Added, "e")],
            diff.Select(d => (d.Kind, d.Text)));
        Assert.Empty(LineDiff.Compare("", ""));
        Assert.All(LineDiff.Compare("", "x\ny"), d => Assert.Equal(DiffKind.Added, d.Kind));
    }
}

using System.Net;
using Portal.Web.Backoffice;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Backoffice;

/// <summary>Moves the clock, so it has a portal of its own.</summary>
public sealed class PreviewLinkTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task APreviewLink_ShowsTheDraftAsThePublicWould_NoIndexNoCookie_AndExpires()
    {
        var editor = await Staff.SignedInAsync(_portal, StaffRoles.Editor);
        const string marker = "Draft accessibility wording 9c2e";
        await OkAsync(SaveAsync(editor, "accessibility", "en-GB", "Accessibility draft title", "## Heading\n\n" + marker + "\n"));

        var created = await OkAsync(ActAsync(editor, "accessibility", "en-GB", "preview-link"));
        var href = (await Staff.DocumentAsync(created)).QuerySelector("a[data-preview-link]")!.GetAttribute("href")!;
        var path = new Uri(href).PathAndQuery;
        Assert.StartsWith("/preview/", path, StringComparison.Ordinal);
        var draft = (await VariantAsync(_portal, "accessibility", "en-GB"))!.DraftVersionId;
        Assert.Contains(await AuditAsync(_portal, "accessibility"), a => a.Action == "preview-link" && a.VersionId == draft && a.Actor == editor.Id);

        var anonymous = _portal.CreatePlainClient();
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("noindex", string.Join(",", response.Headers.GetValues("X-Robots-Tag")));
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var page = await Staff.DocumentAsync(response);
        Assert.Equal("noindex", page.QuerySelector("meta[name='robots']")?.GetAttribute("content"));
        Assert.Equal("Accessibility draft title", page.QuerySelector("main h1")?.TextContent.Trim());
        Assert.Contains(marker, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("en-GB", page.DocumentElement.GetAttribute("lang"));
        // The public page still shows the published text.
        Assert.DoesNotContain(marker, await PublicTextAsync(_portal, "/en-GB/accessibility"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path[..^3] + "abc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/preview/not-a-token")).StatusCode);

        _portal.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        _portal.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task ATranslator_CannotCreateAPreviewLink()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        await OkAsync(SaveAsync(translator, "privacy", "pl", "Prywatność", "Tekst.", translationState: "machine-draft"));
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(translator, "privacy", "pl", "preview-link")).StatusCode);
    }
}

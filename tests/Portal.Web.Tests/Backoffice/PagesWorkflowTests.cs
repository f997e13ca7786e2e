using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Backoffice;

public sealed class PagesWorkflowTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task EditSubmitApproveByAnotherPublish_ChangesThePublicPageAtOnce_AndEveryStepIsAudited()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var marker = "Fresh policy wording " + Guid.NewGuid().ToString("N")[..8];
        Assert.DoesNotContain(marker, await PublicTextAsync(portal, "/en-GB/policy"), StringComparison.Ordinal);
        var revisionBefore = portal.Services.GetRequiredService<SiteContent>().Current.Revision;

        await OkAsync(SaveAsync(editor, "policy", "en-GB", "Our domestic abuse policy", "## About this policy\n\n" + marker + "\n"));
        Assert.Equal(VariantStates.Draft, (await VariantAsync(portal, "policy", "en-GB"))!.State);
        // A draft is not public.
        Assert.DoesNotContain(marker, await PublicTextAsync(portal, "/en-GB/policy"), StringComparison.Ordinal);

        await OkAsync(ActAsync(editor, "policy", "en-GB", "submit"));
        Assert.Equal(VariantStates.InReview, (await VariantAsync(portal, "policy", "en-GB"))!.State);

        // An editor cannot approve or publish, whatever the form says.
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(editor, "policy", "en-GB", "approve")).StatusCode);

        await OkAsync(ActAsync(publisher, "policy", "en-GB", "approve"));
        var approved = (await VariantAsync(portal, "policy", "en-GB"))!;
        Assert.Equal(VariantStates.Approved, approved.State);
        Assert.Equal(publisher.Id, approved.ApprovedBy);
        Assert.Equal(editor.Id, approved.LastEditedBy);

        await OkAsync(ActAsync(publisher, "policy", "en-GB", "publish"));

        var published = (await VariantAsync(portal, "policy", "en-GB"))!;
        Assert.Equal(VariantStates.Published, published.State);
        Assert.Equal(approved.DraftVersionId, published.PublishedVersionId);
        Assert.Null(published.DraftVersionId);
        Assert.Contains(marker, await PublicTextAsync(portal, "/en-GB/policy"), StringComparison.Ordinal);
        Assert.True(portal.Services.GetRequiredService<SiteContent>().Current.Revision > revisionBefore);

        var audit = await AuditAsync(portal, "policy");
        var version = published.PublishedVersionId;
        foreach (var (action, actor) in new[] { ("save-draft", editor.Id), ("submit", editor.Id), ("approve", publisher.Id), ("publish", publisher.Id) })
        {
            Assert.Contains(audit, a => a.Action == action && a.Actor == actor && a.Trigger == AuditTriggers.Person
                && a.Culture == "en-GB" && a.Audience == "standard" && a.VersionId == version);
        }
    }

    [Fact]
    public async Task ThePersonWhoLastEditedASafetyCriticalPage_CannotApproveIt()
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        await OkAsync(SaveAsync(publisher, "policy", "en-GB", "Easy read", "Short words.", "easy-read"));
        await OkAsync(ActAsync(publisher, "policy", "en-GB", "submit", "easy-read"));

        var refused = await ActAsync(publisher, "policy", "en-GB", "approve", "easy-read");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("someone other than the person who last edited it", await MessageAsync(refused), StringComparison.Ordinal);
        Assert.Equal(VariantStates.InReview, (await VariantAsync(portal, "policy", "en-GB", "easy-read"))!.State);
        Assert.DoesNotContain(await AuditAsync(portal, "policy"), a => a.Action == "approve" && a.Actor == publisher.Id && a.Audience == "easy-read");

        // Someone else may.
        var other = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        await OkAsync(ActAsync(other, "policy", "en-GB", "approve", "easy-read"));
    }

    [Fact]
    public async Task APageThatIsNotSafetyCritical_MayBeApprovedByItsEditor()
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        await OkAsync(SaveAsync(publisher, "accessibility", "en-GB", "Accessibility", "Self-approved text."));
        await OkAsync(ActAsync(publisher, "accessibility", "en-GB", "submit"));
        await OkAsync(ActAsync(publisher, "accessibility", "en-GB", "approve"));
    }

    [Fact]
    public async Task ATranslatorForPolish_SavesPolish_ButNotTheEnglishSource_AndCannotPublishOrUnpublish()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);

        var polishBefore = (await VersionsAsync(portal, "services", "pl")).Count;
        await OkAsync(SaveAsync(translator, "services", "pl", "Nasze usługi", "Tekst po polsku.", translationState: "translated"));
        var polish = (await VariantAsync(portal, "services", "pl"))!;
        Assert.Equal(VariantStates.Draft, polish.State);
        var versions = await VersionsAsync(portal, "services", "pl");
        Assert.Equal(polishBefore + 1, versions.Count);
        Assert.Equal("Tekst po polsku.", versions[^1].Body);
        Assert.Equal(translator.Id, versions[^1].CreatedBy);
        Assert.Equal(polish.DraftVersionId, versions[^1].Id);

        var english = await SaveAsync(translator, "services", "en-GB", "Our services", "Changed by a translator.");
        Assert.Equal(HttpStatusCode.Forbidden, english.StatusCode);
        Assert.DoesNotContain(await VersionsAsync(portal, "services", "en-GB"), v => v.Body == "Changed by a translator.");

        // Romanian is not theirs: not even readable.
        Assert.Equal(HttpStatusCode.Forbidden, (await translator.Client.GetAsync(EditorPath("services", "ro"))).StatusCode);
        // Even with a valid form token taken from a page they may use.
        var romanian = await Staff.PostFormAsync(translator.Client, EditorPath("services", "ro"),
            Draft("Servicii", "Text.", "translated"), formPage: EditorPath("services", "pl"));
        Assert.Equal(HttpStatusCode.Forbidden, romanian.StatusCode);

        await OkAsync(ActAsync(translator, "services", "pl", "submit"));
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(translator, "services", "pl", "approve")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(translator, "services", "pl", "publish")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(translator, "policy", "en-GB", "unpublish", "easy-read")).StatusCode);
        Assert.NotNull((await VariantAsync(portal, "policy", "en-GB", "easy-read"))!.PublishedVersionId);

        // The English source is readable, without the editing form or workflow buttons.
        var source = await Staff.DocumentAsync(await translator.Client.GetAsync(EditorPath("services", "en-GB")));
        Assert.NotNull(source.QuerySelector("textarea#body[readonly]"));
        Assert.Null(source.QuerySelector("button[value='save']"));
        Assert.Null(source.QuerySelector("button[value='publish']"));

        // The list shows their language and the source only.
        var list = await Staff.DocumentAsync(await translator.Client.GetAsync("/backoffice/pages"));
        var rows = list.QuerySelectorAll("tr[data-variant]").Select(r => r.GetAttribute("data-variant")!).ToList();
        Assert.Contains("services/pl/standard", rows);
        Assert.Contains("services/en-GB/standard", rows);
        Assert.DoesNotContain(rows, r => r.Contains("/ro/", StringComparison.Ordinal) || r.Contains("/ar/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheListShowsEveryPageInEveryLanguageWithItsState()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var list = await Staff.DocumentAsync(await editor.Client.GetAsync("/backoffice/pages"));
        var rows = list.QuerySelectorAll("tr[data-variant]").ToList();
        foreach (var language in Site.Languages)
        {
            Assert.Contains(rows, r => r.GetAttribute("data-variant") == $"home/{language}/standard");
        }

        Assert.Contains(rows, r => r.GetAttribute("data-variant") == "policy/en-GB/easy-read");
        var home = rows.Single(r => r.GetAttribute("data-variant") == "privacy/en-GB/standard");
        Assert.NotNull(home.QuerySelector(".app-bo-tag--published"));
        Assert.NotNull(home.QuerySelector("a[href='/backoffice/pages/privacy/en-GB/standard']"));
    }

    [Fact]
    public async Task TheEnglishStandardPage_CannotBeUnpublished_ButATranslationCan()
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var refused = await ActAsync(publisher, "worried-about-someone", "en-GB", "unpublish");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("cannot be unpublished", await MessageAsync(refused), StringComparison.Ordinal);
        Assert.NotNull((await VariantAsync(portal, "worried-about-someone", "en-GB"))!.PublishedVersionId);

        // A Welsh translation, published then taken down: the page falls back to English again.
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        await OkAsync(SaveAsync(editor, "worried-about-someone", "cy", "Poeni am rywun", "Testun Cymraeg unigryw.", translationState: "translated"));
        await OkAsync(ActAsync(editor, "worried-about-someone", "cy", "submit"));
        await OkAsync(ActAsync(publisher, "worried-about-someone", "cy", "approve"));
        await OkAsync(ActAsync(publisher, "worried-about-someone", "cy", "publish"));
        Assert.Contains("Testun Cymraeg unigryw.", await PublicTextAsync(portal, "/cy/worried-about-someone"), StringComparison.Ordinal);

        await OkAsync(ActAsync(publisher, "worried-about-someone", "cy", "unpublish"));

        Assert.DoesNotContain("Testun Cymraeg unigryw.", await PublicTextAsync(portal, "/cy/worried-about-someone"), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(portal, "worried-about-someone"), a => a.Action == "unpublish" && a.Culture == "cy" && a.Actor == publisher.Id);
    }

    [Fact]
    public async Task PreviewRendersWithoutSaving_AndTheEditorIsRightToLeftForUrdu()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var before = (await VersionsAsync(portal, "home", "ur")).Count;

        var response = await OkAsync(Staff.PostFormAsync(editor.Client, EditorPath("home", "ur"),
            new() { ["action"] = "preview", ["title"] = "سرخی", ["body"] = "## عنوان\n\nیہ **متن** ہے۔", ["translation_state"] = "translated" }));

        var document = await Staff.DocumentAsync(response);
        var textarea = document.QuerySelector("textarea#body")!;
        Assert.Equal("rtl", textarea.GetAttribute("dir"));
        Assert.Equal("ur", textarea.GetAttribute("lang"));
        var preview = document.QuerySelector("[data-preview]")!;
        Assert.Equal("rtl", preview.GetAttribute("dir"));
        Assert.Equal("متن", preview.QuerySelector("strong")?.TextContent);
        Assert.NotNull(preview.QuerySelector("h2"));
        Assert.Equal(before, (await VersionsAsync(portal, "home", "ur")).Count);

        var english = await Staff.DocumentAsync(await editor.Client.GetAsync(EditorPath("home", "en-GB")));
        Assert.Equal("ltr", english.QuerySelector("textarea#body")!.GetAttribute("dir"));
        // The English source has no translation state.
        Assert.Null(english.QuerySelector("select#translation_state"));
    }

    [Theory]
    [InlineData("save", "", "Some text.", "translated")]
    [InlineData("save", "A title", "", "translated")]
    [InlineData("save", "A title", "Some text.", "finished")]
    [InlineData("save", "A title", "Some text.", "")]
    [InlineData("dance", "A title", "Some text.", "translated")]
    [InlineData("submit", "A title", "Some text.", "translated")]
    [InlineData("schedule", "A title", "Some text.", "translated")]
    public async Task BadInput_IsRefusedWith400AndAMessage(string action, string title, string body, string state)
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var before = await VersionsAsync(portal, "changing-behaviour", "ro");
        var fields = new Dictionary<string, string>
        {
            ["action"] = action,
            ["title"] = title,
            ["body"] = body,
            ["translation_state"] = state,
            ["publish_at"] = "next tuesday",
        };

        var response = await Staff.PostFormAsync(publisher.Client, EditorPath("changing-behaviour", "ro"), fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await MessageAsync(response));
        Assert.Equal(before.Count, (await VersionsAsync(portal, "changing-behaviour", "ro")).Count);
        Assert.Equal(VariantStates.Published, (await VariantAsync(portal, "changing-behaviour", "ro"))!.State);
    }

    [Theory]
    [InlineData("/backoffice/pages/no-such-page/en-GB/standard")]
    [InlineData("/backoffice/pages/policy/de/standard")]
    [InlineData("/backoffice/pages/policy/en-GB/large-print")]
    public async Task AnUnknownPageLanguageOrAudience_IsNotFound(string path)
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.Client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task TheEditorOffersOnlyTheButtonsTheRoleAllows()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);

        var asEditor = await Staff.DocumentAsync(await editor.Client.GetAsync(EditorPath("home", "ar")));
        Assert.NotNull(asEditor.QuerySelector("button[value='save']"));
        Assert.NotNull(asEditor.QuerySelector("button[value='preview']"));
        Assert.Null(asEditor.QuerySelector("button[value='unpublish']"));
        Assert.Null(asEditor.QuerySelector("button[value='schedule']"));
        Assert.Equal("published", asEditor.QuerySelector("[data-state]")?.GetAttribute("data-state"));

        var asPublisher = await Staff.DocumentAsync(await publisher.Client.GetAsync(EditorPath("home", "ar")));
        Assert.NotNull(asPublisher.QuerySelector("button[value='unpublish']"));
        Assert.NotNull(asPublisher.QuerySelector("button[value='schedule']"));
        Assert.NotNull(asPublisher.QuerySelector("input#unpublish_at"));
        var source = await Staff.DocumentAsync(await publisher.Client.GetAsync(EditorPath("home", "en-GB")));
        Assert.Null(source.QuerySelector("button[value='unpublish']"));
        Assert.Null(source.QuerySelector("input#unpublish_at"));
        Assert.NotNull(source.QuerySelector("input#publish_at"));
    }

    [Fact]
    public async Task WithoutSigningIn_TheEditorIsNotReachable()
    {
        var client = Staff.NewClient(portal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/backoffice/pages")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(EditorPath("policy", "en-GB"))).StatusCode);
    }
}

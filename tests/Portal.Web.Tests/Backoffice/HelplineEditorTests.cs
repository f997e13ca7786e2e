using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

public sealed class HelplineEditorTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static string Form(string id) => $"form[action='/backoffice/helplines/{id}']";

    private static string TextForm(string id, string culture) => $"form[action='/backoffice/helplines/{id}/text/{culture}']";

    [Fact]
    public async Task APublisherChangesANumber_ThePublicPageShowsItAtOnce_AndItIsAudited()
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var (_, before) = await portal.GetPageAsync("/en-GB/services");
        Assert.Equal("0808 2000 247", before.QuerySelector("#helpline-national-domestic-abuse-helpline [itemprop='telephone']")!.TextContent);
        var revision = await BackofficeForms.WithDbAsync(portal, db => db.Revisions.Select(r => r.Revision).SingleAsync());

        var response = await BackofficeForms.SubmitAsync(publisher.Client, "/backoffice/helplines/national-domestic-abuse-helpline",
            Form("national-domestic-abuse-helpline"), f => f.With("phone", "0808 2000 999"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, after) = await portal.GetPageAsync("/en-GB/services");
        var phone = after.QuerySelector("#helpline-national-domestic-abuse-helpline [itemprop='telephone']")!;
        Assert.Equal("0808 2000 999", phone.TextContent);
        Assert.Equal("tel:08082000999", phone.GetAttribute("href"));
        var (_, polish) = await portal.GetPageAsync("/pl/services");
        Assert.Equal("0808 2000 999", polish.QuerySelector("#helpline-national-domestic-abuse-helpline [itemprop='telephone']")!.TextContent);

        var entry = Assert.Single(await BackofficeForms.AuditAsync(portal, "helpline:national-domestic-abuse-helpline"));
        Assert.Equal("edit-helpline", entry.Action);
        Assert.Equal(publisher.Id, entry.Actor);
        Assert.Equal(publisher.Email, entry.ActorName);
        Assert.Contains("phone: 0808 2000 247 → 0808 2000 999", entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("hours", entry.Detail, StringComparison.Ordinal);
        Assert.Equal(revision + 1, await BackofficeForms.WithDbAsync(portal, db => db.Revisions.Select(r => r.Revision).SingleAsync()));
    }

    [Theory]
    [InlineData("phone", "0800 CALL NOW")]
    [InlineData("phone", "0800-123-456")]
    [InlineData("email", "not an address")]
    [InlineData("web", "http://www.samaritans.org")]
    [InlineData("web", "javascript:alert(1)")]
    [InlineData("chat", "www.example.org/chat")]
    [InlineData("hours", "monday 9am-5pm")]
    [InlineData("hours", "mon 09:00")]
    [InlineData("hours", "mon,tue 25:00-17:00")]
    [InlineData("bankHolidays", "sometimes")]
    [InlineData("audiences", "aliens")]
    public async Task BadSharedData_IsRefusedWith400_KeepingTheValues_AndChangesNothing(string field, string value)
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var count = (await BackofficeForms.AuditAsync(portal, "helpline:samaritans")).Count;

        var response = await BackofficeForms.SubmitAsync(publisher.Client, "/backoffice/helplines/samaritans", Form("samaritans"), f => f.With(field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var document = await Staff.DocumentAsync(response);
        Assert.NotEmpty(BackofficeForms.ErrorMessages(document));
        var kept = BackofficeForms.Values(document, Form("samaritans"));
        if (field is not ("bankHolidays" or "audiences"))
        {
            Assert.Contains(kept, k => k.Key == field && k.Value.Trim() == value);
        }

        Assert.Equal(count, (await BackofficeForms.AuditAsync(portal, "helpline:samaritans")).Count);
        var (_, page) = await portal.GetPageAsync("/en-GB/services");
        Assert.Equal("116 123", page.QuerySelector("#helpline-samaritans [itemprop='telephone']")!.TextContent);
    }

    [Fact]
    public async Task HoursAreCheckedByTheWeeklyHoursParser_AndStoredCompactly()
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Administrator);

        var response = await BackofficeForms.SubmitAsync(publisher.Client, "/backoffice/helplines/childline", Form("childline"), f => f
            .With("alwaysOpen")
            .With("hours", "mon,tue,wed,thu,fri 09:00-17:00\r\nsat   10:00-12:00"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var hours = await BackofficeForms.WithDbAsync(portal, db => db.Helplines.Where(h => h.Id == "childline").Select(h => h.Hours).SingleAsync());
        Assert.Equal("mon,tue,wed,thu,fri 09:00-17:00;sat 10:00-12:00", hours);
        var entry = Assert.Single(await BackofficeForms.AuditAsync(portal, "helpline:childline"));
        Assert.Contains("hours", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("always-open", entry.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StaffRoles.Editor)]
    [InlineData(StaffRoles.Translator)]
    public async Task EditorsAndTranslators_CannotChangeNumbersOrHours(string role)
    {
        var member = await Staff.SignedInWithLanguagesAsync(portal, role == StaffRoles.Translator ? "pl" : "", role);

        var page = await member.Client.GetAsync("/backoffice/helplines/victim-support");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null((await Staff.DocumentAsync(page)).QuerySelector(Form("victim-support")));

        var response = await BackofficeForms.PostAsync(member.Client, "/backoffice/helplines/victim-support",
            [new("phone", "0900 666 666"), new("bankHolidays", "open"), new("audiences", "everyone"), new("alwaysOpen", "true")]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var phone = await BackofficeForms.WithDbAsync(portal, db => db.Helplines.Where(h => h.Id == "victim-support").Select(h => h.Phone).SingleAsync());
        Assert.NotEqual("0900 666 666", phone);
        Assert.Empty(await BackofficeForms.AuditAsync(portal, "helpline:victim-support"));
    }

    [Fact]
    public async Task APolishTranslator_ChangesThePolishDescription_ButNotTheEnglishOne()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);
        const string description = "Bezpłatna, poufna pomoc dla osób doświadczających przemocy domowej – test tłumacza.";

        var response = await BackofficeForms.SubmitAsync(translator.Client, "/backoffice/helplines/mens-advice-line/text/pl",
            TextForm("mens-advice-line", "pl"), f => f.With("name", "Men's Advice Line (PL)").With("description", description).With("translationState", "translated"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, polish) = await portal.GetPageAsync("/pl/services");
        Assert.Equal(description, polish.QuerySelector("#helpline-mens-advice-line .app-helpline__description")!.TextContent.Trim());
        var (_, english) = await portal.GetPageAsync("/en-GB/services");
        Assert.NotEqual(description, english.QuerySelector("#helpline-mens-advice-line .app-helpline__description")!.TextContent.Trim());
        var entry = Assert.Single(await BackofficeForms.AuditAsync(portal, "helpline:mens-advice-line"));
        Assert.Equal("edit-helpline-text", entry.Action);
        Assert.Equal("pl", entry.Culture);
        Assert.Contains("description", entry.Detail, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await translator.Client.GetAsync("/backoffice/helplines/mens-advice-line/text/en-GB")).StatusCode);
        var refused = await BackofficeForms.PostAsync(translator.Client, "/backoffice/helplines/mens-advice-line/text/en-GB",
            [new("name", "Changed"), new("description", "Changed by a translator")], "/backoffice/helplines/mens-advice-line/text/pl");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var (_, still) = await portal.GetPageAsync("/en-GB/services");
        Assert.NotEqual("Changed by a translator", still.QuerySelector("#helpline-mens-advice-line .app-helpline__description")!.TextContent.Trim());
        Assert.Single(await BackofficeForms.AuditAsync(portal, "helpline:mens-advice-line"));
    }

    [Fact]
    public async Task TextInputsCarryTheLanguageAndDirection()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);

        var urdu = await Staff.DocumentAsync(await editor.Client.GetAsync("/backoffice/helplines/the-mix/text/ur"));
        var english = await Staff.DocumentAsync(await editor.Client.GetAsync("/backoffice/helplines/the-mix/text/en-GB"));

        Assert.Equal("rtl", urdu.QuerySelector("textarea#description")!.GetAttribute("dir"));
        Assert.Equal("ur", urdu.QuerySelector("textarea#description")!.GetAttribute("lang"));
        Assert.Equal("rtl", urdu.QuerySelector("input#name")!.GetAttribute("dir"));
        Assert.Equal("ltr", english.QuerySelector("textarea#description")!.GetAttribute("dir"));
    }

    [Fact]
    public async Task AnEmptyName_IsRefusedWith400()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);

        var response = await BackofficeForms.SubmitAsync(editor.Client, "/backoffice/helplines/bright-sky/text/en-GB",
            TextForm("bright-sky", "en-GB"), f => f.With("name", " "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await BackofficeForms.AuditAsync(portal, "helpline:bright-sky"));
    }

    [Fact]
    public async Task AnUnknownHelplineOrLanguage_IsNotFound()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Publisher);

        Assert.Equal(HttpStatusCode.NotFound, (await editor.Client.GetAsync("/backoffice/helplines/no-such-line")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.Client.GetAsync("/backoffice/helplines/samaritans/text/xx")).StatusCode);
    }
}

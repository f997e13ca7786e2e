using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

public sealed class AdminTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string SettingsForm = "form[action='/backoffice/settings']";
    private const string NewUserForm = "form[action='/backoffice/users/new']";

    public static TheoryData<string> AllRoutes => new()
    {
        "/backoffice/helplines", "/backoffice/helplines/samaritans", "/backoffice/helplines/samaritans/text/pl",
        "/backoffice/settings", "/backoffice/users", "/backoffice/users/new", "/backoffice/audit",
    };

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task Anonymous_IsSentToSignIn(string path)
    {
        var client = Staff.NewClient(portal);

        var get = await client.GetAsync(path);
        var post = await client.PostAsync(path, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.StartsWith("/backoffice/sign-in", get.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
    }

    [Theory]
    [InlineData(StaffRoles.Editor, "/backoffice/settings", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Editor, "/backoffice/users", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Editor, "/backoffice/users/new", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Editor, "/backoffice/audit", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Editor, "/backoffice/helplines", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Translator, "/backoffice/settings", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Translator, "/backoffice/users", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Translator, "/backoffice/audit", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Translator, "/backoffice/helplines/samaritans", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Translator, "/backoffice/helplines/samaritans/text/pl", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Translator, "/backoffice/helplines/samaritans/text/ar", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Publisher, "/backoffice/settings", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Publisher, "/backoffice/users", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Publisher, "/backoffice/audit", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Administrator, "/backoffice/settings", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Administrator, "/backoffice/users", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Administrator, "/backoffice/users/new", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Administrator, "/backoffice/audit", HttpStatusCode.OK)]
    public async Task EachRole_ReachesOnlyItsRoutes(string role, string path, HttpStatusCode expected)
    {
        var member = await Staff.SignedInWithLanguagesAsync(portal, role == StaffRoles.Translator ? "pl" : "", role);

        Assert.Equal(expected, (await member.Client.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData(StaffRoles.Editor)]
    [InlineData(StaffRoles.Translator)]
    [InlineData(StaffRoles.Publisher)]
    public async Task OnlyAdministrators_CanSaveSettingsOrAddUsers(string role)
    {
        var member = await Staff.SignedInWithLanguagesAsync(portal, role == StaffRoles.Translator ? "pl" : "", role);

        var settings = await BackofficeForms.PostAsync(member.Client, "/backoffice/settings",
            [new("organisationName", "Taken over"), new("quickExitUrl", "https://evil.example"), new("discreetName", "x"), new("responseWorkingDays", "2")], "/backoffice");
        var user = await BackofficeForms.PostAsync(member.Client, "/backoffice/users/new",
            [new("email", "sneaky@larchwood.example"), new("displayName", "Sneaky"), new("roles", StaffRoles.Administrator)], "/backoffice");

        Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        var (_, page) = await portal.GetPageAsync("/en-GB/");
        Assert.NotEqual("https://evil.example", page.QuerySelector("a.app-exit__button")!.GetAttribute("href"));
        Assert.Null(await BackofficeForms.WithDbAsync(portal, db => db.Users.SingleOrDefaultAsync(u => u.Email == "sneaky@larchwood.example")));
    }

    [Theory]
    [InlineData("http://www.bbc.co.uk/weather")]
    [InlineData("https://localhost/en-GB/")]
    [InlineData("https://www.localhost/")]
    [InlineData("/en-GB/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task AQuickExitThatIsNotHttpsOrStaysOnThisSite_IsRefused(string url)
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var (_, before) = await portal.GetPageAsync("/en-GB/");
        var exit = before.QuerySelector("a.app-exit__button")!.GetAttribute("href");

        var response = await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/settings", SettingsForm, f => f.With("quickExitUrl", url));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var document = await Staff.DocumentAsync(response);
        Assert.Contains(BackofficeForms.ErrorMessages(document), m => m.Contains("quick exit", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(BackofficeForms.Values(document, SettingsForm), f => f.Key == "quickExitUrl" && f.Value == url);
        var (_, after) = await portal.GetPageAsync("/en-GB/");
        Assert.Equal(exit, after.QuerySelector("a.app-exit__button")!.GetAttribute("href"));
    }

    [Fact]
    public async Task AnHttpsQuickExit_IsSaved_ShowsInThePublicExitLink_AndIsAudited()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        const string url = "https://www.metoffice.gov.uk/weather/forecast/uk";

        var response = await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/settings", SettingsForm, f => f.With("quickExitUrl", url));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await portal.GetPageAsync("/en-GB/");
        Assert.Equal(url, page.QuerySelector("a.app-exit__button")!.GetAttribute("href"));
        var (_, urdu) = await portal.GetPageAsync("/ur/");
        Assert.Equal(url, urdu.QuerySelector("a.app-exit__button")!.GetAttribute("href"));
        var entry = (await BackofficeForms.AuditAsync(portal, "settings")).Last();
        Assert.Equal("edit-settings", entry.Action);
        Assert.Equal(admin.Id, entry.Actor);
        Assert.Equal("Changed quick exit address", entry.Detail);
    }

    [Theory]
    [InlineData("responseWorkingDays", "0")]
    [InlineData("responseWorkingDays", "11")]
    [InlineData("responseWorkingDays", "two")]
    [InlineData("organisationName", "")]
    [InlineData("phone", "call us")]
    [InlineData("email", "nobody")]
    public async Task BadSettings_AreRefusedWith400(string field, string value)
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var count = (await BackofficeForms.AuditAsync(portal, "settings")).Count;

        var response = await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/settings", SettingsForm, f => f.With(field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(BackofficeForms.ErrorMessages(await Staff.DocumentAsync(response)));
        Assert.Equal(count, (await BackofficeForms.AuditAsync(portal, "settings")).Count);
    }

    [Fact]
    public async Task TheSettingsPage_ShowsDeliveryCountsOnly()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);

        var document = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/settings"));

        var values = document.QuerySelectorAll("#delivery-status dd").Select(d => d.TextContent.Trim()).ToList();
        Assert.Equal(5, values.Count);
        Assert.All(values, v => Assert.True(long.TryParse(v, out _), v));
    }

    [Fact]
    public async Task ANewUser_GetsAOneTimePasswordThatSignsIn_AndMustThenEnrol()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var email = $"new-{Guid.NewGuid():N}"[..12] + "@larchwood.example";

        var response = await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/users/new", NewUserForm, f => f
            .With("email", email).With("displayName", "New Translator").With("roles", StaffRoles.Translator).With("languages", "pl", "ro"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var password = (await Staff.DocumentAsync(response)).QuerySelector("#one-time-password")!.TextContent.Trim();
        Assert.Equal(24, password.Length);

        var client = Staff.NewClient(portal);
        var signIn = await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/backoffice/account/authenticator", signIn.Headers.Location!.OriginalString);
        // A password alone opens nothing but enrolment.
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/backoffice/helplines")).StatusCode);

        var user = await BackofficeForms.WithDbAsync(portal, db => db.Users.SingleAsync(u => u.Email == email));
        Assert.Equal("pl,ro", user.Languages);
        Assert.False(user.TwoFactorEnabled);
        var entry = Assert.Single(await BackofficeForms.AuditAsync(portal, "user:" + user.Id), e => e.Action == "create-user");
        Assert.Equal(admin.Id, entry.Actor);
        Assert.Contains(StaffRoles.Translator, entry.Detail, StringComparison.Ordinal);
        var all = await BackofficeForms.WithDbAsync(portal, db => db.Audit.AsNoTracking().ToListAsync());
        Assert.DoesNotContain(all, e => (e.Detail ?? "").Contains(password, StringComparison.Ordinal));

        var list = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/users"));
        var row = list.QuerySelector($"tr[data-user='{user.Id}']")!;
        Assert.Contains(email, row.TextContent, StringComparison.Ordinal);
        Assert.Equal("No", row.QuerySelectorAll("td")[4].TextContent.Trim());
    }

    [Fact]
    public async Task ADuplicateOrBadNewUser_IsRefused()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);

        var duplicate = await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/users/new", NewUserForm, f => f
            .With("email", admin.Email).With("displayName", "Twin").With("roles", StaffRoles.Editor));
        var noRoles = await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/users/new", NewUserForm, f => f
            .With("email", "noroles@larchwood.example").With("displayName", "No roles"));
        var translatorWithoutLanguages = await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/users/new", NewUserForm, f => f
            .With("email", "nolang@larchwood.example").With("displayName", "No languages").With("roles", StaffRoles.Translator));

        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noRoles.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, translatorWithoutLanguages.StatusCode);
        Assert.Null((await Staff.DocumentAsync(noRoles)).QuerySelector("#one-time-password"));
    }

    [Fact]
    public async Task AnAdministrator_CannotDisableThemselves_OrDropTheirOwnAdministratorRole()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var path = "/backoffice/users/" + admin.Id;

        var disable = await BackofficeForms.PostAsync(admin.Client, path + "/disable", [], path);
        var demote = await BackofficeForms.SubmitAsync(admin.Client, path, $"form[action='{path}']", f => f.With("roles", StaffRoles.Editor));

        Assert.Equal(HttpStatusCode.BadRequest, disable.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, demote.StatusCode);
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var me = (await users.FindByIdAsync(admin.Id))!;
        Assert.Null(me.LockoutEnd);
        Assert.True(await users.IsInRoleAsync(me, StaffRoles.Administrator));
        Assert.Empty(await BackofficeForms.AuditAsync(portal, "user:" + admin.Id));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/backoffice/users")).StatusCode);
    }

    [Fact]
    public async Task DisablingEndsSignIn_EnablingRestoresIt_AndBothAreAudited()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var path = "/backoffice/users/" + editor.Id;

        Assert.Equal(HttpStatusCode.Redirect, (await BackofficeForms.PostAsync(admin.Client, path + "/disable", [], path)).StatusCode);

        var refused = await Staff.PostFormAsync(Staff.NewClient(portal), "/backoffice/sign-in", new() { ["email"] = editor.Email, ["password"] = editor.Password });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var list = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/users"));
        Assert.Equal("Disabled", list.QuerySelector($"tr[data-user='{editor.Id}']")!.QuerySelectorAll("td")[5].TextContent.Trim());

        Assert.Equal(HttpStatusCode.Redirect, (await BackofficeForms.PostAsync(admin.Client, path + "/enable", [], path)).StatusCode);
        var allowed = await Staff.PostFormAsync(Staff.NewClient(portal), "/backoffice/sign-in", new() { ["email"] = editor.Email, ["password"] = editor.Password });
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);

        var actions = (await BackofficeForms.AuditAsync(portal, "user:" + editor.Id)).Select(e => e.Action).ToList();
        Assert.Equal(["disable-user", "enable-user"], actions);
    }

    [Fact]
    public async Task ResettingTheSecondFactor_MakesThemEnrolAgain()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var path = "/backoffice/users/" + editor.Id;

        Assert.Equal(HttpStatusCode.Redirect, (await BackofficeForms.PostAsync(admin.Client, path + "/resetfactor", [], path)).StatusCode);

        var signIn = await Staff.PostFormAsync(Staff.NewClient(portal), "/backoffice/sign-in", new() { ["email"] = editor.Email, ["password"] = editor.Password });
        Assert.Equal("/backoffice/account/authenticator", signIn.Headers.Location!.OriginalString);
        Assert.Equal("reset-authenticator", Assert.Single(await BackofficeForms.AuditAsync(portal, "user:" + editor.Id)).Action);
    }

    [Fact]
    public async Task UnlockingALockedAccount_LetsThemSignInAgain()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var (id, email, _) = await Staff.CreateAsync(portal, [StaffRoles.Editor]);
        var client = Staff.NewClient(portal);
        for (var i = 0; i < 5; i++)
        {
            await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = "wrong wrong wrong" });
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Staff.Password })).StatusCode);
        var path = "/backoffice/users/" + id;
        Assert.Equal(HttpStatusCode.Redirect, (await BackofficeForms.PostAsync(admin.Client, path + "/unlock", [], path)).StatusCode);

        var signIn = await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Staff.Password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(await BackofficeForms.AuditAsync(portal, "user:" + id), e => e.Action == "unlock-user" && e.Actor == admin.Id);
    }

    [Fact]
    public async Task ChangingRolesAndLanguages_IsSavedAndAudited()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var (id, _, _) = await Staff.CreateAsync(portal, [StaffRoles.Translator], "pl");
        var path = "/backoffice/users/" + id;

        var response = await BackofficeForms.SubmitAsync(admin.Client, path, $"form[action='{path}']", f => f
            .With("roles", StaffRoles.Translator, StaffRoles.Editor).With("languages", "pl", "ar"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByIdAsync(id))!;
        Assert.Equal("pl,ar", user.Languages);
        Assert.Equal([StaffRoles.Editor, StaffRoles.Translator], (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal));
        var entry = Assert.Single(await BackofficeForms.AuditAsync(portal, "user:" + id));
        Assert.Equal("edit-user", entry.Action);
        Assert.Contains("added roles Editor", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("languages pl → pl,ar", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownHandlersAndIds_AreNotFound_NeverAServerError()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var path = "/backoffice/users/" + admin.Id;

        Assert.Equal(HttpStatusCode.NotFound, (await BackofficeForms.PostAsync(admin.Client, path + "/bogus", [new("roles", StaffRoles.Editor)], path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(path + "/unlock")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/backoffice/users/no-such-user")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await BackofficeForms.PostAsync(admin.Client, "/backoffice/users/no-such-user/disable", [], path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await BackofficeForms.PostAsync(admin.Client, "/backoffice/helplines/samaritans/text/pl?handler=x", [], "/backoffice")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/backoffice/settings?handler=x")).StatusCode);
        Assert.Empty(await BackofficeForms.AuditAsync(portal, "user:" + admin.Id));
    }
}

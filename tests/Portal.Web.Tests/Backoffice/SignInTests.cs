using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

public sealed class SignInTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task PasswordThenCode_SignsIn_AndTheSessionCookieIsHostPrefixedSecureHttpOnlyStrict()
    {
        var (_, email, key) = await Staff.CreateAsync(portal, [StaffRoles.Editor]);
        var client = Staff.NewClient(portal);

        var password = await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Staff.Password });
        Assert.Equal("/backoffice/sign-in/code", password.Headers.Location!.OriginalString);
        // Only the short-lived second-step cookie so far: no session.
        Assert.DoesNotContain(password.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-staff=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/backoffice")).StatusCode);

        var code = await Staff.PostFormAsync(client, "/backoffice/sign-in/code", new() { ["code"] = Totp.Code(key) });
        var session = Assert.Single(code.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-staff=", StringComparison.Ordinal));
        Assert.Contains("path=/", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", session, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/backoffice")).StatusCode);
        Assert.Contains(await AuditActionsAsync(email), a => a == "sign-in");
    }

    [Fact]
    public async Task AWrongCode_DoesNotSignIn()
    {
        var (_, email, key) = await Staff.CreateAsync(portal, [StaffRoles.Editor]);
        var client = Staff.NewClient(portal);
        await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Staff.Password });
        var wrong = Totp.Code(key) == "000000" ? "111111" : "000000";

        var response = await Staff.PostFormAsync(client, "/backoffice/sign-in/code", new() { ["code"] = wrong });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/backoffice")).StatusCode);
        Assert.Contains(await AuditActionsAsync(email), a => a == "sign-in-code-failed");
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenAgainstTheRightOne()
    {
        var (_, email, _) = await Staff.CreateAsync(portal, [StaffRoles.Editor]);
        var client = Staff.NewClient(portal);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = "not the password at all" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var right = await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Staff.Password });

        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var actions = await AuditActionsAsync(email);
        Assert.Equal(4, actions.Count(a => a == "sign-in-failed"));
        Assert.Contains("sign-in-locked-out", actions);
    }

    [Fact]
    public async Task WithoutAnAuthenticator_APasswordOnlyGetsAsFarAsEnrolling()
    {
        var (_, email, _) = await Staff.CreateAsync(portal, [StaffRoles.Administrator], enrolled: false);
        var client = Staff.NewClient(portal);

        var password = await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Staff.Password });
        Assert.Equal("/backoffice/account/authenticator", password.Headers.Location!.OriginalString);

        // Nothing else is reachable yet.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/backoffice")).StatusCode);
        var enrol = await client.GetAsync("/backoffice/account/authenticator");
        Assert.Equal(HttpStatusCode.OK, enrol.StatusCode);
        var qr = await client.GetAsync("/backoffice/account/authenticator/qr");
        Assert.Equal("image/png", qr.Content.Headers.ContentType!.MediaType);

        var key = (await Staff.DocumentAsync(enrol)).QuerySelector("#manual-key")!.TextContent;
        var done = await Staff.PostFormAsync(client, "/backoffice/account/authenticator", new() { ["code"] = Totp.Code(key) });

        Assert.Equal("/backoffice", done.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/backoffice")).StatusCode);
        Assert.Contains("enrol-authenticator", await AuditActionsAsync(email));
    }

    [Fact]
    public async Task ChangingTheAuthenticator_NeedsThePasswordAndACurrentCodeAgain()
    {
        var staff = await Staff.SignedInAsync(portal, StaffRoles.Editor);

        var refused = await Staff.PostFormAsync(staff.Client, "/backoffice/account", new() { ["password"] = staff.Password, ["code"] = "12345" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var accepted = await Staff.PostFormAsync(staff.Client, "/backoffice/account", new() { ["password"] = staff.Password, ["code"] = Totp.Code(staff.AuthenticatorKey) });
        Assert.Equal("/backoffice/account/authenticator", accepted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync("/backoffice")).StatusCode);
        Assert.Contains("reset-authenticator", await AuditActionsAsync(staff.Email));
    }

    [Fact]
    public async Task ASession_EndsAfterThirtyIdleMinutes()
    {
        await using var own = new PortalFactory();
        var staff = await Staff.SignedInAsync(own, StaffRoles.Editor);

        own.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync("/backoffice")).StatusCode);
        own.Clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(HttpStatusCode.Redirect, (await staff.Client.GetAsync("/backoffice")).StatusCode);
    }

    [Fact]
    public async Task ASession_EndsTwelveHoursAfterSignIn_HoweverActive()
    {
        await using var own = new PortalFactory();
        var staff = await Staff.SignedInAsync(own, StaffRoles.Editor);

        for (var i = 0; i < 25; i++)
        {
            own.Clock.Advance(TimeSpan.FromMinutes(28));
            Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync("/backoffice")).StatusCode);
        }

        own.Clock.Advance(TimeSpan.FromMinutes(28));
        Assert.Equal(HttpStatusCode.Redirect, (await staff.Client.GetAsync("/backoffice")).StatusCode);
    }

    [Fact]
    public async Task CommonPasswords_AndShortOnes_AreRefused()
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();

        foreach (var password in new[] { "Password1234", "qwertyuiop123", "short pass", "123456789012" })
        {
            var user = new StaffUser { UserName = Guid.NewGuid() + "@larchwood.example", Email = Guid.NewGuid() + "@larchwood.example" };
            Assert.False((await users.CreateAsync(user, password)).Succeeded, password);
        }

        Assert.True(CommonPasswordValidator.Count > 1000);
    }

    [Fact]
    public async Task SigningInAsStaff_NeverBringsACookieToThePublicSite()
    {
        var staff = await Staff.SignedInAsync(portal, StaffRoles.Administrator);

        foreach (var path in new[] { "/en-GB", "/en-GB/policy", "/ur/services", "/en-GB/contact", "/css/app.css", "/en-GB/missing" })
        {
            var response = await staff.Client.GetAsync(path);
            Assert.False(response.Headers.Contains("Set-Cookie"), path);
        }

        // And the session still works in the back office.
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync("/backoffice")).StatusCode);
    }

    [Fact]
    public async Task CreateAdminCommand_MakesAnAdministrator_WhoMustEnrolAtFirstSignIn()
    {
        var data = Path.Combine(Path.GetTempPath(), "daportal-tests", Guid.NewGuid().ToString("n"));
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = await PortalCommands.RunAsync(["create-admin", "--email", "first@larchwood.example", "--Portal:DataDirectory=" + data]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(0, code);
        var password = output.ToString().Split('\n').Single(l => l.StartsWith("One-time password: ", StringComparison.Ordinal))["One-time password: ".Length..].Trim();
        await using var own = new DataDirectoryPortal(data);
        var client = Staff.NewClient(own);
        var signIn = await Staff.PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = "first@larchwood.example", ["password"] = password });
        Assert.Equal("/backoffice/account/authenticator", signIn.Headers.Location!.OriginalString);
    }

    private async Task<List<string>> AuditActionsAsync(string email)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return await db.Audit.Where(a => a.ActorName == email).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }
}

/// <summary>A portal on a data directory made beforehand (by a command).</summary>
public sealed class DataDirectoryPortal(string dataDirectory) : PortalFactory(new Dictionary<string, string?> { ["Portal:DataDirectory"] = dataDirectory });

using System.Net;
using Portal.Web.Backoffice;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

/// <summary>The back-office menu offers a page only to those the page itself lets in.</summary>
public sealed class NavigationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    public static TheoryData<string, string[], bool> StringsAccess() => new()
    {
        // Editors write pages in every language but not interface strings.
        { "", [StaffRoles.Editor], false },
        // Translators and reviewers only in the site's languages other than English; English is the publishers'.
        { "en-GB", [StaffRoles.Translator], false },
        { "xx", [StaffRoles.Reviewer], false },
        { "pl", [StaffRoles.Translator], true },
        { "cy", [StaffRoles.Reviewer], true },
        { "pl", [StaffRoles.Editor, StaffRoles.Translator], true },
        { "", [StaffRoles.Publisher], true },
        { "", [StaffRoles.Administrator], true },
        // A signed-in account left without any role (the store allows it, the user forms do not).
        { "", [], false },
    };

    [Theory]
    [MemberData(nameof(StringsAccess))]
    public async Task InterfaceStringsLink_IsShownExactlyWhenTheStringsPageOpens(string languages, string[] roles, bool mayOpen)
    {
        var member = await Staff.SignedInWithLanguagesAsync(portal, languages, roles);

        var home = await member.Client.GetAsync("/backoffice");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var nav = (await Staff.DocumentAsync(home)).QuerySelector("nav .app-bo-nav");
        Assert.NotNull(nav);
        var link = nav.QuerySelector("a[href='/backoffice/strings']");
        var strings = await member.Client.GetAsync("/backoffice/strings");

        Assert.Equal(mayOpen ? HttpStatusCode.OK : HttpStatusCode.Forbidden, strings.StatusCode);
        Assert.Equal(mayOpen, link is not null);
        // The rest of the menu is still there for everyone signed in.
        Assert.NotNull(nav.QuerySelector("a[href='/backoffice/account']"));
    }
}

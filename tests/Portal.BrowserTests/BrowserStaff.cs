using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Backoffice;

namespace Portal.BrowserTests;

/// <summary>Staff accounts made directly in the portal's store, and sign-in through the real forms.</summary>
internal static class BrowserStaff
{
    public const string Password = "a long passphrase for the journey";

    public static async Task<(string Email, string Key)> CreateAsync(BrowserPortal portal, string role, string languages = "")
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}@larchwood.example";
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, Languages = languages };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        await users.AddToRoleAsync(user, role);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (email, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    /// <summary>Password, then an authenticator code; <paramref name="onCodePage"/> sees the code page (for axe).</summary>
    public static async Task SignInAsync(BrowserPortal portal, IPage page, string email, string key, Func<IPage, Task>? onCodePage = null)
    {
        await page.GotoAsync(portal.BaseUrl + "/backoffice/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/backoffice/sign-in/code**");
        if (onCodePage is not null)
        {
            await onCodePage(page);
        }

        await page.FillAsync("#code", Totp.Code(key));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.BaseUrl + "/backoffice");
    }
}

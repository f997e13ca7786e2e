using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice;

/// <summary>The signed-in person's account; changing the second factor needs the password and a current code again.</summary>
[Authorize(Policy = StaffPolicies.Staff)]
public sealed class AccountModel(UserManager<StaffUser> users, StaffSignIn signIn, AuditLog audit, PortalDb db) : PageModel
{
    public string Email { get; private set; } = "";

    public IList<string> Roles { get; private set; } = [];

    public IReadOnlyList<string> Languages { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Redirect("/backoffice/sign-in");
        }

        await LoadAsync(user);
        return Page();
    }

        public async Task<IActionResult> OnPostAsync()
    {
        // Forms are read here, not model-bound (the site turns form value providers off).
        var form = await Request.ReadFormAsync();
        string? password = form["password"].FirstOrDefault();
        string? code = form["code"].FirstOrDefault();
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Redirect("/backoffice/sign-in");
        }

        var clean = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (await users.IsLockedOutAsync(user)
            || !await users.CheckPasswordAsync(user, password ?? "")
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, clean))
        {
            await users.AccessFailedAsync(user);
            audit.Add(user.Id, user.Email!, AuditTriggers.Person, "reauthenticate-failed", "user:" + user.Id);
            await db.SaveChangesAsync();
            await LoadAsync(user);
            Error = "The password or code is not right.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await users.ResetAccessFailedCountAsync(user);
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        audit.Add(user.Id, user.Email!, AuditTriggers.Person, "reset-authenticator", "user:" + user.Id);
        await db.SaveChangesAsync();
        await signIn.SignInAsync(user, "pwd");
        return Redirect("/backoffice/account/authenticator");
    }

    private async Task LoadAsync(StaffUser user)
    {
        Email = user.Email ?? "";
        Roles = await users.GetRolesAsync(user);
        Languages = user.LanguageList;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;

namespace Portal.Web.Pages.Backoffice;

[AllowAnonymous]
public sealed class SignInModel(StaffSignIn signIn) : PageModel
{
    public string? Error { get; private set; }

    public string? Email { get; private set; }

    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = LocalBackofficeUrl(returnUrl);

        public async Task<IActionResult> OnPostAsync()
    {
        // Forms are read here, not model-bound (the site turns form value providers off).
        var form = await Request.ReadFormAsync();
        string? email = form["email"].FirstOrDefault();
        string? password = form["password"].FirstOrDefault();
        string? returnUrl = form["returnUrl"].FirstOrDefault();
        Email = email;
        ReturnUrl = LocalBackofficeUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            Error = "Enter your email address and password.";
            return Page();
        }

        switch (await signIn.PasswordAsync(email, password))
        {
            case PasswordStep.NeedsCode:
                return Redirect("/backoffice/sign-in/code" + (ReturnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(ReturnUrl)));
            case PasswordStep.NeedsEnrolment:
                return Redirect("/backoffice/account/authenticator");
            case PasswordStep.LockedOut:
                Error = "This account is locked for 15 minutes after too many failed attempts. Try again later, or ask an administrator.";
                break;
            default:
                Error = "The email address or password is not right.";
                break;
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Only a path inside the back office: never an open redirect.</summary>
    public static string? LocalBackofficeUrl(string? url) =>
        url is not null && url.StartsWith("/backoffice", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            ? url
            : null;
}

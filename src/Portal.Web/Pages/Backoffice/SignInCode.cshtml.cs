using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;

namespace Portal.Web.Pages.Backoffice;

[AllowAnonymous]
public sealed class SignInCodeModel(StaffSignIn signIn) : PageModel
{
    public string? Error { get; private set; }

    public string? ReturnUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = SignInModel.LocalBackofficeUrl(returnUrl);
        return await signIn.PendingUserAsync() is null ? Redirect("/backoffice/sign-in") : Page();
    }

        public async Task<IActionResult> OnPostAsync()
    {
        // Forms are read here, not model-bound (the site turns form value providers off).
        var form = await Request.ReadFormAsync();
        string? code = form["code"].FirstOrDefault();
        string? returnUrl = form["returnUrl"].FirstOrDefault();
        ReturnUrl = SignInModel.LocalBackofficeUrl(returnUrl);
        switch (await signIn.CodeAsync(code ?? ""))
        {
            case null:
                return Redirect(ReturnUrl ?? "/backoffice");
            case "expired":
                return Redirect("/backoffice/sign-in");
            case "locked":
                Error = "This account is locked for 15 minutes after too many failed attempts.";
                break;
            default:
                Error = "That code is not right. Enter the code your app shows now.";
                break;
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

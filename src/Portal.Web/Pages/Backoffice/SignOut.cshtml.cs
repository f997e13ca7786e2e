using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;

namespace Portal.Web.Pages.Backoffice;

[AllowAnonymous]
public sealed class SignOutModel(StaffSignIn signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync(User);
        return RedirectToPage();
    }
}

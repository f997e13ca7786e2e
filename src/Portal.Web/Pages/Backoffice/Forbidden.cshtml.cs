using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Web.Pages.Backoffice;

[AllowAnonymous]
public sealed class ForbiddenModel : PageModel
{
    public void OnGet()
    {
    }
}

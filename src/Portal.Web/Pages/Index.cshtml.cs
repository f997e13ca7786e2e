using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Content;
using Portal.Web.Localization;

namespace Portal.Web.Pages;

/// <summary>
/// The bare address picks a language from Accept-Language once and redirects; nothing is
/// remembered, so the next visit negotiates again.
/// </summary>
public sealed class IndexModel(SiteContent content) : PageModel
{
    public IActionResult OnGet()
    {
        var language = LanguageNegotiation.Choose(content.Current, Request.GetTypedHeaders().AcceptLanguage);
        Response.Headers.Vary = "Accept-Language";
        return Redirect("/" + language.Tag);
    }
}

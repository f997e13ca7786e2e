using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Web.Content;

namespace Portal.Web.Pages.Contact;

/// <summary>How to ask the provider for safe contact.</summary>
public sealed class IndexModel(SiteContent content, IOptions<PortalOptions> options, Microsoft.Extensions.Localization.IStringLocalizer S)
    : PublicPageModel(content, options)
{
    public IActionResult OnGet(string lang)
    {
        if (!UseLanguage(lang))
        {
            return NotFound();
        }

        Title = S["Contact us safely"];
        CurrentSlug = "contact";
        PathInLanguage = "/contact";
        TranslatedCultures = Site.Languages.Select(l => l.Tag).ToList();
        BackHref = Href(lang, "");
        return Page();
    }
}

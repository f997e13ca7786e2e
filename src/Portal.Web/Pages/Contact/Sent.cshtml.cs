using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Portal.Web.Content;

namespace Portal.Web.Pages.Contact;

/// <summary>After sending: what happens next, the ways chosen and the date by which contact will come.</summary>
public sealed class SentModel(SiteContent content, IOptions<PortalOptions> options, IStringLocalizer S, ConfirmationStore confirmations)
    : PublicPageModel(content, options)
{
    public ConfirmationSummary? Summary { get; private set; }

    public IActionResult OnGet(string lang, string? id)
    {
        if (!UseLanguage(lang))
        {
            return NotFound();
        }

        Summary = id is null ? null : confirmations.Find(id);
        Title = S["We have your request"];
        CurrentSlug = "contact";
        PathInLanguage = "/contact";
        NoIndex = true;
        BackHref = Href(lang, "");
        return Page();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Localization;

namespace Portal.Web.Pages.Backoffice.Strings;

/// <summary>The report of interface strings per language: how many are translated, fuzzy and missing.</summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class IndexModel(UserManager<StaffUser> users, SiteContent content, UiCatalogHolder catalogues) : PageModel
{
    public IReadOnlyList<(SiteLanguage Language, UiStringCounts Counts)> Rows { get; private set; } = [];

    /// <summary>Set for publishers and administrators, who may change the English wording.</summary>
    public SiteLanguage? Source { get; private set; }

    public int Reworded { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var actor = await StaffActor.LoadAsync(users, User);
        var site = content.Current;
        var source = site.Settings.DefaultLanguage;
        if (actor is null)
        {
            return Forbid();
        }

        if (!StringAccess.MayOpen(actor, site.Languages.Select(l => l.Tag), source))
        {
            return Forbid();
        }

        var languages = site.Languages.Where(l => l.Tag != source && StringAccess.MayWorkOn(actor, l.Tag, source)).ToList();
        var mayReword = StringAccess.MayWorkOn(actor, source, source);

        var strings = catalogues.Current;
        Rows = languages.Select(l => (l, strings.Counts(l.Tag))).ToList();
        if (mayReword)
        {
            Source = site.DefaultLanguage;
            Reworded = strings.Messages.Count(m => strings.Translation(source, m.Key).Override is not null);
        }

        return Page();
    }
}

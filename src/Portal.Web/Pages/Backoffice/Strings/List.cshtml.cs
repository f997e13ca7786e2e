using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Localization;

namespace Portal.Web.Pages.Backoffice.Strings;

/// <summary>One row of the list: a message with its English and its translation in the language.</summary>
public sealed record StringRow(UiSourceMessage Message, IReadOnlyList<string> English, UiTranslation Translation);

/// <summary>Every interface string in one language, optionally only the missing or fuzzy ones.</summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class ListModel(UserManager<StaffUser> users, SiteContent content, UiCatalogHolder catalogues) : PageModel
{
    public static readonly IReadOnlyList<string> Filters = ["all", UiStringStates.Missing, UiStringStates.Fuzzy];

    public SiteLanguage Language { get; private set; } = null!;

    public bool IsSource { get; private set; }

    public string Show { get; private set; } = "all";

    public IReadOnlyList<StringRow> Rows { get; private set; } = [];

    public UiStringCounts Counts { get; private set; } = new(0, 0, 0, 0);

    public async Task<IActionResult> OnGetAsync(string culture, [FromQuery(Name = "show")] string? show)
    {
        var actor = await StaffActor.LoadAsync(users, User);
        var site = content.Current;
        var language = site.FindLanguage(culture);
        if (actor is null)
        {
            return Forbid();
        }

        if (language is null)
        {
            return NotFound();
        }

        if (!StringAccess.MayWorkOn(actor, language.Tag, site.Settings.DefaultLanguage))
        {
            return Forbid();
        }

        show = string.IsNullOrEmpty(show) ? "all" : show;
        if (!Filters.Contains(show))
        {
            return BadRequest();
        }

        Language = language;
        IsSource = language.Tag == site.Settings.DefaultLanguage;
        Show = show;
        var strings = catalogues.Current;
        Counts = strings.Counts(language.Tag);
        Rows = strings.Messages
            .Select(m => new StringRow(m, strings.English(m.Key), strings.Translation(language.Tag, m.Key)))
            .Where(r => show == "all" || r.Translation.State == show)
            .ToList();
        return Page();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Translation;

namespace Portal.Web.Pages.Backoffice.Translations;

/// <summary>A row of the translation grid: one page in one audience, with a cell per language.</summary>
public sealed record GridRow(string Slug, string Title, string Audience, bool SafetyCritical, IReadOnlyList<TranslationCell> Cells);

/// <summary>Every page × audience × language with its translation state, for translators and reviewers.</summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class IndexModel(PortalDb db, PageWorkflow workflow, UserManager<StaffUser> users, SiteContent content) : PageModel
{
    public static readonly IReadOnlyList<string> States =
        [TranslationStates.Missing, TranslationStates.MachineDraft, TranslationStates.Stale, TranslationStates.Translated, TranslationStates.Reviewed];

    public IReadOnlyList<SiteLanguage> Languages { get; private set; } = [];

    public IReadOnlyList<GridRow> Rows { get; private set; } = [];

    /// <summary>Per language: how many variants are in each state.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Counts { get; private set; } = new Dictionary<string, IReadOnlyDictionary<string, int>>();

    /// <summary>Only rows with a cell in this state are listed, when set.</summary>
    public string? StateFilter { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "state")] string? state)
    {
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        if (!string.IsNullOrEmpty(state) && !States.Contains(state))
        {
            return BadRequest();
        }

        StateFilter = string.IsNullOrEmpty(state) ? null : state;
        var site = content.Current;
        var source = site.Settings.DefaultLanguage;
        Languages = site.Languages.Where(l => l.Tag != source && workflow.CanView(actor, l.Tag)).ToList();
        var cells = await TranslationOverview.LoadAsync(db, site, HttpContext.RequestAborted);
        var documents = await db.Documents.AsNoTracking().ToListAsync(HttpContext.RequestAborted);

        var rows = new List<GridRow>();
        foreach (var document in documents.OrderBy(d => d.Order).ThenBy(d => d.Slug, StringComparer.Ordinal))
        {
            foreach (var audience in Audiences.All)
            {
                var row = Languages.Select(l => cells.GetValueOrDefault((document.Slug, l.Tag, audience))).OfType<TranslationCell>().ToList();
                if (row.Count == 0)
                {
                    continue; // no source text in this audience
                }

                var title = site.Published.TryGetValue((document.Slug, source, audience), out var v) ? v.Title : document.Slug;
                rows.Add(new GridRow(document.Slug, title, audience, document.SafetyCritical, row));
            }
        }

        Counts = Languages.ToDictionary(l => l.Tag, l => (IReadOnlyDictionary<string, int>)States.ToDictionary(
            s => s, s => rows.Count(r => r.Cells.Any(c => c.Culture == l.Tag && c.State == s))));
        Rows = StateFilter is null ? rows : rows.Where(r => r.Cells.Any(c => c.State == StateFilter)).ToList();
        return Page();
    }

    public static string TagClass(string state) => state switch
    {
        TranslationStates.Reviewed => "app-bo-tag app-bo-tag--published",
        TranslationStates.Translated => "app-bo-tag app-bo-tag--approved",
        TranslationStates.Stale => "app-bo-tag app-bo-tag--stale",
        TranslationStates.MachineDraft => "app-bo-tag app-bo-tag--review",
        _ => "app-bo-tag app-bo-tag--draft",
    };
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Translation;

namespace Portal.Web.Pages.Backoffice.Pages;

/// <summary>A cell of the pages table: one language and audience of one page.</summary>
/// <param name="Translation">For languages other than the source: missing, machine-draft, stale, translated or reviewed.</param>
public sealed record VariantCell(SiteLanguage Language, string Audience, string State, bool CanEdit, string? Translation = null);

public sealed record DocumentRow(PageDocument Document, string Title, IReadOnlyList<VariantCell> Variants);

/// <summary>Every page, with its variants per language and audience and where each is in the workflow.</summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class IndexModel(PortalDb db, PageWorkflow workflow, UserManager<StaffUser> users, SiteContent content) : PageModel
{
    public IReadOnlyList<DocumentRow> Rows { get; private set; } = [];

    public IReadOnlyList<SiteLanguage> Languages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        var site = content.Current;
        Languages = site.Languages.Where(l => workflow.CanView(actor, l.Tag)).ToList();
        var variants = (await db.PageVariants.AsNoTracking().ToListAsync(HttpContext.RequestAborted))
            .ToDictionary(v => (v.Slug, v.Culture, v.Audience));
        var documents = await db.Documents.AsNoTracking().ToListAsync(HttpContext.RequestAborted);
        var translations = await TranslationOverview.LoadAsync(db, site, HttpContext.RequestAborted);
        var sourceCulture = site.Settings.DefaultLanguage;
        Rows = documents.OrderBy(d => d.Order).ThenBy(d => d.Slug, StringComparer.Ordinal).Select(d =>
        {
            var title = site.Published.TryGetValue((d.Slug, sourceCulture, Audiences.Standard), out var source) ? source.Title : d.Slug;
            // Easy read is offered where the page already has it in some language.
            var audiences = variants.Keys.Any(k => k.Slug == d.Slug && k.Audience == Audiences.EasyRead)
                ? Audiences.All
                : [Audiences.Standard];
            var cells = (from audience in audiences
                         from language in Languages
                         let state = variants.TryGetValue((d.Slug, language.Tag, audience), out var v) ? v.State : "not started"
                         let translation = language.Tag == sourceCulture ? null
                             : translations.TryGetValue((d.Slug, language.Tag, audience), out var t) ? t.State : TranslationStates.Missing
                         select new VariantCell(language, audience, state, workflow.CanEdit(actor, language.Tag), translation)).ToList();
            return new DocumentRow(d, title, cells);
        }).ToList();
        return Page();
    }
}

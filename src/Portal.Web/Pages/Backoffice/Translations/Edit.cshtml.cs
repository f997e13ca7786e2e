using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Translation;

namespace Portal.Web.Pages.Backoffice.Translations;

/// <summary>
/// The split view: each English paragraph beside its translation, what changed in the English since
/// the translation was made highlighted, and the translation edited paragraph by paragraph.
/// </summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class EditModel(PortalDb db, PageWorkflow workflow, UserManager<StaffUser> users, SiteContent content) : PageModel
{
    public string Slug { get; private set; } = "";

    public string Audience { get; private set; } = "";

    public SiteLanguage Language { get; private set; } = null!;

    public SiteLanguage SourceLanguage { get; private set; } = null!;

    public PageVariant? Variant { get; private set; }

    public TranslationComparison Comparison { get; private set; } = null!;

    public StaffActor Actor { get; private set; } = null!;

    public string Title { get; private set; } = "";

    public string? NavTitle { get; private set; }

    public string? Description { get; private set; }

    public string TranslationState { get; private set; } = TranslationStates.Translated;

    /// <summary>What each paragraph's box holds, by source block id.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; private set; } = new Dictionary<string, string>();

    /// <summary>The whole text, for a translation whose paragraphs do not line up with the source's.</summary>
    public string WholeText { get; private set; } = "";

    public IReadOnlySet<string> Confirmed { get; private set; } = new HashSet<string>();

    public string? Message { get; private set; }

    public bool IsError { get; private set; }

    public int? ProblemParagraph { get; private set; }

    public bool CanEdit => workflow.CanEdit(Actor, Language.Tag);

    public bool CanReview => workflow.CanReview(Actor, Language.Tag);

    public string State => Variant?.State ?? "not started";

    /// <summary>Rows for a paragraph box: enough to show the text without scrolling, within reason.</summary>
    public static int RowsFor(string text) => Math.Clamp((text.Length / 60) + 1 + text.Count(c => c == '\n'), 2, 14);

    public IEnumerable<string> ChoosableStates =>
        ContentImport.TranslationStates.Where(s => s != TranslationStates.Reviewed || CanReview);

    public async Task<IActionResult> OnGetAsync(string slug, string culture, string audience)
    {
        var refused = await LoadAsync(slug, culture, audience);
        if (refused is not null)
        {
            return refused;
        }

        UseStoredText();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, string culture, string audience)
    {
        var refused = await LoadAsync(slug, culture, audience);
        if (refused is not null)
        {
            return refused;
        }

        var ct = HttpContext.RequestAborted;
        var form = await Request.ReadFormAsync(ct);
        var action = form["action"].ToString();
        if (action is not ("save" or "save-submit"))
        {
            return Show(WorkflowResult.Bad("Choose one of the buttons."));
        }

        Title = form["title"].ToString();
        NavTitle = form["nav_title"].ToString();
        Description = form["description"].ToString();
        TranslationState = form["translation_state"].ToString();
        Texts = Comparison.Rows.ToDictionary(r => r.Source.Id, r => form["block-" + r.Source.Id].ToString(), StringComparer.Ordinal);
        Confirmed = form["confirm"].Where(v => v is not null).Select(v => v!).ToHashSet(StringComparer.Ordinal);
        WholeText = form["body"].ToString().ReplaceLineEndings("\n");

        string body;
        TranslationBasis? basis = null;
        var toDo = 0;
        if (Comparison.Aligned)
        {
            var composed = Comparison.Compose(Texts, Confirmed);
            if (composed.Problem is not null)
            {
                ProblemParagraph = composed.ProblemParagraph;
                return Show(WorkflowResult.Bad(composed.Problem));
            }

            body = composed.Body;
            basis = composed.Basis;
            toDo = composed.ToDo;
        }
        else
        {
            // Saved whole: taken as made from the current source (TranslationTracking.StampAsync).
            body = WholeText;
        }

        var input = new DraftInput(Title, NavTitle, Description, body, string.IsNullOrWhiteSpace(TranslationState) ? null : TranslationState);
        var result = await workflow.SaveDraftAsync(Actor, Slug, Language.Tag, Audience, input, basis, ct);
        if (!result.Succeeded)
        {
            return Show(result);
        }

        var message = result.Message + (toDo switch
        {
            0 => "",
            1 => " 1 paragraph still needs translating or checking.",
            _ => $" {toDo} paragraphs still need translating or checking.",
        });
        if (action == "save-submit")
        {
            var submitted = await workflow.SubmitAsync(Actor, Slug, Language.Tag, Audience, ct);
            message += " " + submitted.Message;
            result = submitted.Succeeded ? WorkflowResult.Ok(message) : submitted with { Message = message };
        }
        else
        {
            result = WorkflowResult.Ok(message);
        }

        await LoadAsync(slug, culture, audience);
        UseStoredText();
        return Show(result);
    }

    private PageResult Show(WorkflowResult result)
    {
        Message = result.Message;
        IsError = !result.Succeeded;
        Response.StatusCode = result.Status;
        return Page();
    }

    private void UseStoredText()
    {
        var shown = Comparison.Translation;
        Title = shown?.Title ?? "";
        NavTitle = shown?.NavTitle;
        Description = shown?.Description;
        TranslationState = shown?.TranslationState ?? TranslationStates.Translated;
        // A paragraph kept in English in a draft opens empty, so it reads as still to translate.
        Texts = Comparison.Rows.ToDictionary(r => r.Source.Id, r => r.Change == BlockChange.Untranslated ? "" : r.Translation ?? "", StringComparer.Ordinal);
        WholeText = shown?.Body ?? "";
        Confirmed = new HashSet<string>();
    }

    private async Task<IActionResult?> LoadAsync(string slug, string culture, string audience)
    {
        if (!workflow.Exists(slug, culture, audience))
        {
            return NotFound();
        }

        if (culture == workflow.SourceCulture)
        {
            return Redirect($"/backoffice/pages/{slug}/{culture}/{audience}");
        }

        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        Actor = actor;
        if (!workflow.CanView(actor, culture))
        {
            return Forbid();
        }

        var ct = HttpContext.RequestAborted;
        Slug = slug;
        Audience = audience;
        Language = content.Current.Languages.Single(l => l.Tag == culture);
        SourceLanguage = content.Current.DefaultLanguage;
        Variant = await db.PageVariants.AsNoTracking()
            .SingleOrDefaultAsync(v => v.Slug == slug && v.Culture == culture && v.Audience == audience, ct);
        var shownId = Variant?.DraftVersionId ?? Variant?.PublishedVersionId;
        var shown = shownId is { } id ? await db.PageVersions.AsNoTracking().SingleAsync(v => v.Id == id, ct) : null;
        var comparison = await TranslationComparison.LoadAsync(db, slug, audience, workflow.SourceCulture, shown, ct);
        if (comparison is null)
        {
            return NotFound();
        }

        Comparison = comparison;
        return null;
    }
}

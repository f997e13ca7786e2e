using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice.Pages;

/// <summary>One page variant: its text, a preview, and the workflow buttons the person's role allows.</summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class EditModel(PortalDb db, PageWorkflow workflow, UserManager<StaffUser> users, SiteContent content, PreviewLinks links, AuditLog audit)
    : PageModel
{
    public string Slug { get; private set; } = "";

    public string Culture { get; private set; } = "";

    public string Audience { get; private set; } = "";

    public SiteLanguage Language { get; private set; } = null!;

    public PageDocument Document { get; private set; } = null!;

    public PageVariant? Variant { get; private set; }

    public PageVersion? Draft { get; private set; }

    public PageVersion? Published { get; private set; }

    /// <summary>What the form shows: typed text after a preview or a refused save, else the draft or published version.</summary>
    public DraftInput Input { get; private set; } = new("", null, null, "", null);

    public RenderedMarkdown Preview { get; private set; } = null!;

    public StaffActor Actor { get; private set; } = null!;

    public string? Message { get; private set; }

    public bool IsError { get; private set; }

    public string? PreviewUrl { get; private set; }

    public DateTimeOffset? PreviewExpires { get; private set; }

    public bool IsSource => Culture == workflow.SourceCulture;

    /// <summary>True when the form holds the source-language text because this language has none yet.</summary>
    public bool StartsFromSource { get; private set; }

    public bool CanEdit => workflow.CanEdit(Actor, Culture);

    /// <summary>Approve, publish and unpublish: publishers everywhere, reviewers in their languages.</summary>
    public bool CanPublish => workflow.CanReview(Actor, Culture);

    /// <summary>Scheduling stays with publishers and administrators.</summary>
    public bool CanSchedule => Actor.IsPublisher;

    /// <summary>The translation states this person may choose: "reviewed" needs a reviewer of the language.</summary>
    public IEnumerable<string> ChoosableStates =>
        ContentImport.TranslationStates.Where(s => s != Translation.TranslationStates.Reviewed || CanPublish);

    public bool IsProtected => workflow.IsProtected(Culture, Audience);

    public string State => Variant?.State ?? "not started";

    public static string TagClass(string state) => state switch
    {
        VariantStates.Published => "app-bo-tag app-bo-tag--published",
        VariantStates.Approved => "app-bo-tag app-bo-tag--approved",
        VariantStates.InReview => "app-bo-tag app-bo-tag--review",
        _ => "app-bo-tag app-bo-tag--draft",
    };

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

        var form = await Request.ReadFormAsync();
        var action = form["action"].ToString();
        var ct = HttpContext.RequestAborted;
        var typed = new DraftInput(
            form["title"].ToString(),
            form["nav_title"].ToString(),
            form["description"].ToString(),
            form["body"].ToString().Replace("\r\n", "\n", StringComparison.Ordinal),
            IsSource ? null : NullIfEmpty(form["translation_state"].ToString()));

        WorkflowResult result;
        switch (action)
        {
            case "preview":
                if (typed.Body.Length > PageWorkflow.MaxBodyLength)
                {
                    return Show(WorkflowResult.Bad($"The text must be {PageWorkflow.MaxBodyLength} characters or fewer."), typed);
                }

                return Show(null, typed);
            case "save":
                result = await workflow.SaveDraftAsync(Actor, Slug, Culture, Audience, typed, ct);
                break;
            case "submit":
                result = await workflow.SubmitAsync(Actor, Slug, Culture, Audience, ct);
                break;
            case "approve":
                result = await workflow.ApproveAsync(Actor, Slug, Culture, Audience, ct);
                break;
            case "publish":
                result = await workflow.PublishAsync(Actor, Slug, Culture, Audience, form["critical"] == "yes", ct);
                break;
            case "unpublish":
                result = await workflow.UnpublishAsync(Actor, Slug, Culture, Audience, ct);
                break;
            case "schedule":
                var publishError = LondonTime.TryParse(form["publish_at"], out var publishAt);
                var unpublishError = LondonTime.TryParse(form["unpublish_at"], out var unpublishAt);
                var timeError = publishError ?? unpublishError;
                result = timeError is not null
                    ? WorkflowResult.Bad(timeError)
                    : await workflow.ScheduleAsync(Actor, Slug, Culture, Audience, publishAt, unpublishAt, form["critical"] == "yes", ct);
                break;
            case "preview-link":
                result = await CreatePreviewLinkAsync(ct);
                break;
            default:
                result = WorkflowResult.Bad("Choose one of the buttons.");
                break;
        }

        // Show the stored state after the step; on a refused save keep what was typed.
        await LoadAsync(slug, culture, audience);
        if (!result.Succeeded && action == "save")
        {
            return Show(result, typed);
        }

        UseStoredText();
        return Show(result, Input);
    }

    private async Task<WorkflowResult> CreatePreviewLinkAsync(CancellationToken ct)
    {
        if (!Actor.IsEditor)
        {
            return WorkflowResult.Forbidden("Only editors and publishers can share a preview link.");
        }

        if (Variant?.DraftVersionId is not { } versionId)
        {
            return WorkflowResult.Bad("There is no draft to preview: save one first.");
        }

        var (token, expires) = links.Create(versionId);
        audit.Add(Actor.Id, Actor.Name, AuditTriggers.Person, "preview-link", "page:" + Slug, Culture, Audience, versionId,
            "expires " + expires.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await db.SaveChangesAsync(ct);
        PreviewUrl = $"{Request.Scheme}://{Request.Host}/preview/{token}";
        PreviewExpires = expires;
        return WorkflowResult.Ok("Preview link created. Anyone with it can read this draft until it expires.", versionId);
    }

    private PageResult Show(WorkflowResult? result, DraftInput input)
    {
        Input = input;
        Preview = MarkdownRenderer.Render(input.Body, Culture, content.Current.Pictures);
        if (result is not null)
        {
            Message = result.Message;
            IsError = !result.Succeeded;
            Response.StatusCode = result.Status;
        }

        return Page();
    }

    private void UseStoredText()
    {
        var shown = Draft ?? Published;
        if (shown is null && content.Current.Published.TryGetValue((Slug, workflow.SourceCulture, Audience), out var source))
        {
            // A translation not yet started begins from the source text.
            Input = new DraftInput(source.Title, source.NavTitle, source.Description, source.Body, null);
            StartsFromSource = true;
        }
        else
        {
            Input = shown is null
                ? new DraftInput("", null, null, "", null)
                : new DraftInput(shown.Title, shown.NavTitle, shown.Description, shown.Body, shown.TranslationState);
        }

        Preview = MarkdownRenderer.Render(Input.Body, Culture, content.Current.Pictures);
    }

    private async Task<IActionResult?> LoadAsync(string slug, string culture, string audience)
    {
        if (!workflow.Exists(slug, culture, audience))
        {
            return NotFound();
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

        Slug = slug;
        Culture = culture;
        Audience = audience;
        Language = content.Current.Languages.Single(l => l.Tag == culture);
        Document = content.Current.Documents[slug];
        Variant = await db.PageVariants.AsNoTracking()
            .SingleOrDefaultAsync(v => v.Slug == slug && v.Culture == culture && v.Audience == audience, HttpContext.RequestAborted);
        Draft = Variant?.DraftVersionId is { } d ? await db.PageVersions.AsNoTracking().SingleAsync(v => v.Id == d) : null;
        Published = Variant?.PublishedVersionId is { } p ? await db.PageVersions.AsNoTracking().SingleAsync(v => v.Id == p) : null;
        return null;
    }

    private static string? NullIfEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

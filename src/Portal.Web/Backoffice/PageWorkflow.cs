using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Backoffice;

/// <summary>Who is acting, with what they may do.</summary>
public sealed record StaffActor(string Id, string Name, IReadOnlySet<string> Roles, IReadOnlyList<string> Languages)
{
    public static readonly StaffActor Scheduler = new("scheduler", "scheduler", new HashSet<string>(), []);

    public bool IsPublisher => Roles.Contains(StaffRoles.Publisher) || Roles.Contains(StaffRoles.Administrator);

    /// <summary>May write drafts in every language.</summary>
    public bool IsEditor => IsPublisher || Roles.Contains(StaffRoles.Editor);

    public bool IsTranslator => Roles.Contains(StaffRoles.Translator);

    public bool IsReviewer => Roles.Contains(StaffRoles.Reviewer);

    /// <summary>Helpline numbers, hours and audiences are safety-critical: publishers and administrators only.</summary>
    public bool MayChangeHelplineData => IsPublisher;

    /// <summary>Whether the language is one of those assigned to this translator or reviewer.</summary>
    public bool WorksIn(string culture) =>
        (IsTranslator || IsReviewer) && Languages.Contains(culture, StringComparer.OrdinalIgnoreCase);

    /// <summary>Words in a language (helpline texts): editors and up in any language, translators and reviewers only in theirs.</summary>
    public bool MayEditLanguage(string culture) => IsEditor || WorksIn(culture);

    /// <summary>
    /// Approving and publishing a translation: publishers in every language, reviewers in theirs.
    /// The source language is for publishers only: every other language falls back to it.
    /// </summary>
    public bool MayReview(string culture, string sourceCulture) =>
        IsPublisher || (IsReviewer && culture != sourceCulture && Languages.Contains(culture, StringComparer.OrdinalIgnoreCase));

    public static StaffActor From(ClaimsPrincipal principal, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(user);
        var roles = StaffRoles.All.Where(principal.IsInRole).ToHashSet(StringComparer.Ordinal);
        return new StaffActor(user.Id, user.Email ?? user.Id, roles, user.LanguageList);
    }

    /// <summary>The signed-in person, or null when the account is gone.</summary>
    public static async Task<StaffActor?> LoadAsync(Microsoft.AspNetCore.Identity.UserManager<StaffUser> users, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(users);
        var user = await users.GetUserAsync(principal);
        return user is null ? null : From(principal, user);
    }
}

/// <summary>The outcome of a workflow step: an HTTP status and a sentence for the person.</summary>
public sealed record WorkflowResult(int Status, string Message, long? VersionId = null)
{
    public bool Succeeded => Status < 300;

    public static WorkflowResult Ok(string message, long? versionId = null) => new(StatusCodes.Status200OK, message, versionId);

    public static WorkflowResult Bad(string message) => new(StatusCodes.Status400BadRequest, message);

    public static WorkflowResult Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);

    public static WorkflowResult Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}

/// <summary>The front matter and text of a draft, as typed.</summary>
public sealed record DraftInput(string Title, string? NavTitle, string? Description, string Body, string? TranslationState);

/// <summary>What a translation was made from: source blocks in the order of its own (JSON), and the source version.</summary>
public sealed record TranslationBasis(string? MadeFrom, long? SourceVersionId);

/// <summary>
/// Drafts, review, approval, publishing and scheduling of page variants. Every step checks the
/// person's role again and writes its audit entry in the same save as the change.
/// </summary>
public sealed class PageWorkflow(PortalDb db, AuditLog audit, TimeProvider clock, SiteContent content,
    Microsoft.Extensions.Options.IOptions<PortalOptions> portal, ILogger<PageWorkflow> logger)
{
    public const int MaxBodyLength = 200_000;

    public const int MaxTitleLength = 200;

    public const int MaxDescriptionLength = 500;

    public string SourceCulture => content.Current.Settings.DefaultLanguage;

    /// <summary>Whether the person may write drafts of pages in the culture.</summary>
    public bool CanEdit(StaffActor actor, string culture)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsEditor || (culture != SourceCulture && actor.WorksIn(culture));
    }

    /// <summary>Translators and reviewers see their own languages and the source they translate from.</summary>
    public bool CanView(StaffActor actor, string culture)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsEditor || culture == SourceCulture || actor.WorksIn(culture);
    }

    /// <summary>Whether the person may approve, publish and unpublish pages in the culture.</summary>
    public bool CanReview(StaffActor actor, string culture)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.MayReview(culture, SourceCulture);
    }

    /// <summary>The source-language standard text of a page is what every other language falls back to: it is never taken down.</summary>
    public bool IsProtected(string culture, string audience) => culture == SourceCulture && audience == Audiences.Standard;

    /// <summary>True when the slug, culture and audience name a page and language the site has.</summary>
    public bool Exists(string slug, string culture, string audience)
    {
        var site = content.Current;
        return site.Documents.ContainsKey(slug)
            && site.Languages.Any(l => l.Tag == culture)
            && Audiences.All.Contains(audience);
    }

    public Task<PageVariant?> FindAsync(string slug, string culture, string audience, CancellationToken ct = default) =>
        db.PageVariants.SingleOrDefaultAsync(v => v.Slug == slug && v.Culture == culture && v.Audience == audience, ct);

    /// <param name="basis">
    /// For a translation updated only in part (an agency import): the source blocks it was made from.
    /// Null when the whole text was saved from the current source.
    /// </param>
    public Task<WorkflowResult> SaveDraftAsync(StaffActor actor, string slug, string culture, string audience, DraftInput input, CancellationToken ct = default) =>
        SaveDraftAsync(actor, slug, culture, audience, input, null, ct);

    public async Task<WorkflowResult> SaveDraftAsync(StaffActor actor, string slug, string culture, string audience, DraftInput input,
        TranslationBasis? basis, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        if (!CanEdit(actor, culture))
        {
            return WorkflowResult.Forbidden(culture == SourceCulture && (actor.IsTranslator || actor.IsReviewer)
                ? "Translators cannot change the English source text."
                : "You cannot edit pages in this language.");
        }

        var problem = Validate(actor, culture, input);
        if (problem is not null)
        {
            return WorkflowResult.Bad(problem);
        }

        return await WriteVersionAsync(actor, slug, culture, audience, input, "save-draft", null, basis, ct);
    }

    /// <summary>Makes a new draft with the text of an earlier version.</summary>
    public async Task<WorkflowResult> RollbackAsync(StaffActor actor, string slug, string culture, string audience, int number, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanEdit(actor, culture))
        {
            return WorkflowResult.Forbidden("You cannot edit pages in this language.");
        }

        var old = await db.PageVersions.AsNoTracking()
            .SingleOrDefaultAsync(v => v.Slug == slug && v.Culture == culture && v.Audience == audience && v.Number == number, ct);
        if (old is null)
        {
            return WorkflowResult.Bad($"There is no version {number} of this page.");
        }

        var input = new DraftInput(old.Title, old.NavTitle, old.Description, old.Body, old.TranslationState);
        // An old translation is still made from the old source: rolling back must not make it look current.
        var basis = old.Culture == SourceCulture ? null : new TranslationBasis(old.MadeFrom, old.SourceVersionId);
        return await WriteVersionAsync(actor, slug, culture, audience, input, "rollback", $"to version {old.Number}", basis, ct);
    }

    public async Task<WorkflowResult> SubmitAsync(StaffActor actor, string slug, string culture, string audience, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanEdit(actor, culture))
        {
            return WorkflowResult.Forbidden("You cannot edit pages in this language.");
        }

        var variant = await FindAsync(slug, culture, audience, ct);
        if (variant is not { State: VariantStates.Draft, DraftVersionId: not null })
        {
            return WorkflowResult.Bad("Only a saved draft can be sent for review.");
        }

        variant.State = VariantStates.InReview;
        variant.ApprovedBy = null;
        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "submit", "page:" + slug, culture, audience, variant.DraftVersionId);
        await db.SaveChangesAsync(ct);
        return WorkflowResult.Ok("Sent for review.", variant.DraftVersionId);
    }

    public async Task<WorkflowResult> ApproveAsync(StaffActor actor, string slug, string culture, string audience, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanReview(actor, culture))
        {
            return WorkflowResult.Forbidden(culture == SourceCulture || !actor.IsReviewer
                ? "Only publishers, administrators and reviewers of this language can approve a page."
                : "You review other languages: you cannot approve this one.");
        }

        var variant = await FindAsync(slug, culture, audience, ct);
        if (variant is not { State: VariantStates.InReview, DraftVersionId: not null })
        {
            return WorkflowResult.Bad("Only a draft sent for review can be approved.");
        }

        var document = await db.Documents.AsNoTracking().SingleAsync(d => d.Slug == slug, ct);
        if (document.SafetyCritical && variant.LastEditedBy == actor.Id)
        {
            return WorkflowResult.Forbidden("This page is safety-critical: it must be approved by someone other than the person who last edited it.");
        }

        variant.State = VariantStates.Approved;
        variant.ApprovedBy = actor.Id;
        if (culture != SourceCulture)
        {
            variant.ReviewedVersionId = variant.DraftVersionId;
        }

        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "approve", "page:" + slug, culture, audience, variant.DraftVersionId);
        await db.SaveChangesAsync(ct);
        return WorkflowResult.Ok("Approved.", variant.DraftVersionId);
    }

    /// <param name="critical">
    /// For the source language: the change matters for safety (a number, a promise), so translations
    /// that have not caught up are withdrawn until they do.
    /// </param>
    public Task<WorkflowResult> PublishAsync(StaffActor actor, string slug, string culture, string audience, CancellationToken ct = default) =>
        PublishAsync(actor, slug, culture, audience, false, ct);

    public async Task<WorkflowResult> PublishAsync(StaffActor actor, string slug, string culture, string audience, bool critical, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanReview(actor, culture))
        {
            return WorkflowResult.Forbidden("Only publishers, administrators and reviewers of this language can publish a page.");
        }

        if (critical && culture != SourceCulture)
        {
            return WorkflowResult.Bad("Only a change to the English source can be marked critical.");
        }

        var variant = await FindAsync(slug, culture, audience, ct);
        if (variant is null)
        {
            return WorkflowResult.Bad("There is nothing to publish.");
        }

        return await PublishAsync(variant, actor, AuditTriggers.Person, critical, ct);
    }

    public async Task<WorkflowResult> UnpublishAsync(StaffActor actor, string slug, string culture, string audience, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanReview(actor, culture))
        {
            return WorkflowResult.Forbidden("Only publishers, administrators and reviewers of this language can unpublish a page.");
        }

        if (IsProtected(culture, audience))
        {
            return WorkflowResult.Bad("The English standard version of a page cannot be unpublished: every other language falls back to it.");
        }

        var variant = await FindAsync(slug, culture, audience, ct);
        if (variant is null)
        {
            return WorkflowResult.Bad("This page is not published.");
        }

        return await UnpublishAsync(variant, actor, AuditTriggers.Person, ct);
    }

    /// <summary>Sets or clears the times a variant is published or taken down; null clears.</summary>
    public Task<WorkflowResult> ScheduleAsync(StaffActor actor, string slug, string culture, string audience,
        DateTimeOffset? publishUtc, DateTimeOffset? unpublishUtc, CancellationToken ct = default) =>
        ScheduleAsync(actor, slug, culture, audience, publishUtc, unpublishUtc, false, ct);

    /// <param name="critical">The scheduled publish of the source is a critical change (see <see cref="PublishAsync(StaffActor, string, string, string, bool, CancellationToken)"/>).</param>
    public async Task<WorkflowResult> ScheduleAsync(StaffActor actor, string slug, string culture, string audience,
        DateTimeOffset? publishUtc, DateTimeOffset? unpublishUtc, bool critical, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsPublisher)
        {
            return WorkflowResult.Forbidden("Only publishers and administrators can schedule a page.");
        }

        if (unpublishUtc is not null && IsProtected(culture, audience))
        {
            return WorkflowResult.Bad("The English standard version of a page cannot be unpublished: every other language falls back to it.");
        }

        var now = clock.GetUtcNow();
        if (publishUtc <= now || unpublishUtc <= now)
        {
            return WorkflowResult.Bad("A scheduled time must be in the future.");
        }

        if (publishUtc is not null && unpublishUtc is not null && unpublishUtc <= publishUtc)
        {
            return WorkflowResult.Bad("The page must be taken down after it is published.");
        }

        if (critical && (culture != SourceCulture || publishUtc is null))
        {
            return WorkflowResult.Bad("Only a scheduled publish of the English source can be marked critical.");
        }

        var variant = await FindAsync(slug, culture, audience, ct);
        if (variant is null)
        {
            return WorkflowResult.Bad("Save a draft of this page first.");
        }

        variant.ScheduledPublishUtc = publishUtc?.ToUniversalTime();
        variant.ScheduledUnpublishUtc = unpublishUtc?.ToUniversalTime();
        variant.ScheduledCritical = critical;
        var detail = $"publish {Describe(variant.ScheduledPublishUtc)}{(critical ? " (critical)" : "")}; unpublish {Describe(variant.ScheduledUnpublishUtc)}";
        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "schedule", "page:" + slug, culture, audience, variant.DraftVersionId ?? variant.PublishedVersionId, detail);
        await db.SaveChangesAsync(ct);
        return WorkflowResult.Ok("Schedule saved.");
    }

    /// <summary>Carries out every publish and unpublish that is due; returns how many were done.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        // Few variants are ever scheduled; the times are compared here so every database compares them the same way.
        var scheduled = await db.PageVariants
            .Where(v => v.ScheduledPublishUtc != null || v.ScheduledUnpublishUtc != null)
            .ToListAsync(ct);
        var done = 0;
        foreach (var variant in scheduled)
        {
            if (variant.ScheduledPublishUtc is { } publishAt && publishAt <= now)
            {
                variant.ScheduledPublishUtc = null;
                var critical = variant.ScheduledCritical;
                variant.ScheduledCritical = false;
                var result = await PublishAsync(variant, StaffActor.Scheduler, AuditTriggers.Scheduler, critical, ct);
                if (result.Status == StatusCodes.Status409Conflict)
                {
                    // Another node is publishing now; the next run picks up whatever is still due.
                    return done;
                }

                if (result.Succeeded)
                {
                    done++;
                }
                else
                {
                    Refused(variant, "scheduled-publish-refused", result.Message);
                    await db.SaveChangesAsync(ct);
                }
            }

            if (variant.ScheduledUnpublishUtc is { } unpublishAt && unpublishAt <= now)
            {
                variant.ScheduledUnpublishUtc = null;
                var result = IsProtected(variant.Culture, variant.Audience)
                    ? WorkflowResult.Bad("The English standard version of a page cannot be unpublished.")
                    : await UnpublishAsync(variant, StaffActor.Scheduler, AuditTriggers.Scheduler, ct);
                if (result.Status == StatusCodes.Status409Conflict)
                {
                    return done;
                }

                if (result.Succeeded)
                {
                    done++;
                }
                else
                {
                    Refused(variant, "scheduled-unpublish-refused", result.Message);
                    await db.SaveChangesAsync(ct);
                }
            }
        }

        return done;
    }

    private void Refused(PageVariant variant, string action, string message) =>
        audit.Add(StaffActor.Scheduler.Id, StaffActor.Scheduler.Name, AuditTriggers.Scheduler, action, "page:" + variant.Slug,
            variant.Culture, variant.Audience, variant.DraftVersionId ?? variant.PublishedVersionId, message);

    private async Task<WorkflowResult> PublishAsync(PageVariant variant, StaffActor actor, string trigger, bool critical, CancellationToken ct)
    {
        if (variant is not { State: VariantStates.Approved, DraftVersionId: { } draft })
        {
            return WorkflowResult.Bad("Only an approved draft can be published.");
        }

        variant.PublishedVersionId = draft;
        variant.PublishedUtc = clock.GetUtcNow();
        variant.DraftVersionId = null;
        variant.State = VariantStates.Published;
        variant.ScheduledPublishUtc = null;
        variant.ScheduledCritical = false;
        if (critical)
        {
            variant.CriticalVersionId = draft;
        }

        audit.Add(actor.Id, actor.Name, trigger, "publish", "page:" + variant.Slug, variant.Culture, variant.Audience, draft,
            critical ? "critical change: translations that have not caught up are withdrawn" : null);
        return await SaveAndRefreshAsync("Published.", draft, ct);
    }

    private async Task<WorkflowResult> UnpublishAsync(PageVariant variant, StaffActor actor, string trigger, CancellationToken ct)
    {
        if (variant.PublishedVersionId is not { } published)
        {
            return WorkflowResult.Bad("This page is not published.");
        }

        variant.PublishedVersionId = null;
        variant.PublishedUtc = null;
        variant.ScheduledUnpublishUtc = null;
        if (variant.DraftVersionId is null)
        {
            // The text taken down stays in the editor, to be worked on and published again.
            variant.DraftVersionId = published;
            variant.State = VariantStates.Unpublished;
        }

        audit.Add(actor.Id, actor.Name, trigger, "unpublish", "page:" + variant.Slug, variant.Culture, variant.Audience, published);
        return await SaveAndRefreshAsync("Unpublished.", published, ct);
    }

    /// <summary>Saves the change with a bumped content revision (so every node reloads), then reloads this node at once.</summary>
    private async Task<WorkflowResult> SaveAndRefreshAsync(string message, long versionId, CancellationToken ct)
    {
        var revision = await db.Revisions.SingleOrDefaultAsync(r => r.Id == 1, ct);
        if (revision is null)
        {
            db.Revisions.Add(new ContentRevision { Revision = 1 });
        }
        else
        {
            revision.Revision++;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return WorkflowResult.Conflict("Someone else published at the same moment. Reload the page and try again.");
        }

        await content.ReloadAsync(ct);
        await ExportIfAskedAsync(ct);
        return WorkflowResult.Ok(message, versionId);
    }

    /// <summary>Keeps the content folders in step with what is published, when configured. A failure is logged, never undoes the publish.</summary>
    public async Task ExportIfAskedAsync(CancellationToken ct = default)
    {
        var files = portal.Value.Backoffice;
        if (!files.ExportOnPublish || string.IsNullOrWhiteSpace(files.ExportDirectory))
        {
            return;
        }

        try
        {
            var written = await ContentExport.ExportAsync(db, Path.GetFullPath(files.ExportDirectory), portal.Value.ResolvedTranslationsDirectory, ct);
            logger.LogInformation("Exported {Count} content files after publishing.", written.Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ContentException)
        {
            logger.LogError("Export after publishing failed: {Error}", e.GetType().Name + ": " + e.Message);
        }
    }

    private async Task<WorkflowResult> WriteVersionAsync(StaffActor actor, string slug, string culture, string audience,
        DraftInput input, string action, string? detail, TranslationBasis? basis, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var last = await db.PageVersions
            .Where(v => v.Slug == slug && v.Culture == culture && v.Audience == audience)
            .MaxAsync(v => (int?)v.Number, ct) ?? 0;
        var version = new PageVersion
        {
            Slug = slug,
            Culture = culture,
            Audience = audience,
            Number = last + 1,
            Title = input.Title.Trim(),
            NavTitle = Blank(input.NavTitle),
            Description = Blank(input.Description),
            Body = input.Body,
            TranslationState = culture == SourceCulture ? null : input.TranslationState,
            CreatedUtc = clock.GetUtcNow(),
            CreatedBy = actor.Id,
            MadeFrom = basis?.MadeFrom,
            SourceVersionId = basis?.SourceVersionId,
        };
        await Translation.TranslationTracking.StampAsync(db, version, SourceCulture, ct);
        db.PageVersions.Add(version);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return WorkflowResult.Conflict("Someone else saved this page at the same moment. Reload the page and try again.");
        }

        var variant = await FindAsync(slug, culture, audience, ct);
        if (variant is null)
        {
            variant = new PageVariant { Slug = slug, Culture = culture, Audience = audience };
            db.PageVariants.Add(variant);
        }

        variant.DraftVersionId = version.Id;
        variant.State = VariantStates.Draft;
        variant.LastEditedBy = actor.Id;
        variant.ApprovedBy = null;
        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, action, "page:" + slug, culture, audience, version.Id, detail ?? $"version {version.Number}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return WorkflowResult.Ok($"Saved as version {version.Number}.", version.Id);
    }

    private string? Validate(StaffActor actor, string culture, DraftInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Title))
        {
            return "Enter a title.";
        }

        if (input.Title.Length > MaxTitleLength || input.NavTitle?.Length > MaxTitleLength)
        {
            return $"Titles must be {MaxTitleLength} characters or fewer.";
        }

        if (input.Description?.Length > MaxDescriptionLength)
        {
            return $"The description must be {MaxDescriptionLength} characters or fewer.";
        }

        if (string.IsNullOrWhiteSpace(input.Body))
        {
            return "Enter the text of the page.";
        }

        if (input.Body.Length > MaxBodyLength)
        {
            return $"The text must be {MaxBodyLength} characters or fewer.";
        }

        if (culture != SourceCulture && (input.TranslationState is null || !ContentImport.TranslationStates.Contains(input.TranslationState)))
        {
            return "Choose a translation state: " + string.Join(", ", ContentImport.TranslationStates) + ".";
        }

        if (input.TranslationState == Translation.TranslationStates.Reviewed && !CanReview(actor, culture))
        {
            return "Only a reviewer of this language can mark a translation reviewed: send it for review instead.";
        }

        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Describe(DateTimeOffset? at) =>
        at?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}

/// <summary>Date-times as staff type them: UK local time, stored as UTC.</summary>
public static class LondonTime
{
    public const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>Parses "2026-12-01T09:00" (seconds allowed); empty is null. Returns an error sentence for anything else.</summary>
    public static string? TryParse(string? text, out DateTimeOffset? utc)
    {
        utc = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"];
        if (!DateTime.TryParseExact(text.Trim(), formats, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var local))
        {
            return "Enter the date and time like 2026-12-01T09:00 (UK time).";
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            return "That time does not exist in the UK (the clocks go forward then). Choose another.";
        }

        utc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Zone), TimeSpan.Zero);
        return null;
    }

    public static string Format(DateTimeOffset? utc) =>
        utc is { } u ? TimeZoneInfo.ConvertTime(u, Zone).ToString(InputFormat, System.Globalization.CultureInfo.InvariantCulture) : "";
}

namespace Portal.Web.Content;

/// <summary>Page audiences. Every page has a standard variant; some also have an easy-read one.</summary>
public static class Audiences
{
    public const string Standard = "standard";
    public const string EasyRead = "easy-read";

    public static readonly IReadOnlyList<string> All = [Standard, EasyRead];
}

/// <summary>Page layouts the public site knows how to render.</summary>
public static class Layouts
{
    public const string Home = "home";
    public const string Document = "document";
    public const string Helplines = "helplines";

    public static readonly IReadOnlyList<string> All = [Home, Document, Helplines];
}

/// <summary>What every language of a page shares.</summary>
public sealed class PageDocument
{
    public required string Slug { get; set; }

    public required string Layout { get; set; }

    public int Order { get; set; }

    public bool Navigation { get; set; }

    public bool SafetyCritical { get; set; }

    public bool Toc { get; set; }
}

/// <summary>
/// One saved text of a page variant. A version is never changed after it is written: editing
/// makes a new version, publishing points the variant at one.
/// </summary>
public sealed class PageVersion
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public required string Culture { get; set; }

    public required string Audience { get; set; }

    public int Number { get; set; }

    public required string Title { get; set; }

    public string? NavTitle { get; set; }

    public string? Description { get; set; }

    public required string Body { get; set; }

    /// <summary>For translations: missing, machine-draft, translated, reviewed. Null for the source language.</summary>
    public string? TranslationState { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    /// <summary>Who made it: a staff user id, or "import".</summary>
    public required string CreatedBy { get; set; }

    /// <summary>Source-language versions: the paragraph blocks' ids and hashes (JSON), for tracking translations.</summary>
    public string? Blocks { get; set; }

    /// <summary>
    /// Translations: the source blocks this text was made from, in the order of the translation's own
    /// blocks (JSON array of id and hash); a block whose hash has changed since is stale.
    /// </summary>
    public string? MadeFrom { get; set; }

    /// <summary>Translations: the source-language version this text was translated from.</summary>
    public long? SourceVersionId { get; set; }
}

/// <summary>A (page, culture, audience) and the version the public sees.</summary>
public sealed class PageVariant
{
    public required string Slug { get; set; }

    public required string Culture { get; set; }

    public required string Audience { get; set; }

    public long? PublishedVersionId { get; set; }

    public DateTimeOffset? PublishedUtc { get; set; }

    /// <summary>The version being worked on, when it differs from the published one.</summary>
    public long? DraftVersionId { get; set; }

    /// <summary>One of <see cref="VariantStates"/>.</summary>
    public string State { get; set; } = VariantStates.Published;

    /// <summary>The staff user id of whoever saved the current draft.</summary>
    public string? LastEditedBy { get; set; }

    /// <summary>The staff user id of whoever approved the current draft.</summary>
    public string? ApprovedBy { get; set; }

    public DateTimeOffset? ScheduledPublishUtc { get; set; }

    public DateTimeOffset? ScheduledUnpublishUtc { get; set; }

    /// <summary>Whether the scheduled publish is a critical change (source language only).</summary>
    public bool ScheduledCritical { get; set; }

    /// <summary>
    /// Source language: the newest version published as a critical change. Translations made from an
    /// older source and not yet caught up are withdrawn from the public site until they are.
    /// </summary>
    public long? CriticalVersionId { get; set; }

    /// <summary>Translations: the version a reviewer of the language (or a publisher) approved.</summary>
    public long? ReviewedVersionId { get; set; }
}

/// <summary>Where a page variant is in the editorial workflow.</summary>
public static class VariantStates
{
    public const string Published = "published";
    public const string Draft = "draft";
    public const string InReview = "in-review";
    public const string Approved = "approved";
    /// <summary>Taken off the public site, with no draft in progress.</summary>
    public const string Unpublished = "unpublished";
}

public sealed class Helpline
{
    public required string Id { get; set; }

    public int Order { get; set; }

    public string? Phone { get; set; }

    public string? Text { get; set; }

    public string? Email { get; set; }

    public string? Chat { get; set; }

    public string? Web { get; set; }

    public bool AlwaysOpen { get; set; }

    /// <summary>"open" or "closed": whether the usual hours apply on bank holidays.</summary>
    public required string BankHolidays { get; set; }

    /// <summary>Audience ids, comma-separated in file order.</summary>
    public required string Audiences { get; set; }

    /// <summary>Opening hours in the compact form of <see cref="Helplines.WeeklyHours"/>.</summary>
    public string Hours { get; set; } = "";
}

/// <summary>A helpline's words in one language; the English text is the source.</summary>
public sealed class HelplineText
{
    public required string HelplineId { get; set; }

    public required string Culture { get; set; }

    public required string Name { get; set; }

    public required string Description { get; set; }

    public string? HoursNote { get; set; }

    public string? TranslationState { get; set; }
}

public sealed class SiteLanguageRow
{
    public required string Tag { get; set; }

    public int Order { get; set; }

    public required string Name { get; set; }

    public required string Dir { get; set; }

    /// <summary>Fallback cultures, comma-separated, most preferred first.</summary>
    public string Fallback { get; set; } = "";
}

/// <summary>The single row of site-wide settings (from <c>content/site.yaml</c>).</summary>
public sealed class SiteSettingsRow
{
    public int Id { get; set; } = 1;

    public required string DefaultLanguage { get; set; }

    public required string OrganisationName { get; set; }

    public string? OrganisationPhone { get; set; }

    public string? OrganisationEmail { get; set; }

    public string? OrganisationAddress { get; set; }

    public required string QuickExitUrl { get; set; }

    public bool DiscreetEnabled { get; set; }

    public required string DiscreetName { get; set; }

    public int ResponseWorkingDays { get; set; } = 1;
}

public sealed class BankHoliday
{
    public DateOnly Date { get; set; }

    public required string Name { get; set; }
}

public sealed class Picture
{
    public required string Name { get; set; }

    public required string Svg { get; set; }
}

/// <summary>A counter bumped whenever published content changes, so every node can notice.</summary>
public sealed class ContentRevision
{
    public int Id { get; set; } = 1;

    public long Revision { get; set; }
}

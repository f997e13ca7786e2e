using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Backoffice;

/// <summary>A member of staff who signs in to the back office.</summary>
public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>For translators and reviewers: the languages they work in, comma-separated tags (e.g. "pl,ro").</summary>
    public string Languages { get; set; } = "";

    public DateTimeOffset CreatedUtc { get; set; }

    public IReadOnlyList<string> LanguageList =>
        Languages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Back-office roles. Every page and action checks them on the server.</summary>
public static class StaffRoles
{
    /// <summary>Users and settings.</summary>
    public const string Administrator = "Administrator";

    /// <summary>Approves and publishes.</summary>
    public const string Publisher = "Publisher";

    /// <summary>Writes drafts in any language.</summary>
    public const string Editor = "Editor";

    /// <summary>Writes drafts in the languages assigned to them only.</summary>
    public const string Translator = "Translator";

    /// <summary>Reviews, approves and publishes translations in the languages assigned to them only.</summary>
    public const string Reviewer = "Reviewer";

    public static readonly IReadOnlyList<string> All = [Administrator, Publisher, Editor, Translator, Reviewer];

    /// <summary>Roles that work in assigned languages only, and so need at least one.</summary>
    public static readonly IReadOnlyList<string> PerLanguage = [Translator, Reviewer];
}

/// <summary>Authorization policies, by what a person is about to do.</summary>
public static class StaffPolicies
{
    /// <summary>Signed in with both factors, any role.</summary>
    public const string Staff = "staff";

    /// <summary>Signed in with a password only, to enrol an authenticator app first.</summary>
    public const string Enrolling = "enrolling";

    public const string Administer = "administer";

    public const string Publish = "publish";

    /// <summary>Editors, publishers, translators and reviewers (the last two further limited to their languages).</summary>
    public const string Edit = "edit";

    public const string ViewAudit = "view-audit";
}

/// <summary>Claims the back office adds to a session.</summary>
public static class StaffClaims
{
    /// <summary>"mfa" once the second factor is verified; "pwd" while enrolling.</summary>
    public const string Strength = "daportal:amr";

    /// <summary>When the person signed in (unix seconds): sessions end 12 hours after, however active.</summary>
    public const string SignedInAt = "daportal:signed-in-at";
}

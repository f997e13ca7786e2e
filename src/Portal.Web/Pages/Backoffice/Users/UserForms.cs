using Microsoft.AspNetCore.Http;
using Portal.Web.Backoffice;

namespace Portal.Web.Pages.Backoffice.Users;

/// <summary>Roles and languages as the user forms send them.</summary>
internal static class UserForms
{
    public static List<string> Roles(IFormCollection form) =>
        StaffRoles.All.Where(r => form["roles"].Contains(r)).ToList();

    /// <summary>Language tags known to the site, in site order; unknown ones are reported.</summary>
    public static List<string> Languages(IFormCollection form, IReadOnlyList<string> known, IList<(string Field, string Message)> errors)
    {
        var chosen = form["languages"].Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!.Trim()).ToList();
        if (chosen.Any(c => !known.Contains(c, StringComparer.Ordinal)))
        {
            errors.Add(("languages", "Choose languages from the list only."));
        }

        return known.Where(chosen.Contains).ToList();
    }

    public static bool IsDisabled(StaffUser user) => user.LockoutEnd is { } end && end.Year >= 9999;
}

public sealed record RolesAndLanguagesView(
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Chosen,
    IReadOnlyList<Portal.Web.Content.SiteLanguageRow> Languages,
    string? RolesError,
    string? LanguagesError);

using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Localization;

namespace Portal.Web.Pages.Backoffice.Strings;

/// <summary>Who may open and save the interface strings of a language.</summary>
public static class StringAccess
{
    /// <summary>
    /// Translators and reviewers in their own languages, publishers and administrators in all;
    /// the English wording (the source language) only publishers and administrators.
    /// </summary>
    public static bool MayWorkOn(StaffActor actor, string culture, string sourceCulture)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return string.Equals(culture, sourceCulture, StringComparison.OrdinalIgnoreCase)
            ? actor.IsPublisher
            : actor.IsPublisher || actor.WorksIn(culture);
    }

    /// <summary>
    /// Whether the report at <c>/backoffice/strings</c> has anything this person may work on, as the
    /// page itself decides: the English wording, or at least one of the site's other languages.
    /// </summary>
    public static bool MayOpen(StaffActor actor, IEnumerable<string> siteCultures, string sourceCulture)
    {
        ArgumentNullException.ThrowIfNull(siteCultures);
        return MayWorkOn(actor, sourceCulture, sourceCulture)
            || siteCultures.Any(c => !string.Equals(c, sourceCulture, StringComparison.OrdinalIgnoreCase) && MayWorkOn(actor, c, sourceCulture));
    }

    /// <summary>
    /// The same decision for the back-office navigation: the page's policy (<see cref="StaffPolicies.Edit"/>)
    /// and then <see cref="MayOpen"/>. Loads the account only for translators and reviewers, whose
    /// answer depends on their languages.
    /// </summary>
    public static async Task<bool> MayOpenAsync(IAuthorizationService authorization, UserManager<StaffUser> users, ClaimsPrincipal user, SiteSnapshot site)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(site);
        if (!(await authorization.AuthorizeAsync(user, StaffPolicies.Edit)).Succeeded)
        {
            return false;
        }

        if (user.IsInRole(StaffRoles.Publisher) || user.IsInRole(StaffRoles.Administrator))
        {
            return true;
        }

        if (!StaffRoles.PerLanguage.Any(user.IsInRole))
        {
            return false;
        }

        var actor = await StaffActor.LoadAsync(users, user);
        return actor is not null && MayOpen(actor, site.Languages.Select(l => l.Tag), site.Settings.DefaultLanguage);
    }

    public static string TagClass(string state) => state switch
    {
        UiStringStates.Translated => "app-bo-tag app-bo-tag--approved",
        UiStringStates.Fuzzy => "app-bo-tag app-bo-tag--stale",
        _ => "app-bo-tag app-bo-tag--draft",
    };
}

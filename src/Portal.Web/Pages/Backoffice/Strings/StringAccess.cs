using Portal.Web.Backoffice;
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

    public static string TagClass(string state) => state switch
    {
        UiStringStates.Translated => "app-bo-tag app-bo-tag--approved",
        UiStringStates.Fuzzy => "app-bo-tag app-bo-tag--stale",
        _ => "app-bo-tag app-bo-tag--draft",
    };
}

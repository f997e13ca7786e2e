using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice.Pages;

public sealed record VersionRow(PageVersion Version, string Author);

/// <summary>Every saved version of a page variant, the difference between any two, and rollback.</summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class HistoryModel(PortalDb db, PageWorkflow workflow, UserManager<StaffUser> users) : PageModel
{
    public string Slug { get; private set; } = "";

    public string Culture { get; private set; } = "";

    public string Audience { get; private set; } = "";

    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];

    public PageVariant? Variant { get; private set; }

    public PageVersion? From { get; private set; }

    public PageVersion? To { get; private set; }

    public IReadOnlyList<DiffLine>? Diff { get; private set; }

    public bool CanEdit { get; private set; }

    public string? Message { get; private set; }

    public bool IsError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string culture, string audience, [FromQuery] string? from, [FromQuery] string? to)
    {
        var refused = await LoadAsync(slug, culture, audience);
        if (refused is not null)
        {
            return refused;
        }

        if (from is null && to is null)
        {
            return Page();
        }

        if (!int.TryParse(from, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var f)
            || !int.TryParse(to, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t))
        {
            return Refuse("Choose two versions to compare.");
        }

        From = Versions.FirstOrDefault(v => v.Version.Number == f)?.Version;
        To = Versions.FirstOrDefault(v => v.Version.Number == t)?.Version;
        if (From is null || To is null)
        {
            return Refuse("There is no such version of this page.");
        }

        Diff = LineDiff.Compare(Header(From) + From.Body, Header(To) + To.Body);
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
        if (!int.TryParse(form["version"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return Refuse("Choose a version to go back to.");
        }

        var actor = (await StaffActor.LoadAsync(users, User))!;
        var result = await workflow.RollbackAsync(actor, slug, culture, audience, number, HttpContext.RequestAborted);
        await LoadAsync(slug, culture, audience);
        Message = result.Succeeded ? $"Version {number} is now the draft, saved as a new version." : result.Message;
        IsError = !result.Succeeded;
        Response.StatusCode = result.Status;
        return Page();
    }

    private static string Header(PageVersion v) =>
        $"title: {v.Title}\nnav_title: {v.NavTitle}\ndescription: {v.Description}\n" + (v.TranslationState is null ? "" : $"state: {v.TranslationState}\n") + "---\n";

    private PageResult Refuse(string message)
    {
        Message = message;
        IsError = true;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string slug, string culture, string audience)
    {
        if (!workflow.Exists(slug, culture, audience))
        {
            return NotFound();
        }

        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null || !workflow.CanView(actor, culture))
        {
            return Forbid();
        }

        Slug = slug;
        Culture = culture;
        Audience = audience;
        CanEdit = workflow.CanEdit(actor, culture);
        var ct = HttpContext.RequestAborted;
        Variant = await db.PageVariants.AsNoTracking().SingleOrDefaultAsync(v => v.Slug == slug && v.Culture == culture && v.Audience == audience, ct);
        var versions = await db.PageVersions.AsNoTracking()
            .Where(v => v.Slug == slug && v.Culture == culture && v.Audience == audience)
            .OrderByDescending(v => v.Number)
            .ToListAsync(ct);
        var authorIds = versions.Select(v => v.CreatedBy).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, ct);
        Versions = versions.Select(v => new VersionRow(v, names.TryGetValue(v.CreatedBy, out var n) ? n : v.CreatedBy)).ToList();
        return null;
    }
}

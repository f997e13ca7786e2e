using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice.Helplines;

[Authorize(Policy = StaffPolicies.Edit)]
public sealed class HelplineListModel(PortalDb db) : BackofficePageModel
{
    public sealed record Row(string Id, string Name, string? Phone, string Hours, bool AlwaysOpen, int Translations);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var source = await db.Settings.AsNoTracking().Select(s => s.DefaultLanguage).SingleAsync(HttpContext.RequestAborted);
        var helplines = await db.Helplines.AsNoTracking().OrderBy(h => h.Order).ThenBy(h => h.Id).ToListAsync(HttpContext.RequestAborted);
        var texts = await db.HelplineTexts.AsNoTracking().ToListAsync(HttpContext.RequestAborted);
        Rows = helplines.Select(h => new Row(
            h.Id,
            texts.FirstOrDefault(t => t.HelplineId == h.Id && t.Culture == source)?.Name ?? h.Id,
            h.Phone,
            h.Hours,
            h.AlwaysOpen,
            texts.Count(t => t.HelplineId == h.Id && t.Culture != source))).ToList();
    }
}

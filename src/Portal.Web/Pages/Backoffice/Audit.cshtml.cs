using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Helplines;

namespace Portal.Web.Pages.Backoffice;

/// <summary>
/// The audit log, newest first, filtered by query string. Read only: there is no handler that
/// changes an entry, and anything but GET is refused.
/// </summary>
[Authorize(Policy = StaffPolicies.ViewAudit)]
public sealed class AuditModel(PortalDb db) : PageModel
{
    public const int PageSize = 50;

    public sealed record Filter(string Actor, string Action, string Target, string Culture, string From, string To);

    public Filter Query { get; private set; } = new("", "", "", "", "", "");

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public IReadOnlyList<SiteLanguageRow> Languages { get; private set; } = [];

    public int PageNumber { get; private set; } = 1;

    public bool HasNext { get; private set; }

    public IList<string> Errors { get; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method))
        {
            context.HttpContext.Response.Headers.Allow = "GET, HEAD";
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return;
        }

        await next();
    }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        string Param(string name) => Request.Query[name].FirstOrDefault()?.Trim() ?? "";
        Query = new Filter(Param("actor"), Param("action"), Param("target"), Param("culture"), Param("from"), Param("to"));
        if (int.TryParse(Param("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is > 0 and < 1_000_000)
        {
            PageNumber = page;
        }

        Languages = await db.Languages.AsNoTracking().OrderBy(l => l.Order).ToListAsync(ct);
        Actions = await db.Audit.AsNoTracking().Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);

        var from = ParseDate(Query.From, "from");
        var to = ParseDate(Query.To, "to");
        var fromUtc = from is { } f ? LondonMidnightUtc(f) : (DateTimeOffset?)null;
        var toUtc = to is { } t ? LondonMidnightUtc(t.AddDays(1)) : (DateTimeOffset?)null;

        IQueryable<AuditEntry> entries = db.Audit.AsNoTracking();
        if (db.Database.IsSqlite() && (fromUtc is not null || toUtc is not null))
        {
            // SQLite keeps these instants as text in one UTC format, which sorts as time does.
            entries = db.Audit.FromSqlRaw(
                "SELECT * FROM audit_log WHERE \"AtUtc\" >= {0} AND \"AtUtc\" < {1}",
                fromUtc is { } a ? SqliteInstant(a) : "0000",
                toUtc is { } b ? SqliteInstant(b) : "9999").AsNoTracking();
        }
        else
        {
            if (fromUtc is { } a)
            {
                entries = entries.Where(e => e.AtUtc >= a);
            }

            if (toUtc is { } b)
            {
                entries = entries.Where(e => e.AtUtc < b);
            }
        }

        if (Query.Actor.Length > 0)
        {
            var actor = Query.Actor.ToLowerInvariant();
            entries = entries.Where(e => e.ActorName.ToLower().Contains(actor));
        }

        if (Query.Action.Length > 0)
        {
            entries = entries.Where(e => e.Action == Query.Action);
        }

        if (Query.Target.Length > 0)
        {
            var target = Query.Target.ToLowerInvariant();
            entries = entries.Where(e => e.Target != null && e.Target.ToLower().Contains(target));
        }

        if (Query.Culture.Length > 0)
        {
            entries = entries.Where(e => e.Culture == Query.Culture);
        }

        var list = await entries.OrderByDescending(e => e.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        HasNext = list.Count > PageSize;
        Entries = list.Take(PageSize).ToList();
    }

    public static string London(DateTimeOffset instant) =>
        Opening.ToLondon(instant).ToString("d MMM yyyy HH:mm:ss", CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>A link to another page of the same results.</summary>
    public string PageLink(int page)
    {
        var parts = new List<string>();
        void Add(string name, string value)
        {
            if (value.Length > 0)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("actor", Query.Actor);
        Add("action", Query.Action);
        Add("target", Query.Target);
        Add("culture", Query.Culture);
        Add("from", Query.From);
        Add("to", Query.To);
        Add("page", page.ToString(CultureInfo.InvariantCulture));
        return "/backoffice/audit?" + string.Join("&", parts);
    }

    private DateOnly? ParseDate(string text, string name)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Errors.Add($"The \u201c{name}\u201d date must look like 2026-11-24.");
        return null;
    }

    private static DateTimeOffset LondonMidnightUtc(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Opening.London.GetUtcOffset(local)).ToUniversalTime();
    }

    private static string SqliteInstant(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}

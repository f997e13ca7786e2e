using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Helplines;

namespace Portal.Web.Pages.Backoffice.Helplines;

/// <summary>
/// One helpline: the data every language shares (publishers and administrators only, as a wrong
/// number or wrong hours could leave someone without help) and links to its text in each language.
/// </summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class HelplineEditModel(PortalDb db, AuditLog audit, SiteContent site, UserManager<StaffUser> users) : BackofficePageModel
{
    public sealed class SharedForm
    {
        public string Phone { get; set; } = "";
        public string Text { get; set; } = "";
        public string Email { get; set; } = "";
        public string Chat { get; set; } = "";
        public string Web { get; set; } = "";
        public bool AlwaysOpen { get; set; }
        public string BankHolidays { get; set; } = "open";
        public IReadOnlyList<string> Audiences { get; set; } = [];
        public string Hours { get; set; } = "";
    }

    public sealed record LanguageRow(string Tag, string Name, string Dir, string? TextName, string? State, bool MayEdit);

    public string Id { get; private set; } = "";

    public string Name { get; private set; } = "";

    public bool MayChangeData { get; private set; }

    public SharedForm Values { get; private set; } = new();

    public IReadOnlyList<LanguageRow> Languages { get; private set; } = [];

    public IList<(string Field, string Message)> Errors { get; } = [];

    public bool Saved { get; private set; }

    public static IReadOnlyList<string> KnownAudiences => ContentImport.HelplineAudiences;

    public async Task<IActionResult> OnGetAsync(string id, string? saved)
    {
        var helpline = await db.Helplines.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, HttpContext.RequestAborted);
        if (helpline is null)
        {
            return NotFound();
        }

        Saved = saved == "1";
        Values = FromEntity(helpline);
        await LoadAsync(helpline.Id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null || !actor.MayChangeHelplineData)
        {
            return Forbid();
        }

        var helpline = await db.Helplines.SingleOrDefaultAsync(h => h.Id == id, ct);
        if (helpline is null)
        {
            return NotFound();
        }

        var form = await Request.ReadFormAsync(ct);
        Values = new SharedForm
        {
            Phone = form["phone"].FirstOrDefault()?.Trim() ?? "",
            Text = form["text"].FirstOrDefault()?.Trim() ?? "",
            Email = form["email"].FirstOrDefault()?.Trim() ?? "",
            Chat = form["chat"].FirstOrDefault()?.Trim() ?? "",
            Web = form["web"].FirstOrDefault()?.Trim() ?? "",
            AlwaysOpen = form["alwaysOpen"].Contains("true"),
            BankHolidays = form["bankHolidays"].FirstOrDefault() ?? "",
            Audiences = form["audiences"].Where(a => a is not null).Select(a => a!).Distinct(StringComparer.Ordinal).ToList(),
            Hours = form["hours"].FirstOrDefault() ?? "",
        };

        var hours = Validate(Values, Errors);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(helpline.Id);
            return Page();
        }

        var before = FromEntity(helpline);
        helpline.Phone = BackofficeEdits.Optional(Values.Phone);
        helpline.Text = BackofficeEdits.Optional(Values.Text);
        helpline.Email = BackofficeEdits.Optional(Values.Email);
        helpline.Chat = BackofficeEdits.Optional(Values.Chat);
        helpline.Web = BackofficeEdits.Optional(Values.Web);
        helpline.AlwaysOpen = Values.AlwaysOpen;
        helpline.BankHolidays = Values.BankHolidays;
        // Audiences keep the order of the known list.
        helpline.Audiences = string.Join(',', KnownAudiences.Where(Values.Audiences.Contains));
        helpline.Hours = hours;

        var after = FromEntity(helpline);
        var changed = Changed(before, after);
        if (changed.Count == 0)
        {
            return Redirect($"/backoffice/helplines/{helpline.Id}?saved=1");
        }

        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "edit-helpline", "helpline:" + helpline.Id,
            detail: "Changed " + string.Join(", ", changed.Select(c => c.Field + ": " + c.Before + " → " + c.After)));
        await BackofficeEdits.BumpRevisionAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await site.ReloadAsync(ct);
        return Redirect($"/backoffice/helplines/{helpline.Id}?saved=1");
    }

    private static SharedForm FromEntity(Helpline h) => new()
    {
        Phone = h.Phone ?? "",
        Text = h.Text ?? "",
        Email = h.Email ?? "",
        Chat = h.Chat ?? "",
        Web = h.Web ?? "",
        AlwaysOpen = h.AlwaysOpen,
        BankHolidays = h.BankHolidays,
        Audiences = h.Audiences.Split(',', StringSplitOptions.RemoveEmptyEntries),
        Hours = h.Hours.Replace(";", "\n", StringComparison.Ordinal),
    };

    private static List<(string Field, string Before, string After)> Changed(SharedForm a, SharedForm b)
    {
        static string Show(string v) => v.Length == 0 ? "(none)" : v;
        var list = new List<(string, string, string)>();
        void Compare(string field, string x, string y)
        {
            if (!string.Equals(x, y, StringComparison.Ordinal))
            {
                list.Add((field, Show(x), Show(y)));
            }
        }

        Compare("phone", a.Phone, b.Phone);
        Compare("text", a.Text, b.Text);
        Compare("email", a.Email, b.Email);
        Compare("chat", a.Chat, b.Chat);
        Compare("web", a.Web, b.Web);
        Compare("always-open", a.AlwaysOpen ? "yes" : "no", b.AlwaysOpen ? "yes" : "no");
        Compare("bank-holidays", a.BankHolidays, b.BankHolidays);
        Compare("audiences", string.Join(",", a.Audiences), string.Join(",", b.Audiences));
        Compare("hours", a.Hours.Replace("\n", ";", StringComparison.Ordinal), b.Hours.Replace("\n", ";", StringComparison.Ordinal));
        return list;
    }

    /// <summary>Checks the form and returns the hours in their compact form.</summary>
    private static string Validate(SharedForm v, IList<(string Field, string Message)> errors)
    {
        if (v.Phone.Length > 0 && !BackofficeEdits.IsPhone(v.Phone))
        {
            errors.Add(("phone", "Enter the phone number using digits and spaces only, with an optional + at the start."));
        }

        if (v.Text.Length > 0 && !BackofficeEdits.IsPhone(v.Text))
        {
            errors.Add(("text", "Enter the text number using digits and spaces only, with an optional + at the start."));
        }

        if (v.Email.Length > 0 && !BackofficeEdits.IsEmail(v.Email))
        {
            errors.Add(("email", "Enter an email address like name@example.org."));
        }

        if (v.Chat.Length > 0 && !BackofficeEdits.IsHttpsUrl(v.Chat, out _))
        {
            errors.Add(("chat", "Enter the web chat address as a full https:// address."));
        }

        if (v.Web.Length > 0 && !BackofficeEdits.IsHttpsUrl(v.Web, out _))
        {
            errors.Add(("web", "Enter the website as a full https:// address."));
        }

        if (v.Phone.Length == 0 && v.Text.Length == 0 && v.Email.Length == 0 && v.Chat.Length == 0 && v.Web.Length == 0)
        {
            errors.Add(("phone", "Enter at least one way to contact the helpline."));
        }

        if (v.BankHolidays is not ("open" or "closed"))
        {
            errors.Add(("bankHolidays", "Choose whether the usual hours apply on bank holidays."));
        }

        if (v.Audiences.Count == 0)
        {
            errors.Add(("audiences", "Choose at least one group the helpline is for."));
        }
        else if (v.Audiences.Any(a => !KnownAudiences.Contains(a)))
        {
            errors.Add(("audiences", "Choose groups from the list only."));
        }

        var parts = v.Hours.Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var periods = new List<OpeningPeriod>();
        foreach (var part in parts)
        {
            try
            {
                var normalised = string.Join(' ', part.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                var parsed = WeeklyHours.Parse(normalised);
                periods.AddRange(parsed);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                errors.Add(("hours", $"Opening hours line \u201c{part}\u201d is not right: " + (e is FormatException ? e.Message : "write days, a space, then a time range, like mon,tue 09:00-17:00.")));
            }
        }

        if (!v.AlwaysOpen && parts.Length == 0 && (v.Phone.Length > 0 || v.Text.Length > 0 || v.Chat.Length > 0))
        {
            errors.Add(("hours", "Enter the opening hours, or tick \u201cAlways open\u201d."));
        }

        return WeeklyHours.Format(periods);
    }

    private async Task LoadAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        var actor = await StaffActor.LoadAsync(users, User);
        MayChangeData = actor?.MayChangeHelplineData == true;
        Id = id;
        var languages = await db.Languages.AsNoTracking().OrderBy(l => l.Order).ToListAsync(ct);
        var texts = await db.HelplineTexts.AsNoTracking().Where(t => t.HelplineId == id).ToListAsync(ct);
        var source = await db.Settings.AsNoTracking().Select(s => s.DefaultLanguage).SingleAsync(ct);
        Name = texts.FirstOrDefault(t => t.Culture == source)?.Name ?? id;
        Languages = languages.Select(l =>
        {
            var text = texts.FirstOrDefault(t => t.Culture == l.Tag);
            return new LanguageRow(l.Tag, l.Name, l.Dir, text?.Name, text is null ? "missing" : text.TranslationState ?? "source",
                actor is not null && actor.MayEditLanguage(l.Tag));
        }).ToList();
    }
}

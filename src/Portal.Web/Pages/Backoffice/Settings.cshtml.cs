using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Intake.Delivery;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice;

/// <summary>Site-wide settings, and delivery counts (never the requests themselves).</summary>
[Authorize(Policy = StaffPolicies.Administer)]
public sealed class SettingsModel(PortalDb db, AuditLog audit, SiteContent site, UserManager<StaffUser> users, OutboxStore outbox, IOptions<PortalOptions> options) : BackofficePageModel
{
    public sealed class Values
    {
        public string OrganisationName { get; set; } = "";
        public string Phone { get; set; } = "";
        public string Email { get; set; } = "";
        public string Address { get; set; } = "";
        public string QuickExitUrl { get; set; } = "";
        public bool DiscreetEnabled { get; set; }
        public string DiscreetName { get; set; } = "";
        public string ResponseWorkingDays { get; set; } = "";
    }

    public Values Form { get; private set; } = new();

    public DeliveryStatus? Delivery { get; private set; }

    public IList<(string Field, string Message)> Errors { get; } = [];

    public bool Saved { get; private set; }

    public async Task OnGetAsync(string? saved)
    {
        Saved = saved == "1";
        Form = From(await db.Settings.AsNoTracking().SingleAsync(HttpContext.RequestAborted));
        Delivery = await outbox.StatusAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        var form = await Request.ReadFormAsync(ct);
        string Field(string name) => form[name].FirstOrDefault()?.Trim() ?? "";
        Form = new Values
        {
            OrganisationName = Field("organisationName"),
            Phone = Field("phone"),
            Email = Field("email"),
            Address = Field("address"),
            QuickExitUrl = Field("quickExitUrl"),
            DiscreetEnabled = form["discreetEnabled"].Contains("true"),
            DiscreetName = Field("discreetName"),
            ResponseWorkingDays = Field("responseWorkingDays"),
        };

        var days = Validate();
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Delivery = await outbox.StatusAsync(ct);
            return Page();
        }

        var row = await db.Settings.SingleAsync(ct);
        var changed = new List<string>();
        void Set<T>(string name, T current, T value, Action<T> apply)
        {
            if (!EqualityComparer<T>.Default.Equals(current, value))
            {
                changed.Add(name);
                apply(value);
            }
        }

        Set("organisation name", row.OrganisationName, Form.OrganisationName, v => row.OrganisationName = v);
        Set("phone", row.OrganisationPhone, BackofficeEdits.Optional(Form.Phone), v => row.OrganisationPhone = v);
        Set("email", row.OrganisationEmail, BackofficeEdits.Optional(Form.Email), v => row.OrganisationEmail = v);
        Set("address", row.OrganisationAddress, BackofficeEdits.Optional(Form.Address), v => row.OrganisationAddress = v);
        Set("quick exit address", row.QuickExitUrl, Form.QuickExitUrl, v => row.QuickExitUrl = v);
        Set("discreet mode", row.DiscreetEnabled, Form.DiscreetEnabled, v => row.DiscreetEnabled = v);
        Set("discreet name", row.DiscreetName, Form.DiscreetName, v => row.DiscreetName = v);
        Set("response time", row.ResponseWorkingDays, days, v => row.ResponseWorkingDays = v);

        if (changed.Count > 0)
        {
            audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "edit-settings", "settings", detail: "Changed " + string.Join(", ", changed));
            await BackofficeEdits.BumpRevisionAsync(db, ct);
            await db.SaveChangesAsync(ct);
            await site.ReloadAsync(ct);
        }

        return Redirect("/backoffice/settings?saved=1");
    }

    private int Validate()
    {
        if (Form.OrganisationName.Length is 0 or > 200)
        {
            Errors.Add(("organisationName", "Enter the organisation's name (200 characters or fewer)."));
        }

        if (Form.Phone.Length > 0 && !BackofficeEdits.IsPhone(Form.Phone))
        {
            Errors.Add(("phone", "Enter the phone number using digits and spaces only, with an optional + at the start."));
        }

        if (Form.Email.Length > 0 && !BackofficeEdits.IsEmail(Form.Email))
        {
            Errors.Add(("email", "Enter an email address like name@example.org."));
        }

        if (Form.Address.Length > 500)
        {
            Errors.Add(("address", "The address must be 500 characters or fewer."));
        }

        if (!BackofficeEdits.IsHttpsUrl(Form.QuickExitUrl, out var exit))
        {
            Errors.Add(("quickExitUrl", "Enter the quick exit destination as a full https:// address, like https://www.bbc.co.uk/weather."));
        }
        else if (IsOwnHost(exit!.Host))
        {
            Errors.Add(("quickExitUrl", "The quick exit must leave this site: enter an address on another website."));
        }

        if (Form.DiscreetName.Length is 0 or > 100)
        {
            Errors.Add(("discreetName", "Enter the neutral name shown in discreet mode (100 characters or fewer)."));
        }

        if (!int.TryParse(Form.ResponseWorkingDays, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 10)
        {
            Errors.Add(("responseWorkingDays", "Enter a number of working days from 1 to 10."));
        }

        return days;
    }

    private bool IsOwnHost(string host)
    {
        var own = new List<string> { Request.Host.Host };
        if (Uri.TryCreate(options.Value.PublicBaseUrl, UriKind.Absolute, out var configured))
        {
            own.Add(configured.Host);
        }

        return own.Any(o => string.Equals(host, o, StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("." + o, StringComparison.OrdinalIgnoreCase));
    }

    private static Values From(SiteSettingsRow s) => new()
    {
        OrganisationName = s.OrganisationName,
        Phone = s.OrganisationPhone ?? "",
        Email = s.OrganisationEmail ?? "",
        Address = s.OrganisationAddress ?? "",
        QuickExitUrl = s.QuickExitUrl,
        DiscreetEnabled = s.DiscreetEnabled,
        DiscreetName = s.DiscreetName,
        ResponseWorkingDays = s.ResponseWorkingDays.ToString(CultureInfo.InvariantCulture),
    };
}

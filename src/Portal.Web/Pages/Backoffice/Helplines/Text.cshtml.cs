using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice.Helplines;

/// <summary>A helpline's words in one language. Translators may only open the languages assigned to them.</summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class HelplineTextModel(PortalDb db, AuditLog audit, SiteContent site, UserManager<StaffUser> users) : BackofficePageModel
{
    public static readonly IReadOnlyList<string> TranslationStates = ["missing", "machine-draft", "translated", "reviewed"];

    public string Id { get; private set; } = "";

    public string HelplineName { get; private set; } = "";

    public SiteLanguageRow Language { get; private set; } = null!;

    public bool IsSource { get; private set; }

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    public string HoursNote { get; private set; } = "";

    public string State { get; private set; } = "translated";

    public HelplineText? SourceText { get; private set; }

    public IList<(string Field, string Message)> Errors { get; } = [];

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string culture, string? saved)
    {
        var (result, text) = await PrepareAsync(id, culture);
        if (result is not null)
        {
            return result;
        }

        Saved = saved == "1";
        Name = text?.Name ?? "";
        Description = text?.Description ?? "";
        HoursNote = text?.HoursNote ?? "";
        State = text?.TranslationState ?? (IsSource ? "" : "missing");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string culture)
    {
        var ct = HttpContext.RequestAborted;
        var (result, text) = await PrepareAsync(id, culture);
        if (result is not null)
        {
            return result;
        }

        var actor = (await StaffActor.LoadAsync(users, User))!;
        var form = await Request.ReadFormAsync(ct);
        Name = form["name"].FirstOrDefault()?.Trim() ?? "";
        Description = form["description"].FirstOrDefault()?.Trim() ?? "";
        HoursNote = form["hoursNote"].FirstOrDefault()?.Trim() ?? "";
        State = IsSource ? "" : form["translationState"].FirstOrDefault() ?? "";

        if (Name.Length == 0)
        {
            Errors.Add(("name", "Enter the helpline's name."));
        }
        else if (Name.Length > 200)
        {
            Errors.Add(("name", "The name must be 200 characters or fewer."));
        }

        if (Description.Length == 0)
        {
            Errors.Add(("description", "Enter a description."));
        }
        else if (Description.Length > 2000)
        {
            Errors.Add(("description", "The description must be 2,000 characters or fewer."));
        }

        if (HoursNote.Length > 500)
        {
            Errors.Add(("hoursNote", "The note about hours must be 500 characters or fewer."));
        }

        if (!IsSource && !TranslationStates.Contains(State))
        {
            Errors.Add(("translationState", "Choose a translation state."));
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var changed = new List<string>();
        if (text is null)
        {
            text = new HelplineText { HelplineId = Id, Culture = Language.Tag, Name = Name, Description = Description };
            db.HelplineTexts.Add(text);
            changed.Add("created");
        }

        if (text.Name != Name) { changed.Add("name"); text.Name = Name; }
        if (text.Description != Description) { changed.Add("description"); text.Description = Description; }
        var note = BackofficeEdits.Optional(HoursNote);
        if (text.HoursNote != note) { changed.Add("hours note"); text.HoursNote = note; }
        var state = IsSource ? null : State;
        if (text.TranslationState != state) { changed.Add("translation state: " + (text.TranslationState ?? "none") + " → " + (state ?? "none")); text.TranslationState = state; }

        if (changed.Count > 0)
        {
            audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "edit-helpline-text", "helpline:" + Id, culture: Language.Tag,
                detail: "Changed " + string.Join(", ", changed));
            await BackofficeEdits.BumpRevisionAsync(db, ct);
            await db.SaveChangesAsync(ct);
            await site.ReloadAsync(ct);
        }

        return Redirect($"/backoffice/helplines/{Id}/text/{Language.Tag}?saved=1");
    }

    private async Task<(IActionResult? Result, HelplineText? Text)> PrepareAsync(string id, string culture)
    {
        var ct = HttpContext.RequestAborted;
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return (Forbid(), null);
        }

        var helpline = await db.Helplines.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, ct);
        var language = (await db.Languages.AsNoTracking().ToListAsync(ct)).FirstOrDefault(l => string.Equals(l.Tag, culture, StringComparison.OrdinalIgnoreCase));
        if (helpline is null || language is null)
        {
            return (NotFound(), null);
        }

        if (!actor.MayEditLanguage(language.Tag))
        {
            return (Forbid(), null);
        }

        Id = helpline.Id;
        Language = language;
        var source = await db.Settings.AsNoTracking().Select(s => s.DefaultLanguage).SingleAsync(ct);
        IsSource = language.Tag == source;
        var texts = await db.HelplineTexts.Where(t => t.HelplineId == id).ToListAsync(ct);
        SourceText = texts.FirstOrDefault(t => t.Culture == source);
        HelplineName = SourceText?.Name ?? id;
        return (null, texts.FirstOrDefault(t => t.Culture == language.Tag));
    }
}

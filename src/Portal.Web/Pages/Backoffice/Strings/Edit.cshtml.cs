using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Localization;

namespace Portal.Web.Pages.Backoffice.Strings;

/// <summary>One input of the form: a plural form (or the only form) with the numbers it is used for.</summary>
public sealed record FormInput(int Index, string Label, string? Hint, string Value);

/// <summary>
/// Edits one interface string in one language, published on save. For the source language this is the
/// English wording, for publishers and administrators only; every translation of the old wording becomes fuzzy.
/// </summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class EditModel(PortalDb db, AuditLog audit, SiteContent content, UiCatalogHolder catalogues, UserManager<StaffUser> users, PageWorkflow workflow) : BackofficePageModel
{
    public const int MaxLength = 2000;

    public SiteLanguage Language { get; private set; } = null!;

    public bool IsSource { get; private set; }

    public UiSourceMessage Message { get; private set; } = null!;

    public IReadOnlyList<string> English { get; private set; } = [];

    public UiTranslation Translation { get; private set; } = null!;

    public IReadOnlyList<FormInput> Inputs { get; private set; } = [];

    public string? SavedBy { get; private set; }

    public IList<(string Field, string Message)> Errors { get; } = [];

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string culture, string key, string? saved)
    {
        var result = await PrepareAsync(culture, key);
        if (result is not null)
        {
            return result;
        }

        Saved = saved == "1";
        Inputs = MakeInputs(Translation.Forms);
        if (Translation.Override is { } o)
        {
            var user = await users.FindByIdAsync(o.UpdatedBy);
            SavedBy = $"{user?.Email ?? "a former member of staff"} on {o.UpdatedUtc.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.GetCultureInfo("en-GB"))}";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string culture, string key)
    {
        var ct = HttpContext.RequestAborted;
        var result = await PrepareAsync(culture, key);
        if (result is not null)
        {
            return result;
        }

        var actor = (await StaffActor.LoadAsync(users, User))!;
        var form = await Request.ReadFormAsync(ct);
        var count = FormCount();
        var values = Enumerable.Range(0, count)
            .Select(i => (form[$"form-{i}"].FirstOrDefault() ?? "").Trim().ReplaceLineEndings("\n"))
            .ToList();
        Inputs = MakeInputs(values);
        Validate(values);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var now = HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var row = await db.UiStrings.SingleOrDefaultAsync(s => s.Culture == Language.Tag && s.Key == Message.Hash, ct);
        var madeFrom = IsSource ? Message.CodeText : English;
        var before = row?.FormList ?? Translation.Forms;
        if (row is null)
        {
            row = new UiStringOverride
            {
                Culture = Language.Tag, Key = Message.Hash, Context = Message.Key.Context, MsgId = Message.Key.Id, MsgIdPlural = Message.PluralId,
                Forms = "", SourceText = "", State = UiStringStates.Translated, UpdatedBy = actor.Id,
            };
            db.UiStrings.Add(row);
        }

        row.Forms = UiStringOverride.WriteForms(values);
        row.SourceText = madeFrom[0];
        row.SourcePluralText = madeFrom.Count > 1 ? madeFrom[1] : null;
        row.State = UiStringStates.Translated;
        row.UpdatedBy = actor.Id;
        row.UpdatedUtc = now;

        var madeFuzzy = 0;
        if (IsSource && !values.SequenceEqual(English))
        {
            // Saved translations of the old wording are marked fuzzy; shipped ones are compared with the English when read.
            var strings = catalogues.Current;
            foreach (var other in await db.UiStrings.Where(s => s.Key == Message.Hash && s.Culture != Language.Tag && s.State == UiStringStates.Translated).ToListAsync(ct))
            {
                other.State = UiStringStates.Fuzzy;
            }

            madeFuzzy = content.Current.Languages.Count(l => l.Tag != Language.Tag && strings.Translation(l.Tag, Message.Key).State == UiStringStates.Translated);
        }

        var what = Message.Key.Id.Length > 200 ? Message.Key.Id[..200] + "…" : Message.Key.Id;
        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, IsSource ? "reword-ui-string" : "edit-ui-string", "ui-string:" + Message.Hash,
            culture: Language.Tag,
            detail: IsSource
                ? $"English wording of \"{what}\" changed from \"{string.Join(" / ", before.Count > 0 ? before : English)}\" to \"{string.Join(" / ", values)}\"; {madeFuzzy} translations made fuzzy"
                : $"Translation of \"{what}\" saved ({values.Count} form{(values.Count == 1 ? "" : "s")}, was {Translation.State})");
        await BackofficeEdits.BumpRevisionAsync(db, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            Errors.Add(("form-0", "Someone else saved this string at the same moment. Reload the page and try again."));
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        await content.ReloadAsync(ct);
        await workflow.ExportIfAskedAsync(ct);
        return Redirect($"/backoffice/strings/{Language.Tag}/{Message.Hash}?saved=1");
    }

    private void Validate(List<string> values)
    {
        var expected = Message.CodeText.SelectMany(UiStrings.Placeholders).ToHashSet(StringComparer.Ordinal);
        var use = Message.IsPlural && !IsSource ? UiStrings.FormUse(catalogues.Current.Plurals(Language.Tag)) : null;
        for (var i = 0; i < values.Count; i++)
        {
            var field = $"form-{i}";
            var name = values.Count == 1 ? "the " + (IsSource ? "English wording" : "translation") : Inputs[i].Label.ToLowerInvariant();
            if (values[i].Length == 0)
            {
                Errors.Add((field, $"Enter {name}."));
                continue;
            }

            if (values[i].Length > MaxLength)
            {
                Errors.Add((field, $"{Capitalise(name)} must be {MaxLength:N0} characters or fewer."));
                continue;
            }

            var actual = UiStrings.Placeholders(values[i]);
            // A form used for one number only ("one", "two") may leave the number out: "un", "dwy".
            var withoutNumber = expected.Where(p => p != "0").ToHashSet(StringComparer.Ordinal);
            if (!actual.SetEquals(expected) && !(use is not null && use[i] == 1 && actual.SetEquals(withoutNumber)))
            {
                Errors.Add((field, $"{Capitalise(name)} must use the same placeholders as the English ({List(expected)}); it has {List(actual)}."));
            }
        }
    }

    private static string List(IReadOnlySet<string> placeholders) =>
        placeholders.Count == 0 ? "none" : string.Join(", ", placeholders.Order(StringComparer.Ordinal).Select(p => "{" + p + "}"));

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private int FormCount() => !Message.IsPlural ? 1 : IsSource ? 2 : catalogues.Current.Plurals(Language.Tag).Count;

    private List<FormInput> MakeInputs(IReadOnlyList<string> values)
    {
        var count = FormCount();
        string Value(int i) => i < values.Count ? values[i] : "";
        if (!Message.IsPlural)
        {
            return [new FormInput(0, IsSource ? "English wording" : Language.Name + " translation", null, Value(0))];
        }

        if (IsSource)
        {
            return [new FormInput(0, "Singular", "Used for 1", Value(0)), new FormInput(1, "Plural", "Used for 0, 2, 3, 4, 5, …", Value(1))];
        }

        var examples = UiStrings.Examples(catalogues.Current.Plurals(Language.Tag));
        return Enumerable.Range(0, count).Select(i =>
        {
            var numbers = examples[i];
            var more = UiStrings.FormUse(catalogues.Current.Plurals(Language.Tag))[i] > numbers.Count ? ", …" : "";
            var hint = numbers.Count == 0 ? "Not used for any number from 0 to 200" : "Used for " + string.Join(", ", numbers) + more;
            return new FormInput(i, $"Form {i + 1}", hint, Value(i));
        }).ToList();
    }

    private async Task<IActionResult?> PrepareAsync(string culture, string key)
    {
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        var site = content.Current;
        var language = site.FindLanguage(culture);
        var strings = catalogues.Current;
        var message = strings.FindMessage(key);
        if (language is null)
        {
            return NotFound();
        }

        if (!StringAccess.MayWorkOn(actor, language.Tag, site.Settings.DefaultLanguage))
        {
            return Forbid();
        }

        if (message is null)
        {
            return NotFound();
        }

        Language = language;
        IsSource = language.Tag == site.Settings.DefaultLanguage;
        Message = message;
        English = strings.English(message.Key);
        Translation = strings.Translation(language.Tag, message.Key);
        return null;
    }
}

using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Translation.Exchange;

namespace Portal.Web.Pages.Backoffice.Translations;

/// <summary>
/// Work for translation agencies: the missing and stale units of a language as XLIFF 2.0 or PO, and
/// the file taken back with a report of what was accepted and what was refused and why.
/// </summary>
[Authorize(Policy = StaffPolicies.Edit)]
public sealed class ExchangeModel(PortalDb db, ExchangeImport import, UserManager<StaffUser> users, SiteContent content, TimeProvider clock) : PageModel
{
    public IReadOnlyList<SiteLanguage> Languages { get; private set; } = [];

    /// <summary>Units to translate, per language.</summary>
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public ImportReport? Report { get; private set; }

    public string? Problem { get; private set; }

    public string? Culture { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        ChooseLanguages(actor);
        await CountAsync();
        return Page();
    }

    /// <summary>The file to send: <c>?handler=export&amp;culture=pl&amp;format=xliff</c> (or <c>po</c>).</summary>
    public async Task<IActionResult> OnGetExportAsync([FromQuery] string? culture, [FromQuery] string? format)
    {
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        var site = content.Current;
        var language = site.Languages.FirstOrDefault(l => l.Tag == culture && l.Tag != site.Settings.DefaultLanguage);
        if (language is null || format is not ("xliff" or "po"))
        {
            return BadRequest();
        }

        if (!actor.MayEditLanguage(language.Tag))
        {
            return Forbid();
        }

        var units = await ExchangeUnits.ForLanguageAsync(db, site, language.Tag, HttpContext.RequestAborted);
        var date = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var source = site.Settings.DefaultLanguage;
        return format == "xliff"
            ? File(Encoding.UTF8.GetBytes(XliffFormat.Write(units, source, language.Tag, language.Dir == "rtl")), XliffFormat.MediaType + "; charset=utf-8",
                $"daportal-{language.Tag}-{date}.xlf")
            : File(Encoding.UTF8.GetBytes(PoExchangeFormat.Write(units, source, language.Tag, clock.GetUtcNow())), PoExchangeFormat.MediaType + "; charset=utf-8",
                $"daportal-{language.Tag}-{date}.po");
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        // The counts are made once, for the page shown after the import (or the refusal).
        ChooseLanguages(actor);
        var ct = HttpContext.RequestAborted;
        if (!Request.HasFormContentType)
        {
            return await Refuse("Choose the language and the file to import.");
        }

        var form = await Request.ReadFormAsync(ct);
        Culture = form["culture"].ToString();
        var language = Languages.FirstOrDefault(l => l.Tag == Culture);
        if (language is null)
        {
            return content.Current.Languages.Any(l => l.Tag == Culture) && Culture != content.Current.Settings.DefaultLanguage
                ? Forbid()
                : await Refuse("Choose the language the file is in.");
        }

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return await Refuse("Choose the file to import.");
        }

        if (file.Length > ExchangeImport.MaxFileBytes)
        {
            return await Refuse("The file is larger than 5 MB. Split the work into smaller files.");
        }

        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            await file.CopyToAsync(stream, ct);
            bytes = stream.ToArray();
        }

        IReadOnlyList<IncomingUnit> units;
        try
        {
            units = ExchangeImport.ReadFile(bytes, language.Tag);
        }
        catch (ExchangeFormatException e)
        {
            return await Refuse(e.Message);
        }

        if (units.Count == 0)
        {
            return await Refuse("The file has no units to import.");
        }

        Report = await import.ImportAsync(actor, language.Tag, units, ct);
        await CountAsync();
        if (Report.Accepted == 0 && Report.Rejected > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    private async Task<PageResult> Refuse(string problem)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await CountAsync();
        return Page();
    }

    private void ChooseLanguages(StaffActor actor)
    {
        var site = content.Current;
        Languages = site.Languages.Where(l => l.Tag != site.Settings.DefaultLanguage && actor.MayEditLanguage(l.Tag)).ToList();
    }

    private async Task CountAsync()
    {
        var site = content.Current;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var language in Languages)
        {
            counts[language.Tag] = (await ExchangeUnits.ForLanguageAsync(db, site, language.Tag, HttpContext.RequestAborted)).Count;
        }

        Counts = counts;
    }
}

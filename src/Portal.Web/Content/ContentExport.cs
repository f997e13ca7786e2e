using Microsoft.EntityFrameworkCore;
using Portal.Web.Helplines;

namespace Portal.Web.Content;

/// <summary>
/// Writes the published content back to <c>content/</c> and <c>translations/</c> in canonical form,
/// so that import followed by export reproduces the same bytes and a diff shows only real edits.
/// </summary>
public static class ContentExport
{
    /// <returns>The paths written, relative to <paramref name="outputDirectory"/>, with '/' separators.</returns>
    public static Task<IReadOnlyList<string>> ExportAsync(PortalDb db, string outputDirectory, CancellationToken ct = default) =>
        ExportAsync(db, outputDirectory, null, ct);

    /// <param name="translationsDirectory">
    /// Where the shipped ui.pot and ui.po files are: each language's ui.po is written again with the
    /// back-office overrides on top. Null leaves interface strings out.
    /// </param>
    /// <returns>The paths written, relative to <paramref name="outputDirectory"/>, with '/' separators.</returns>
    public static async Task<IReadOnlyList<string>> ExportAsync(PortalDb db, string outputDirectory, string? translationsDirectory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var written = new List<string>();

        void Write(string relative, string text)
        {
            ContentText.WriteFile(Path.Combine(outputDirectory, relative.Replace('/', Path.DirectorySeparatorChar)), text);
            written.Add(relative);
        }

        var settings = await db.Settings.AsNoTracking().SingleAsync(ct);
        var languages = await db.Languages.AsNoTracking().OrderBy(l => l.Order).ToListAsync(ct);
        Write("content/site.yaml", CanonicalYaml.Write(new Dictionary<string, object?>
        {
            ["default_language"] = settings.DefaultLanguage,
            ["discreet"] = new Dictionary<string, object?> { ["enabled"] = settings.DiscreetEnabled, ["name"] = settings.DiscreetName },
            ["languages"] = languages.Select(l => (object)new Dictionary<string, object?>
            {
                ["dir"] = l.Dir,
                ["fallback"] = l.Fallback.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                ["name"] = l.Name,
                ["tag"] = l.Tag,
            }).ToList(),
            ["organisation"] = new Dictionary<string, object?>
            {
                ["address"] = settings.OrganisationAddress,
                ["email"] = settings.OrganisationEmail,
                ["name"] = settings.OrganisationName,
                ["phone"] = settings.OrganisationPhone,
            },
            ["quick_exit"] = new Dictionary<string, object?> { ["url"] = settings.QuickExitUrl },
            ["response_working_days"] = settings.ResponseWorkingDays,
        }));

        var holidays = await db.BankHolidays.AsNoTracking().ToListAsync(ct);
        if (holidays.Count > 0)
        {
            Write("content/bank-holidays.yaml", CanonicalYaml.Write(new Dictionary<string, object?>
            {
                ["dates"] = holidays.OrderBy(h => h.Date).Select(h => (object)new Dictionary<string, object?>
                {
                    ["date"] = h.Date,
                    ["name"] = h.Name,
                }).ToList(),
            }));
        }

        foreach (var picture in await db.Pictures.AsNoTracking().ToListAsync(ct))
        {
            Write($"content/pictures/{picture.Name}.svg", picture.Svg);
        }

        var published = await (
            from variant in db.PageVariants.AsNoTracking()
            join version in db.PageVersions.AsNoTracking() on variant.PublishedVersionId equals version.Id
            select version).ToListAsync(ct);

        foreach (var doc in await db.Documents.AsNoTracking().ToListAsync(ct))
        {
            Write($"content/pages/{doc.Slug}/document.yaml", CanonicalYaml.Write(new Dictionary<string, object?>
            {
                ["layout"] = doc.Layout,
                ["navigation"] = doc.Navigation,
                ["order"] = doc.Order,
                ["safety_critical"] = doc.SafetyCritical,
                ["toc"] = doc.Toc,
            }));
        }

        foreach (var v in published)
        {
            var suffix = v.Audience == Audiences.EasyRead ? ".easy-read.md" : ".md";
            var path = v.Culture == settings.DefaultLanguage
                ? $"content/pages/{v.Slug}/{v.Culture}{suffix}"
                : $"translations/{v.Culture}/pages/{v.Slug}{suffix}";
            Write(path, ContentText.WriteMarkdown(
                new Dictionary<string, object?>
                {
                    ["description"] = v.Description,
                    ["nav_title"] = v.NavTitle,
                    ["state"] = v.TranslationState,
                    ["title"] = v.Title,
                },
                v.Body));
        }

        var texts = await db.HelplineTexts.AsNoTracking().ToListAsync(ct);
        foreach (var h in await db.Helplines.AsNoTracking().ToListAsync(ct))
        {
            var source = texts.Single(t => t.HelplineId == h.Id && t.Culture == settings.DefaultLanguage);
            Write($"content/helplines/{h.Id}.yaml", CanonicalYaml.Write(new Dictionary<string, object?>
            {
                ["always_open"] = h.AlwaysOpen,
                ["audiences"] = h.Audiences.Split(',').ToList(),
                ["bank_holidays"] = h.BankHolidays,
                ["chat"] = h.Chat,
                ["description"] = source.Description,
                ["email"] = h.Email,
                ["hours"] = h.AlwaysOpen ? null : WeeklyHours.Parse(h.Hours).Select(p => (object)new Dictionary<string, object?>
                {
                    ["closes"] = p.ClosesText,
                    ["days"] = p.Days.Select(WeeklyHours.DayCode).ToList(),
                    ["opens"] = p.OpensText,
                }).ToList(),
                ["hours_note"] = source.HoursNote,
                ["name"] = source.Name,
                ["order"] = h.Order,
                ["phone"] = h.Phone,
                ["text"] = h.Text,
                ["web"] = h.Web,
            }));

            foreach (var t in texts.Where(t => t.HelplineId == h.Id && t.Culture != settings.DefaultLanguage))
            {
                Write($"translations/{t.Culture}/helplines/{h.Id}.yaml", CanonicalYaml.Write(new Dictionary<string, object?>
                {
                    ["description"] = t.Description,
                    ["hours_note"] = t.HoursNote,
                    ["name"] = t.Name,
                    ["state"] = t.TranslationState,
                }));
            }
        }

        if (translationsDirectory is not null)
        {
            var cultures = languages.Select(l => l.Tag).ToList();
            var shipped = Localization.UiBase.Load(translationsDirectory, settings.DefaultLanguage, cultures);
            var overrides = await db.UiStrings.AsNoTracking().ToListAsync(ct);
            var strings = new Localization.UiStrings(shipped, overrides, cultures);
            foreach (var (culture, text) in Localization.UiStringExport.Catalogues(shipped, strings, overrides, cultures))
            {
                Write($"translations/{culture}/ui.po", text);
            }
        }

        written.Sort(StringComparer.Ordinal);
        return written;
    }
}

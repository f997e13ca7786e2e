using System.Xml;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Translation.Exchange;

/// <summary>Why a unit is sent for translation.</summary>
public static class UnitReasons
{
    public const string Missing = "missing";
    public const string Stale = "stale";
    public const string MachineDraft = "machine-draft";
}

/// <summary>
/// One piece of text to translate, with an id that stays the same from one export to the next:
/// <c>page:{slug}:{audience}:{block id}</c> for a paragraph, <c>page:{slug}:{audience}:title</c> (and
/// <c>nav-title</c>, <c>description</c>) for a page's other words, <c>helpline:{id}:{field}</c> for a helpline's.
/// </summary>
/// <param name="Where">Where the words are, for the translator.</param>
/// <param name="Source">The current source text.</param>
/// <param name="Previous">The translation as it stands, when there is one (a stale paragraph or a machine draft).</param>
/// <param name="PreviousSource">The source text the translation was made from, when it has changed since and is on record.</param>
public sealed record ExchangeUnit(string Id, string Where, string Source, string Reason, string? Previous, string? PreviousSource)
{
    public const string PagePrefix = "page:";
    public const string HelplinePrefix = "helpline:";

    public static readonly IReadOnlyList<string> PageFields = ["title", "nav-title", "description"];

    public static readonly IReadOnlyList<string> HelplineFields = ["name", "description", "hours-note"];

    public static string ForPage(string slug, string audience, string part) => $"{PagePrefix}{slug}:{audience}:{part}";

    public static string ForHelpline(string id, string field) => $"{HelplinePrefix}{id}:{field}";

    /// <summary>Splits a unit id into its kind and parts; null when it is not one of ours.</summary>
    public static (string Kind, string[] Parts)? ParseId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var parts = id.Split(':');
        return parts switch
        {
            ["page", var slug, var audience, var part] when slug.Length > 0 && audience.Length > 0 && part.Length > 0 => ("page", [slug, audience, part]),
            ["helpline", var helpline, var field] when helpline.Length > 0 && HelplineFields.Contains(field) => ("helpline", [helpline, field]),
            _ => null,
        };
    }
}

/// <summary>Finds the missing and stale units of one language.</summary>
public static class ExchangeUnits
{
    public static async Task<IReadOnlyList<ExchangeUnit>> ForLanguageAsync(PortalDb db, SiteSnapshot site, string culture, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(site);
        var units = new List<ExchangeUnit>();
        var sourceCulture = site.Settings.DefaultLanguage;

        var pages = await db.PageVariants.AsNoTracking()
            .Where(v => v.Culture == sourceCulture)
            .Select(v => new { v.Slug, v.Audience })
            .ToListAsync(ct);
        var order = site.Documents.Values.ToDictionary(d => d.Slug, d => d.Order, StringComparer.Ordinal);
        foreach (var page in pages.Where(p => order.ContainsKey(p.Slug))
                     .OrderBy(p => order[p.Slug]).ThenBy(p => p.Slug, StringComparer.Ordinal)
                     .ThenBy(p => Audiences.All.ToList().IndexOf(p.Audience)))
        {
            var (comparison, _) = await LoadPageAsync(db, page.Slug, culture, page.Audience, sourceCulture, ct);
            if (comparison is null || !comparison.Aligned)
            {
                // A translation whose paragraphs do not line up with the source's is updated in the split view.
                continue;
            }

            units.AddRange(PageUnits(comparison, page.Slug, page.Audience));
        }

        var helplines = await db.Helplines.AsNoTracking().OrderBy(h => h.Order).ThenBy(h => h.Id).Select(h => h.Id).ToListAsync(ct);
        var texts = await db.HelplineTexts.AsNoTracking().Where(t => t.Culture == sourceCulture || t.Culture == culture).ToListAsync(ct);
        foreach (var id in helplines)
        {
            var source = texts.FirstOrDefault(t => t.HelplineId == id && t.Culture == sourceCulture);
            var target = texts.FirstOrDefault(t => t.HelplineId == id && t.Culture == culture);
            if (source is null)
            {
                continue;
            }

            var reason = target is null || target.TranslationState == TranslationStates.Missing ? UnitReasons.Missing
                : target.TranslationState == TranslationStates.MachineDraft ? UnitReasons.MachineDraft
                : null;
            if (reason is null)
            {
                continue;
            }

            foreach (var field in ExchangeUnit.HelplineFields)
            {
                var text = HelplineField(source, field);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    units.Add(new ExchangeUnit(ExchangeUnit.ForHelpline(id, field), $"Helpline “{source.Name}”, {field.Replace('-', ' ')}", text, reason,
                        target is null ? null : HelplineField(target, field), null));
                }
            }
        }

        return units.Where(u => IsValidId(u.Id)).ToList();
    }

    /// <summary>The comparison of the text staff see (draft, else published) with the current source.</summary>
    public static async Task<(TranslationComparison? Comparison, PageVariant? Variant)> LoadPageAsync(PortalDb db, string slug, string culture, string audience,
        string sourceCulture, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var variant = await db.PageVariants.AsNoTracking()
            .SingleOrDefaultAsync(v => v.Slug == slug && v.Culture == culture && v.Audience == audience, ct);
        var shownId = variant?.DraftVersionId ?? variant?.PublishedVersionId;
        var shown = shownId is { } id ? await db.PageVersions.AsNoTracking().SingleAsync(v => v.Id == id, ct) : null;
        return (await TranslationComparison.LoadAsync(db, slug, audience, sourceCulture, shown, ct), variant);
    }

    public static string? HelplineField(HelplineText text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        return field switch
        {
            "name" => text.Name,
            "description" => text.Description,
            "hours-note" => text.HoursNote,
            _ => null,
        };
    }

    public static string? PageField(PageVersion version, string field)
    {
        ArgumentNullException.ThrowIfNull(version);
        return field switch
        {
            "title" => version.Title,
            "nav-title" => version.NavTitle,
            "description" => version.Description,
            _ => null,
        };
    }

    /// <summary>Unit ids are XML name tokens; a slug or helpline id that is not one cannot be exchanged.</summary>
    public static bool IsValidId(string id)
    {
        try
        {
            XmlConvert.VerifyNMTOKEN(id);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static IEnumerable<ExchangeUnit> PageUnits(TranslationComparison comparison, string slug, string audience)
    {
        var translation = comparison.Translation;
        var machine = translation?.TranslationState == TranslationStates.MachineDraft;
        var where = audience == Audiences.Standard ? $"Page “{slug}”" : $"Page “{slug}” ({audience})";
        if (translation is null || machine)
        {
            foreach (var field in ExchangeUnit.PageFields)
            {
                var text = PageField(comparison.Source, field);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    yield return new ExchangeUnit(ExchangeUnit.ForPage(slug, audience, field), $"{where}, {field.Replace('-', ' ')}", text,
                        machine ? UnitReasons.MachineDraft : UnitReasons.Missing, translation is null ? null : PageField(translation, field), null);
                }
            }
        }

        foreach (var row in comparison.Rows)
        {
            if (row.Change == BlockChange.Current && !machine)
            {
                continue;
            }

            var reason = row.Change switch
            {
                BlockChange.Changed => UnitReasons.Stale,
                BlockChange.Current => UnitReasons.MachineDraft,
                _ => UnitReasons.Missing,
            };
            var previous = row.Change is BlockChange.Changed or BlockChange.Current ? row.Translation : null;
            yield return new ExchangeUnit(ExchangeUnit.ForPage(slug, audience, row.Source.Id), $"{where}, paragraph {row.Number}", row.Source.Text,
                reason, previous, row.OldSource);
        }
    }
}

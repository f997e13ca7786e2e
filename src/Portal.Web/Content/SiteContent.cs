using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Helplines;

namespace Portal.Web.Content;

public sealed record SiteLanguage(string Tag, string Name, string Dir, IReadOnlyList<string> Fallback, CultureInfo Culture)
{
    public bool IsRightToLeft => Dir == "rtl";
}

public sealed record SiteSettings(
    string DefaultLanguage,
    string OrganisationName,
    string? OrganisationPhone,
    string? OrganisationEmail,
    string? OrganisationAddress,
    string QuickExitUrl,
    bool DiscreetEnabled,
    string DiscreetName,
    int ResponseWorkingDays)
{
    /// <summary>The name shown in titles and the header: neutral in discreet mode.</summary>
    public string DisplayName => DiscreetEnabled ? DiscreetName : OrganisationName;
}

public sealed record HelplineEntry(Helpline Data, IReadOnlyList<OpeningPeriod> Periods, IReadOnlyList<string> Audiences);

/// <summary>A page variant as the public sees it, with the language its text is actually in.</summary>
/// <param name="Withdrawn">Shown in a fallback language because the translation is withdrawn after a critical change.</param>
/// <param name="TranslatedFromUtc">For a translation behind its source: when the source it was made from was written.</param>
public sealed record ResolvedPage(PageDocument Document, PageVersion Version, bool IsFallback, IReadOnlyList<string> TranslatedCultures,
    bool Withdrawn = false, DateTimeOffset? TranslatedFromUtc = null);

/// <summary>
/// Everything the public site shows, read from the database in one go. Public requests read this
/// snapshot and never query the database; a publish replaces it.
/// </summary>
public sealed class SiteSnapshot
{
    private readonly ConcurrentDictionary<(long VersionId, string LinkCulture), RenderedMarkdown> _rendered = new();

    public required long Revision { get; init; }

    public required SiteSettings Settings { get; init; }

    public required IReadOnlyList<SiteLanguage> Languages { get; init; }

    public required IReadOnlyDictionary<string, PageDocument> Documents { get; init; }

    public required IReadOnlyDictionary<(string Slug, string Culture, string Audience), PageVersion> Published { get; init; }

    /// <summary>Published translations taken off the public site after a critical source change, until they catch up.</summary>
    public IReadOnlySet<(string Slug, string Culture, string Audience)> Withdrawn { get; init; } = new HashSet<(string, string, string)>();

    /// <summary>Published translations behind their source: when the source they were made from was written.</summary>
    public IReadOnlyDictionary<(string Slug, string Culture, string Audience), DateTimeOffset> TranslatedFrom { get; init; } =
        new Dictionary<(string, string, string), DateTimeOffset>();

    public required IReadOnlyList<HelplineEntry> Helplines { get; init; }

    public required IReadOnlyDictionary<(string Id, string Culture), HelplineText> HelplineTexts { get; init; }

    public required IReadOnlySet<DateOnly> BankHolidays { get; init; }

    public required IReadOnlyDictionary<string, SvgPicture> Pictures { get; init; }

    /// <summary>Interface strings saved in the back office, over the shipped ui.po files (see <see cref="Localization.UiStrings"/>).</summary>
    public IReadOnlyList<Localization.UiStringOverride> UiStrings { get; init; } = [];

    public SiteLanguage? FindLanguage(string? tag) =>
        tag is null ? null : Languages.FirstOrDefault(l => string.Equals(l.Tag, tag, StringComparison.OrdinalIgnoreCase));

    public SiteLanguage DefaultLanguage => FindLanguage(Settings.DefaultLanguage)!;

    public IEnumerable<PageDocument> Navigation =>
        Documents.Values.Where(d => d.Navigation).OrderBy(d => d.Order).ThenBy(d => d.Slug, StringComparer.Ordinal);

    /// <summary>
    /// The page in <paramref name="culture"/>, or in the first declared fallback that has it.
    /// Fallbacks come from site.yaml only, never from .NET parent cultures.
    /// </summary>
    public ResolvedPage? Resolve(string slug, string culture, string audience)
    {
        if (!Documents.TryGetValue(slug, out var document))
        {
            return null;
        }

        var translated = Languages.Where(l => IsLive((slug, l.Tag, audience))).Select(l => l.Tag).ToList();
        if (IsLive((slug, culture, audience)))
        {
            var key = (slug, culture, audience);
            return new ResolvedPage(document, Published[key], false, translated,
                TranslatedFromUtc: TranslatedFrom.TryGetValue(key, out var from) ? from : null);
        }

        var withdrawn = Withdrawn.Contains((slug, culture, audience));
        var language = FindLanguage(culture);
        foreach (var fallback in language?.Fallback ?? [])
        {
            if (IsLive((slug, fallback, audience)))
            {
                return new ResolvedPage(document, Published[(slug, fallback, audience)], true, translated, withdrawn);
            }
        }

        return null;
    }

    private bool IsLive((string Slug, string Culture, string Audience) key) => Published.ContainsKey(key) && !Withdrawn.Contains(key);

    public bool HasAudience(string slug, string audience) => Published.Keys.Any(k => k.Slug == slug && k.Audience == audience);

    public RenderedMarkdown Render(PageVersion version, string linkCulture) =>
        _rendered.GetOrAdd((version.Id, linkCulture), key => MarkdownRenderer.Render(version.Body, key.LinkCulture, Pictures));

    /// <summary>A helpline's text in the culture, falling back as pages do; null culture of the result means source.</summary>
    public (HelplineText Text, bool IsFallback) HelplineText(string id, string culture)
    {
        if (HelplineTexts.TryGetValue((id, culture), out var text))
        {
            return (text, false);
        }

        foreach (var fallback in FindLanguage(culture)?.Fallback ?? [])
        {
            if (HelplineTexts.TryGetValue((id, fallback), out var t))
            {
                return (t, true);
            }
        }

        return (HelplineTexts[(id, Settings.DefaultLanguage)], true);
    }

    public static async Task<SiteSnapshot> LoadAsync(PortalDb db, CancellationToken ct = default)
    {
        var revision = await db.Revisions.AsNoTracking().Where(r => r.Id == 1).Select(r => r.Revision).SingleOrDefaultAsync(ct);
        var s = await db.Settings.AsNoTracking().SingleAsync(ct);
        var languages = (await db.Languages.AsNoTracking().ToListAsync(ct)).OrderBy(l => l.Order).Select(l =>
        {
            var culture = (CultureInfo)CultureInfo.GetCultureInfo(l.Tag).Clone();
            // Dates are shown on the Gregorian calendar in every language (Arabic defaults to Hijri).
            if (culture.DateTimeFormat.Calendar is not GregorianCalendar)
            {
                var gregorian = culture.OptionalCalendars.OfType<GregorianCalendar>().FirstOrDefault();
                if (gregorian is not null)
                {
                    culture.DateTimeFormat.Calendar = gregorian;
                }
            }

            return new SiteLanguage(l.Tag, l.Name, l.Dir, l.Fallback.Split(',', StringSplitOptions.RemoveEmptyEntries), CultureInfo.ReadOnly(culture));
        }).ToList();

        var published = await (
            from variant in db.PageVariants.AsNoTracking()
            join version in db.PageVersions.AsNoTracking() on variant.PublishedVersionId equals version.Id
            select version).ToListAsync(ct);
        var byKey = published.ToDictionary(v => (v.Slug, v.Culture, v.Audience));
        var (withdrawn, translatedFrom) = await TrackTranslationsAsync(db, byKey, s.DefaultLanguage, ct);

        var helplines = (await db.Helplines.AsNoTracking().ToListAsync(ct))
            .OrderBy(h => h.Order).ThenBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => new HelplineEntry(h, WeeklyHours.Parse(h.Hours), h.Audiences.Split(',')))
            .ToList();

        var pictures = (await db.Pictures.AsNoTracking().ToListAsync(ct))
            .ToDictionary(p => p.Name, p => SvgPictures.Parse(p.Svg, p.Name), StringComparer.Ordinal);

        return new SiteSnapshot
        {
            Revision = revision,
            Settings = new SiteSettings(s.DefaultLanguage, s.OrganisationName, s.OrganisationPhone, s.OrganisationEmail,
                s.OrganisationAddress, s.QuickExitUrl, s.DiscreetEnabled, s.DiscreetName, s.ResponseWorkingDays),
            Languages = languages,
            Documents = (await db.Documents.AsNoTracking().ToListAsync(ct)).ToDictionary(d => d.Slug, StringComparer.Ordinal),
            Published = byKey,
            Withdrawn = withdrawn,
            TranslatedFrom = translatedFrom,
            Helplines = helplines,
            HelplineTexts = (await db.HelplineTexts.AsNoTracking().ToListAsync(ct)).ToDictionary(t => (t.HelplineId, t.Culture)),
            BankHolidays = (await db.BankHolidays.AsNoTracking().Select(b => b.Date).ToListAsync(ct)).ToHashSet(),
            Pictures = pictures,
            UiStrings = await db.UiStrings.AsNoTracking().ToListAsync(ct),
        };
    }

    /// <summary>Which published translations are withdrawn after a critical change, and which are live but behind their source.</summary>
    private static async Task<(HashSet<(string, string, string)>, Dictionary<(string, string, string), DateTimeOffset>)> TrackTranslationsAsync(
        PortalDb db, Dictionary<(string Slug, string Culture, string Audience), PageVersion> published, string sourceCulture, CancellationToken ct)
    {
        var critical = await db.PageVariants.AsNoTracking()
            .Where(v => v.Culture == sourceCulture && v.CriticalVersionId != null)
            .ToDictionaryAsync(v => (v.Slug, v.Audience), v => v.CriticalVersionId, ct);
        var withdrawn = new HashSet<(string, string, string)>();
        var behind = new Dictionary<(string, string, string), long>();
        foreach (var (key, translation) in published)
        {
            if (key.Culture == sourceCulture || !published.TryGetValue((key.Slug, sourceCulture, key.Audience), out var source))
            {
                continue;
            }

            if (Translation.TranslationTracking.IsWithdrawn(translation, source, critical.GetValueOrDefault((key.Slug, key.Audience))))
            {
                withdrawn.Add(key);
            }
            else if (translation.SourceVersionId is { } from && Translation.TranslationTracking.IsStale(translation, source))
            {
                behind[key] = from;
            }
        }

        var ids = behind.Values.Distinct().ToList();
        var written = await db.PageVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.CreatedUtc, ct);
        var translatedFrom = behind.Where(b => written.ContainsKey(b.Value)).ToDictionary(b => b.Key, b => written[b.Value]);
        return (withdrawn, translatedFrom);
    }
}

/// <summary>Holds the current snapshot; <see cref="ReloadAsync"/> swaps in a fresh one after a publish.</summary>
public sealed class SiteContent(IServiceScopeFactory scopes) : IDisposable
{
    // One reload at a time, so a slower, older read never replaces a newer snapshot.
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private SiteSnapshot? _current;

    public SiteSnapshot Current => _current ?? throw new InvalidOperationException("Site content has not been loaded yet.");

    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await _reloading.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            _current = await SiteSnapshot.LoadAsync(db, ct);
        }
        finally
        {
            _reloading.Release();
        }
    }

    public void Dispose() => _reloading.Dispose();
}

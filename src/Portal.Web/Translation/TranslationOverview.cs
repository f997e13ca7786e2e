using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Translation;

/// <summary>One page, language and audience as translators see it.</summary>
/// <param name="State">missing, machine-draft, stale, translated or reviewed (of the draft if there is one, else of what is published).</param>
/// <param name="ToDo">Source paragraphs the text shown has not caught up with.</param>
/// <param name="Paragraphs">Paragraphs in the current source.</param>
/// <param name="Withdrawn">The published translation is off the public site after a critical change.</param>
public sealed record TranslationCell(string Slug, string Culture, string Audience, string State, int ToDo, int Paragraphs, bool Withdrawn);

/// <summary>The translation state of every page variant, measured against the source translators work from.</summary>
public static class TranslationOverview
{
    public static async Task<IReadOnlyDictionary<(string Slug, string Culture, string Audience), TranslationCell>> LoadAsync(
        PortalDb db, SiteSnapshot site, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(site);
        var sourceCulture = site.Settings.DefaultLanguage;
        var variants = await db.PageVariants.AsNoTracking().ToListAsync(ct);
        // The text each variant shows staff (its draft if any, else what is published), and each page's current source.
        var shownIds = variants.Select(v => v.Culture == sourceCulture ? v.PublishedVersionId ?? v.DraftVersionId : v.DraftVersionId ?? v.PublishedVersionId)
            .OfType<long>().ToList();
        var versions = await db.PageVersions.AsNoTracking().Where(v => shownIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);

        var sources = variants.Where(v => v.Culture == sourceCulture)
            .Select(v => (v.PublishedVersionId ?? v.DraftVersionId) is { } id && versions.TryGetValue(id, out var version) ? version : null)
            .OfType<PageVersion>()
            .ToDictionary(v => (v.Slug, v.Audience));
        var byKey = variants.ToDictionary(v => (v.Slug, v.Culture, v.Audience));

        var cells = new Dictionary<(string, string, string), TranslationCell>();
        foreach (var ((slug, audience), source) in sources)
        {
            var blocks = TranslationTracking.ReadBlocks(source.Blocks);
            foreach (var language in site.Languages.Where(l => l.Tag != sourceCulture))
            {
                var key = (slug, language.Tag, audience);
                var variant = byKey.GetValueOrDefault(key);
                var shown = variant is not null && (variant.DraftVersionId ?? variant.PublishedVersionId) is { } id ? versions.GetValueOrDefault(id) : null;
                var reviewed = variant?.ReviewedVersionId is { } r && r == shown?.Id;
                var toDo = shown is null ? blocks.Count : SourceBlocks.Stale(blocks, TranslationTracking.ReadMadeFrom(shown.MadeFrom)).Count;
                cells[key] = new TranslationCell(slug, language.Tag, audience, TranslationTracking.State(shown, source, reviewed), toDo, blocks.Count,
                    site.Withdrawn.Contains(key));
            }
        }

        return cells;
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Translation;

/// <summary>Translation states a variant can be in; "stale" is computed from the source's blocks, never typed in.</summary>
public static class TranslationStates
{
    public const string Missing = "missing";
    public const string MachineDraft = "machine-draft";
    public const string Stale = "stale";
    public const string Translated = "translated";
    public const string Reviewed = "reviewed";
}

/// <summary>
/// Stamps page versions for paragraph-level tracking: a source version records its blocks, a
/// translation records the source blocks it was made from; a translation is stale where they differ.
/// </summary>
public static class TranslationTracking
{
    private sealed record BlockRef(string Id, string Hash);

    public static string BlocksJson(IEnumerable<SourceBlock> blocks) =>
        JsonSerializer.Serialize(blocks.Select(b => new BlockRef(b.Id, b.Hash)));

    public static IReadOnlyList<SourceBlock> ReadBlocks(string? json) =>
        string.IsNullOrEmpty(json)
            ? []
            : (JsonSerializer.Deserialize<List<BlockRef>>(json) ?? []).Select(b => new SourceBlock(b.Id, b.Hash, "")).ToList();

    /// <summary>The source blocks a translation was made from, in the order of its own blocks.</summary>
    public static string MadeFromJson(IEnumerable<SourceBlock> blocks) => BlocksJson(blocks);

    /// <summary>Block id → hash a translation was made from. Reads the ordered form and the older id → hash object.</summary>
    public static IReadOnlyDictionary<string, string> ReadMadeFrom(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new Dictionary<string, string>();
        }

        if (json.TrimStart().StartsWith('{'))
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in ReadBlocks(json))
        {
            result[block.Id] = block.Hash;
        }

        return result;
    }

    /// <summary>
    /// Which source block each block of the translation renders, in order, or null when that is not
    /// known: an older record without order, or a translation whose paragraphs no longer line up one
    /// for one with what it was made from.
    /// </summary>
    public static IReadOnlyList<SourceBlock>? ReadAlignment(PageVersion translation)
    {
        ArgumentNullException.ThrowIfNull(translation);
        if (string.IsNullOrEmpty(translation.MadeFrom) || translation.MadeFrom.TrimStart().StartsWith('{'))
        {
            return null;
        }

        var made = ReadBlocks(translation.MadeFrom);
        return made.Count == SourceBlocks.Split(translation.Body).Count ? made : null;
    }

    /// <summary>Fills in <see cref="PageVersion.Blocks"/> or <see cref="PageVersion.MadeFrom"/> for a version about to be saved.</summary>
    public static async Task StampAsync(PortalDb db, PageVersion version, string sourceCulture, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(version);
        if (version.Culture == sourceCulture)
        {
            var previous = await db.PageVersions.AsNoTracking()
                .Where(v => v.Slug == version.Slug && v.Culture == sourceCulture && v.Audience == version.Audience && v.Blocks != null)
                .OrderByDescending(v => v.Number)
                .Select(v => v.Blocks)
                .FirstOrDefaultAsync(ct);
            version.Blocks = BlocksJson(SourceBlocks.Track(version.Body, ReadBlocks(previous)));
            return;
        }

        // Saved whole from the editor: the translator has worked from the current source throughout.
        // Callers that update only some paragraphs (the split view, an agency import) set MadeFrom themselves.
        var source = await CurrentSourceAsync(db, version.Slug, version.Audience, sourceCulture, ct);
        version.SourceVersionId ??= source?.Id;
        version.MadeFrom ??= source?.Blocks is { } blocks ? MadeFromJson(ReadBlocks(blocks)) : null;
    }

    /// <summary>The source text translators work from: the published source version, or the newest if none is published.</summary>
    public static async Task<PageVersion?> CurrentSourceAsync(PortalDb db, string slug, string audience, string sourceCulture, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var publishedId = await db.PageVariants.AsNoTracking()
            .Where(v => v.Slug == slug && v.Culture == sourceCulture && v.Audience == audience)
            .Select(v => v.PublishedVersionId)
            .FirstOrDefaultAsync(ct);
        var query = db.PageVersions.AsNoTracking().Where(v => v.Slug == slug && v.Culture == sourceCulture && v.Audience == audience);
        return publishedId is { } id
            ? await query.FirstOrDefaultAsync(v => v.Id == id, ct)
            : await query.OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
    }

    /// <summary>The state of a translation measured against the current source.</summary>
    /// <param name="reviewed">Whether a reviewer of the language approved this very version.</param>
    public static string State(PageVersion? translation, PageVersion? source, bool reviewed = false)
    {
        if (translation is null)
        {
            return TranslationStates.Missing;
        }

        if (IsStale(translation, source))
        {
            return TranslationStates.Stale;
        }

        return reviewed ? TranslationStates.Reviewed : translation.TranslationState ?? TranslationStates.Translated;
    }

    public static bool IsStale(PageVersion translation, PageVersion? source)
    {
        ArgumentNullException.ThrowIfNull(translation);
        return source?.Blocks is { } blocks && SourceBlocks.Stale(ReadBlocks(blocks), ReadMadeFrom(translation.MadeFrom)).Count > 0;
    }

    /// <summary>
    /// A stale translation made from a source older than the newest critical change is withdrawn:
    /// readers get the current source text instead until the translation catches up.
    /// </summary>
    public static bool IsWithdrawn(PageVersion translation, PageVersion? source, long? criticalVersionId)
    {
        ArgumentNullException.ThrowIfNull(translation);
        return criticalVersionId is { } critical
            && (translation.SourceVersionId ?? 0) < critical
            && IsStale(translation, source);
    }

    /// <summary>After an import: source versions get their blocks, translations are taken as made from them.</summary>
    public static void StampImported(IEnumerable<PageVersion> versions, string sourceCulture)
    {
        var all = versions.ToList();
        var sources = new Dictionary<(string, string), IReadOnlyList<SourceBlock>>();
        foreach (var v in all.Where(v => v.Culture == sourceCulture))
        {
            var blocks = SourceBlocks.Track(v.Body, []);
            v.Blocks = BlocksJson(blocks);
            sources[(v.Slug, v.Audience)] = blocks;
        }

        foreach (var v in all.Where(v => v.Culture != sourceCulture))
        {
            v.MadeFrom = sources.TryGetValue((v.Slug, v.Audience), out var blocks) ? MadeFromJson(blocks) : null;
        }
    }

    /// <summary>After an imported version has its id: each translation points at the source version it was made from.</summary>
    public static void LinkImportedSources(IEnumerable<PageVersion> versions, string sourceCulture)
    {
        var all = versions.ToList();
        var sources = all.Where(v => v.Culture == sourceCulture).ToDictionary(v => (v.Slug, v.Audience), v => v.Id);
        foreach (var v in all.Where(v => v.Culture != sourceCulture))
        {
            v.SourceVersionId = sources.TryGetValue((v.Slug, v.Audience), out var id) ? id : null;
        }
    }
}

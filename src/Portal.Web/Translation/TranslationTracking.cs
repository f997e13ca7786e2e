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

    public static string MadeFromJson(IEnumerable<SourceBlock> blocks) =>
        JsonSerializer.Serialize(blocks.ToDictionary(b => b.Id, b => b.Hash, StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, string> ReadMadeFrom(string? json) =>
        string.IsNullOrEmpty(json) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

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

        var source = await CurrentSourceAsync(db, version.Slug, version.Audience, sourceCulture, ct);
        version.MadeFrom = source?.Blocks is { } blocks ? MadeFromJson(ReadBlocks(blocks)) : null;
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
    public static string State(PageVersion? translation, PageVersion? source)
    {
        if (translation is null)
        {
            return TranslationStates.Missing;
        }

        if (source?.Blocks is { } blocks && SourceBlocks.Stale(ReadBlocks(blocks), ReadMadeFrom(translation.MadeFrom)).Count > 0)
        {
            return TranslationStates.Stale;
        }

        return translation.TranslationState ?? TranslationStates.Translated;
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
}

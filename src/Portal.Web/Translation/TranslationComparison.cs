using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Translation;

/// <summary>How a source paragraph stands in a translation.</summary>
public enum BlockChange
{
    /// <summary>Translated from the paragraph as it is now.</summary>
    Current,

    /// <summary>Translated, but the source paragraph has changed since.</summary>
    Changed,

    /// <summary>A source paragraph added since the translation was made.</summary>
    New,

    /// <summary>Not translated yet: the page has no translation, or the paragraph was left in the source language.</summary>
    Untranslated,
}

/// <summary>One source paragraph beside its translation.</summary>
/// <param name="Translation">The translated paragraph, when the translation's paragraphs line up with the source's.</param>
/// <param name="OldSource">For a changed paragraph: the source text the translation was made from, when still on record.</param>
/// <param name="MadeFromHash">The source hash the translation of this paragraph was made from, if any.</param>
public sealed record BlockRow(int Number, SourceBlock Source, string? Translation, BlockChange Change, string? OldSource, string? MadeFromHash)
{
    public bool NeedsWork => Change != BlockChange.Current;

    /// <summary>What changed in the source paragraph since the translation, word by word.</summary>
    public IReadOnlyList<DiffLine> SourceDiff => OldSource is null ? [] : LineDiff.CompareWords(OldSource, Source.Text);
}

/// <summary>A translation (or its absence) compared paragraph by paragraph with the current source.</summary>
public sealed class TranslationComparison
{
    /// <summary>Marks a paragraph kept in the source language in a draft: never equal to a real hash, so it stays to do.</summary>
    public const string UntranslatedHash = "";

    public required PageVersion Source { get; init; }

    public PageVersion? Translation { get; init; }

    public required IReadOnlyList<BlockRow> Rows { get; init; }

    /// <summary>True when each paragraph of the translation is known to render one source paragraph (or there is no translation yet).</summary>
    public required bool Aligned { get; init; }

    public int ToDo => Rows.Count(r => r.NeedsWork);

    /// <summary>Compares the translation with the source translators work from (published, else the newest).</summary>
    public static async Task<TranslationComparison?> LoadAsync(PortalDb db, string slug, string audience, string sourceCulture,
        PageVersion? translation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var source = await TranslationTracking.CurrentSourceAsync(db, slug, audience, sourceCulture, ct);
        if (source?.Blocks is null)
        {
            return null;
        }

        var sourceBlocks = WithText(source);
        var alignment = translation is null ? null : TranslationTracking.ReadAlignment(translation);
        var madeFrom = translation is null ? new Dictionary<string, string>() : TranslationTracking.ReadMadeFrom(translation.MadeFrom);
        var translated = new Dictionary<string, string>(StringComparer.Ordinal);
        if (translation is not null && alignment is not null)
        {
            var texts = SourceBlocks.Split(translation.Body);
            for (var i = 0; i < alignment.Count; i++)
            {
                translated.TryAdd(alignment[i].Id, texts[i]);
            }
        }

        // Earlier source texts, to show what changed: every version of this page's source has its blocks on record.
        var earlier = new Dictionary<(string Id, string Hash), string>();
        if (translation is not null && sourceBlocks.Any(b => madeFrom.TryGetValue(b.Id, out var h) && h != b.Hash && h != UntranslatedHash))
        {
            var versions = await db.PageVersions.AsNoTracking()
                .Where(v => v.Slug == slug && v.Culture == sourceCulture && v.Audience == audience && v.Blocks != null && v.Id != source.Id)
                .ToListAsync(ct);
            foreach (var version in versions)
            {
                foreach (var block in WithText(version))
                {
                    earlier.TryAdd((block.Id, block.Hash), block.Text);
                }
            }
        }

        var rows = sourceBlocks.Select((block, i) =>
        {
            var made = madeFrom.TryGetValue(block.Id, out var hash) ? hash : null;
            var change = translation is null || made == UntranslatedHash ? BlockChange.Untranslated
                : made is null ? BlockChange.New
                : made == block.Hash ? BlockChange.Current
                : BlockChange.Changed;
            var old = change == BlockChange.Changed && earlier.TryGetValue((block.Id, made!), out var text) ? text : null;
            return new BlockRow(i + 1, block, translated.GetValueOrDefault(block.Id), change, old, made);
        }).ToList();

        return new TranslationComparison
        {
            Source = source,
            Translation = translation,
            Rows = rows,
            Aligned = translation is null || alignment is not null,
        };
    }

    /// <summary>
    /// A new translation text from paragraph texts keyed by source block id. An empty paragraph keeps the
    /// source text in its place and stays to do. A changed source paragraph stays to do unless its
    /// translation was edited or <paramref name="confirmed"/> says it is still right.
    /// </summary>
    /// <returns>The body, what it was made from, and how many paragraphs still need work; or an error sentence.</returns>
    public ComposedTranslation Compose(IReadOnlyDictionary<string, string> texts, IReadOnlySet<string> confirmed)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(confirmed);
        var blocks = new List<string>(Rows.Count);
        var made = new List<SourceBlock>(Rows.Count);
        var toDo = 0;
        foreach (var row in Rows)
        {
            var text = (texts.GetValueOrDefault(row.Source.Id) ?? "").ReplaceLineEndings("\n").Trim();
            if (text.Length == 0)
            {
                blocks.Add(row.Source.Text);
                made.Add(row.Source with { Hash = UntranslatedHash });
                toDo++;
                continue;
            }

            if (SourceBlocks.Split(text).Count != 1)
            {
                return ComposedTranslation.Error(row.Number,
                    $"Paragraph {row.Number} has become more than one paragraph. Keep each translation to one paragraph: a blank line starts a new one.");
            }

            var edited = row.Translation is null || SourceBlocks.Normalize(text) != SourceBlocks.Normalize(row.Translation);
            var current = row.Change == BlockChange.Current || edited || confirmed.Contains(row.Source.Id);
            blocks.Add(text);
            made.Add(row.Source with { Hash = current ? row.Source.Hash : row.MadeFromHash ?? UntranslatedHash });
            if (!current)
            {
                toDo++;
            }
        }

        var body = string.Join("\n\n", blocks) + "\n";
        if (SourceBlocks.Split(body).Count != Rows.Count)
        {
            return ComposedTranslation.Error(null, "The paragraphs run into each other. Check that each one is complete, for example that every list and box is closed.");
        }

        // Caught up only when nothing is left to do; until then the translation is still from its old source.
        var sourceVersion = toDo == 0 ? Source.Id : Translation?.SourceVersionId;
        return new ComposedTranslation(body, new TranslationBasis(TranslationTracking.MadeFromJson(made), sourceVersion), toDo, null, null);
    }

    private static List<SourceBlock> WithText(PageVersion source)
    {
        var blocks = TranslationTracking.ReadBlocks(source.Blocks);
        var texts = SourceBlocks.Split(source.Body);
        return blocks.Select((b, i) => b with { Text = i < texts.Count ? texts[i] : "" }).ToList();
    }
}

/// <summary>A translation put together from paragraphs, or why it could not be.</summary>
public sealed record ComposedTranslation(string Body, TranslationBasis Basis, int ToDo, string? Problem, int? ProblemParagraph)
{
    public static ComposedTranslation Error(int? paragraph, string problem) =>
        new("", new TranslationBasis(null, null), 0, problem, paragraph);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Markdig;
using Portal.Web.Content;

namespace Portal.Web.Translation;

/// <summary>One top-level block of a source page (a paragraph, heading, list, table, container…).</summary>
/// <param name="Id">Stable across source versions while the block is kept or edited in place.</param>
/// <param name="Hash">Of the normalised text: a translation made from another hash is stale there.</param>
public sealed record SourceBlock(string Id, string Hash, string Text);

/// <summary>
/// Paragraph-level tracking of a source page. The Markdown is split into Markdig's top-level
/// blocks, each normalised (NFC, whitespace collapsed) and hashed. Blocks keep their ids from one
/// source version to the next: unchanged blocks are matched by a longest common subsequence of
/// hashes; between two matched blocks, as many changed blocks as were there before keep the old ids
/// in order (a paragraph edited in place), and the rest are new.
/// </summary>
public static class SourceBlocks
{
    /// <summary>The top-level blocks' source text, in order.</summary>
    public static IReadOnlyList<string> Split(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = markdown.ReplaceLineEndings("\n");
        var document = Markdown.Parse(text, MarkdownRenderer.Pipeline);
        var blocks = new List<string>(document.Count);
        foreach (var block in document)
        {
            var span = block.Span;
            if (span.Start < 0 || span.End < span.Start || span.End >= text.Length + 1)
            {
                continue;
            }

            var slice = text.Substring(span.Start, Math.Min(span.Length, text.Length - span.Start)).Trim();
            if (slice.Length > 0)
            {
                blocks.Add(slice);
            }
        }

        return blocks;
    }

    /// <summary>NFC, every run of white space as one space, trimmed: edits that change nothing a reader sees change nothing here.</summary>
    public static string Normalize(string block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var nfc = block.Normalize(NormalizationForm.FormC);
        var result = new StringBuilder(nfc.Length);
        var space = false;
        foreach (var c in nfc)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && result.Length > 0)
            {
                result.Append(' ');
            }

            space = false;
            result.Append(c);
        }

        return result.ToString();
    }

    public static string Hash(string block) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(block))))[..16];

    /// <summary>The blocks of a new source version, with ids carried over from the previous version's blocks.</summary>
    /// <param name="previous">The previous version's blocks (empty for a first version).</param>
    /// <param name="newId">Makes an id for a block that is new.</param>
    public static IReadOnlyList<SourceBlock> Track(string markdown, IReadOnlyList<SourceBlock> previous, Func<string>? newId = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var counter = previous.Count;
        var used = previous.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        newId ??= () =>
        {
            string id;
            do
            {
                id = "b" + (++counter).ToString(CultureInfo.InvariantCulture);
            }
            while (used.Contains(id));

            used.Add(id);
            return id;
        };

        var texts = Split(markdown);
        var hashes = texts.Select(Hash).ToArray();
        var ids = new string?[texts.Count];

        // Longest common subsequence of hashes: unchanged blocks keep their ids.
        var old = previous.Select(b => b.Hash).ToArray();
        var table = new int[old.Length + 1, hashes.Length + 1];
        for (var i = old.Length - 1; i >= 0; i--)
        {
            for (var j = hashes.Length - 1; j >= 0; j--)
            {
                table[i, j] = old[i] == hashes[j] ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
            }
        }

        var pairs = new List<(int Old, int New)>();
        for (int i = 0, j = 0; i < old.Length && j < hashes.Length;)
        {
            if (old[i] == hashes[j])
            {
                pairs.Add((i, j));
                i++;
                j++;
            }
            else if (table[i + 1, j] >= table[i, j + 1])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        // Between matched blocks, blocks edited in place keep the ids of the ones they replace, in order.
        var lastOld = -1;
        var lastNew = -1;
        foreach (var (o, n) in pairs.Append((old.Length, hashes.Length)))
        {
            var gapOld = o - lastOld - 1;
            var gapNew = n - lastNew - 1;
            for (var k = 0; k < Math.Min(gapOld, gapNew); k++)
            {
                ids[lastNew + 1 + k] = previous[lastOld + 1 + k].Id;
            }

            if (n < hashes.Length)
            {
                ids[n] = previous[o].Id;
            }

            lastOld = o;
            lastNew = n;
        }

        return texts.Select((t, i) => new SourceBlock(ids[i] ?? newId(), hashes[i], t)).ToList();
    }

    /// <summary>
    /// The source blocks a translation has not caught up with: those whose hash differs from the one
    /// the translation was made from, or that did not exist then.
    /// </summary>
    /// <param name="madeFrom">Block id → hash, recorded when the translation was saved.</param>
    public static IReadOnlyList<SourceBlock> Stale(IReadOnlyList<SourceBlock> source, IReadOnlyDictionary<string, string> madeFrom)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(madeFrom);
        return source.Where(b => !madeFrom.TryGetValue(b.Id, out var hash) || hash != b.Hash).ToList();
    }
}

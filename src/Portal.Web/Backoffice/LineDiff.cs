namespace Portal.Web.Backoffice;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>A line-by-line (or word-by-word) difference between two texts, by longest common subsequence.</summary>
public static partial class LineDiff
{
    /// <summary>Texts longer than this many lines (or words) in total are compared as one removed and one added block.</summary>
    public const int MaxLines = 5000;

    public static IReadOnlyList<DiffLine> Compare(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Compare(Lines(before), Lines(after));
    }

    /// <summary>Word by word, white space kept with the word before it, for showing what changed in a paragraph.</summary>
    public static IReadOnlyList<DiffLine> CompareWords(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = new List<DiffLine>();
        // Neighbouring pieces of one kind are merged so the page shows whole phrases.
        foreach (var piece in Compare(Words(before), Words(after)))
        {
            if (result.Count > 0 && result[^1].Kind == piece.Kind)
            {
                result[^1] = piece with { Text = result[^1].Text + piece.Text };
            }
            else
            {
                result.Add(piece);
            }
        }

        return result;
    }

    private static string[] Words(string text) => WordPattern().Matches(text).Select(m => m.Value).ToArray();

    [System.Text.RegularExpressions.GeneratedRegex(@"\S+\s*|\s+")]
    private static partial System.Text.RegularExpressions.Regex WordPattern();

    private static List<DiffLine> Compare(string[] a, string[] b)
    {
        if (a.Length + b.Length > MaxLines)
        {
            return [.. a.Select(l => new DiffLine(DiffKind.Removed, l)), .. b.Select(l => new DiffLine(DiffKind.Added, l))];
        }

        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var result = new List<DiffLine>(a.Length + b.Length);
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add(new DiffLine(DiffKind.Same, a[x]));
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                result.Add(new DiffLine(DiffKind.Removed, a[x++]));
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Added, b[y++]));
            }
        }

        while (x < a.Length)
        {
            result.Add(new DiffLine(DiffKind.Removed, a[x++]));
        }

        while (y < b.Length)
        {
            result.Add(new DiffLine(DiffKind.Added, b[y++]));
        }

        return result;
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
}

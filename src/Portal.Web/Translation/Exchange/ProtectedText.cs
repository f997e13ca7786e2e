using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Web.Translation.Exchange;

/// <summary>A piece of a text sent for translation: words to translate, or markup that must come back unchanged.</summary>
public abstract record TextPart;

/// <summary>Words to translate.</summary>
public sealed record WordsPart(string Text) : TextPart;

/// <summary>Something that must survive translation exactly: a phone number, an address, a link without words, a container fence.</summary>
/// <param name="Data">The original text it stands for.</param>
/// <param name="Display">What a translation tool shows in its place.</param>
public sealed record PlaceholderPart(string Id, string Data, string Display, string Kind) : TextPart;

/// <summary>A link (or picture) whose words are translated while its start and end (the address) are kept.</summary>
public sealed record LinkPart(string Id, string Start, string End, IReadOnlyList<TextPart> Inner, string Kind) : TextPart;

/// <summary>
/// Splits the Markdown of one paragraph into words and protected markup. Phone numbers, e-mail and web
/// addresses, <c>tel:</c> links and the fences of boxes (<c>::: emergency</c>) are placeholders a
/// translator cannot change; other links and pictures keep their address while their words are translated.
/// The same split is used to check a returned translation: it must carry exactly the same protected pieces.
/// </summary>
public static partial class ProtectedText
{
    public static IReadOnlyList<TextPart> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counter = 0;
        return ParseInto(text.ReplaceLineEndings("\n"), ref counter, allowLinks: true);
    }

    /// <summary>The text back, with every protected piece in place.</summary>
    public static string Join(IEnumerable<TextPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var result = new StringBuilder();
        Append(result, parts);
        return result.ToString();
    }

    /// <summary>
    /// Every protected piece of a text, in a fixed order: a phone number, address, link address or fence
    /// a translation lacks, repeats, changes or adds shows up as a difference here.
    /// </summary>
    public static IReadOnlyList<string> ProtectedPieces(string text) =>
        Flatten(Parse(text)).Select(p => p switch
        {
            PlaceholderPart ph => ph.Data,
            LinkPart link => link.Start + "…" + link.End,
            _ => null,
        }).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>What differs between the protected pieces of a source and a translation, as sentences; empty when they agree.</summary>
    public static IReadOnlyList<string> CompareProtected(string source, string translation)
    {
        var expected = ProtectedPieces(source).GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var actual = ProtectedPieces(translation).GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (piece, count) in expected)
        {
            var found = actual.GetValueOrDefault(piece);
            if (found < count)
            {
                problems.Add($"“{Show(piece)}” is missing from the translation.");
            }
            else if (found > count)
            {
                problems.Add($"“{Show(piece)}” appears more often in the translation than in the English.");
            }
        }

        foreach (var piece in actual.Keys.Where(p => !expected.ContainsKey(p)))
        {
            problems.Add($"“{Show(piece)}” is in the translation but not in the English.");
        }

        return problems;
    }

    public static IEnumerable<TextPart> Flatten(IEnumerable<TextPart> parts)
    {
        foreach (var part in parts)
        {
            yield return part;
            if (part is LinkPart link)
            {
                foreach (var inner in Flatten(link.Inner))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string Show(string piece) => piece.Length > 80 ? piece[..77] + "…" : piece;

    private static void Append(StringBuilder result, IEnumerable<TextPart> parts)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case WordsPart words:
                    result.Append(words.Text);
                    break;
                case PlaceholderPart ph:
                    result.Append(ph.Data);
                    break;
                case LinkPart link:
                    result.Append(link.Start);
                    Append(result, link.Inner);
                    result.Append(link.End);
                    break;
            }
        }
    }

    private static List<TextPart> ParseInto(string text, ref int counter, bool allowLinks)
    {
        var parts = new List<TextPart>();
        var position = 0;
        var matches = (allowLinks ? Protected() : ProtectedInLink()).Matches(text);
        foreach (Match m in matches)
        {
            if (m.Index > position)
            {
                parts.Add(new WordsPart(text[position..m.Index]));
            }

            position = m.Index + m.Length;
            if (m.Groups["fence"].Success)
            {
                parts.Add(new PlaceholderPart(NextId(ref counter), m.Value, m.Value.Trim(), "fence"));
            }
            else if (m.Groups["link"].Success)
            {
                var words = m.Groups["words"].Value;
                var url = m.Groups["url"].Value;
                var image = m.Groups["bang"].Value.Length > 0;
                var wordsAreNumber = PhoneNumber().Match(words) is { Success: true } number && number.Length == words.Trim().Length;
                if (url.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) || wordsAreNumber || words.Trim().Length == 0)
                {
                    // A phone link, or a link whose words are a number: nothing in it is to translate.
                    parts.Add(new PlaceholderPart(NextId(ref counter), m.Value, words.Length > 0 ? words : url, "link"));
                }
                else
                {
                    var id = NextId(ref counter);
                    var inner = ParseInto(words, ref counter, allowLinks: false);
                    parts.Add(new LinkPart(id, image ? "![" : "[", "](" + url + ")", inner, image ? "image" : "link"));
                }
            }
            else
            {
                parts.Add(new PlaceholderPart(NextId(ref counter), m.Value, m.Value, m.Groups["phone"].Success ? "phone" : "address"));
            }
        }

        if (position < text.Length)
        {
            parts.Add(new WordsPart(text[position..]));
        }

        return parts;
    }

    private static string NextId(ref int counter) => (++counter).ToString(CultureInfo.InvariantCulture);

    // Order matters: fences, then links (whose address may hold digits), then addresses, then numbers.
    [GeneratedRegex(@"(?<fence>^:::[^\n]*$)|(?<link>(?<bang>!?)\[(?<words>[^\[\]\n]*)\]\((?<url>[^()\s]+)\))|(?<address><(?:https?://|mailto:)[^>\s]+>|https?://[^\s)<>]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|(?<phone>(?<![\d+])\+?\d{2,5}(?: \d{2,6}){1,3}(?!\d))", RegexOptions.Multiline)]
    private static partial Regex Protected();

    [GeneratedRegex(@"(?<address>https?://[^\s)<>]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|(?<phone>(?<![\d+])\+?\d{2,5}(?: \d{2,6}){1,3}(?!\d))")]
    private static partial Regex ProtectedInLink();

    [GeneratedRegex(@"(?<![\d+])\+?\d{2,5}(?: \d{2,6}){1,3}(?!\d)|^\d{3,}$")]
    private static partial Regex PhoneNumber();
}

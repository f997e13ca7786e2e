using System.Globalization;
using System.Text;

namespace Portal.Web.Localization;

/// <summary>
/// One message of a PO file as written: its comments, flags, the previous source text (<c>#| msgid</c>)
/// and every msgstr, fuzzy and untranslated ones included.
/// </summary>
public sealed record PoMessage(
    IReadOnlyList<string> Comments,
    IReadOnlyList<string> Flags,
    string? PreviousId,
    string? Context,
    string Id,
    string? PluralId,
    IReadOnlyList<string> Strings)
{
    public bool IsFuzzy => Flags.Contains("fuzzy");

    /// <summary>Every form is filled in.</summary>
    public bool IsTranslated => Strings.Count > 0 && Strings.All(s => s.Length > 0);

    public UiKey Key => new(Context, Id);
}

/// <summary>A message's identity in a catalogue: msgctxt (often none) and msgid.</summary>
public readonly record struct UiKey(string? Context, string Id)
{
    public override string ToString() => Context is null ? Id : Context + "\u0004" + Id;
}

/// <summary>
/// A PO file as a list of messages, read and written losslessly for what the portal's catalogues use
/// (obsolete <c>#~</c> entries are dropped). Writing is canonical: one line per string, LF, a blank
/// line between messages, so a catalogue read and written again keeps its bytes.
/// </summary>
public sealed class PoDocument
{
    public PoDocument(IReadOnlyList<string> headerComments, string header, IReadOnlyList<PoMessage> messages)
    {
        HeaderComments = headerComments;
        Header = header;
        Messages = messages;
    }

    /// <summary>Comment lines above the header entry.</summary>
    public IReadOnlyList<string> HeaderComments { get; }

    /// <summary>The msgstr of the header entry (<c>Key: value\n</c> lines).</summary>
    public string Header { get; }

    public IReadOnlyList<PoMessage> Messages { get; }

    public IReadOnlyDictionary<string, string> Headers
    {
        get
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in Header.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            return headers;
        }
    }

    public PluralRule Plurals => Headers.TryGetValue("Plural-Forms", out var pf) ? PluralRule.Parse(pf) : PluralRule.Default;

    public static PoDocument Load(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);

    /// <summary>Parses PO text. Throws <see cref="FormatException"/> naming the line on malformed input.</summary>
    public static PoDocument Parse(string text, string sourceName = "PO")
    {
        ArgumentNullException.ThrowIfNull(text);
        var messages = new List<PoMessage>();
        var headerComments = new List<string>();
        string? header = null;
        var current = new Builder();
        string? lastKeyword = null;
        var lineNumber = 0;

        void Flush()
        {
            if (current.Id is not null)
            {
                if (current.Id.Length == 0 && current.Context is null)
                {
                    header = current.Strings.GetValueOrDefault(0) ?? "";
                    headerComments.AddRange(current.Comments);
                }
                else
                {
                    var count = current.Strings.Count == 0 ? 0 : current.Strings.Keys.Max() + 1;
                    var strings = current.PluralId is null
                        ? new List<string> { current.Strings.GetValueOrDefault(0) ?? "" }
                        : Enumerable.Range(0, count).Select(i => current.Strings.GetValueOrDefault(i) ?? "").ToList();
                    messages.Add(new PoMessage(current.Comments, current.Flags, current.PreviousId, current.Context, current.Id, current.PluralId, strings));
                }
            }

            current = new Builder();
            lastKeyword = null;
        }

        foreach (var rawLine in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("#~", StringComparison.Ordinal))
            {
                continue; // obsolete entry
            }

            if (line.StartsWith('#'))
            {
                if (current.HasContent)
                {
                    Flush();
                }

                if (line.StartsWith("#,", StringComparison.Ordinal))
                {
                    current.Flags.AddRange(line[2..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
                else if (line.StartsWith("#| msgid ", StringComparison.Ordinal))
                {
                    current.PreviousId = Unquote(line[9..].Trim(), sourceName, lineNumber);
                }
                else
                {
                    current.Comments.Add(line);
                }

                continue;
            }

            if (line.StartsWith('"'))
            {
                var continuation = Unquote(line, sourceName, lineNumber);
                switch (lastKeyword)
                {
                    case "msgctxt": current.Context += continuation; break;
                    case "msgid": current.Id += continuation; break;
                    case "msgid_plural": current.PluralId += continuation; break;
                    case { } k when k.StartsWith("msgstr", StringComparison.Ordinal):
                        current.Strings[current.LastIndex] += continuation;
                        break;
                    default: throw Error(sourceName, lineNumber, "a string continues no keyword");
                }

                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            if (space < 0)
            {
                throw Error(sourceName, lineNumber, "expected a keyword and a quoted string");
            }

            var keyword = line[..space];
            var value = Unquote(line[space..].Trim(), sourceName, lineNumber);
            if ((keyword is "msgctxt" && current.HasContent) || (keyword is "msgid" && current.HasMsgstr))
            {
                Flush();
            }

            switch (keyword)
            {
                case "msgctxt":
                    current.Context = value;
                    break;
                case "msgid":
                    if (current.Id is not null)
                    {
                        Flush();
                    }

                    current.Id = value;
                    break;
                case "msgid_plural":
                    current.PluralId = value;
                    break;
                case "msgstr":
                    current.Strings[0] = value;
                    current.LastIndex = 0;
                    current.HasMsgstr = true;
                    break;
                default:
                    if (keyword.StartsWith("msgstr[", StringComparison.Ordinal) && keyword.EndsWith(']') &&
                        int.TryParse(keyword.AsSpan(7, keyword.Length - 8), NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
                        index < 10)
                    {
                        current.Strings[index] = value;
                        current.LastIndex = index;
                        current.HasMsgstr = true;
                        break;
                    }

                    throw Error(sourceName, lineNumber, $"unknown keyword '{keyword}'");
            }

            lastKeyword = keyword;
        }

        Flush();
        return new PoDocument(headerComments, header ?? "", messages);
    }

    /// <summary>The canonical text: LF line ends, one line per string, ending in a single newline.</summary>
    public string Write()
    {
        var sb = new StringBuilder();
        foreach (var comment in HeaderComments)
        {
            sb.Append(comment).Append('\n');
        }

        sb.Append("msgid \"\"\nmsgstr \"\"\n");
        foreach (var line in SplitKeepingNewlines(Header))
        {
            sb.Append(Quote(line)).Append('\n');
        }

        foreach (var m in Messages)
        {
            sb.Append('\n');
            foreach (var comment in m.Comments)
            {
                sb.Append(comment).Append('\n');
            }

            if (m.Flags.Count > 0)
            {
                sb.Append("#, ").Append(string.Join(", ", m.Flags)).Append('\n');
            }

            if (m.PreviousId is not null)
            {
                sb.Append("#| msgid ").Append(Quote(m.PreviousId)).Append('\n');
            }

            if (m.Context is not null)
            {
                sb.Append("msgctxt ").Append(Quote(m.Context)).Append('\n');
            }

            sb.Append("msgid ").Append(Quote(m.Id)).Append('\n');
            if (m.PluralId is null)
            {
                sb.Append("msgstr ").Append(Quote(m.Strings.Count > 0 ? m.Strings[0] : "")).Append('\n');
                continue;
            }

            sb.Append("msgid_plural ").Append(Quote(m.PluralId)).Append('\n');
            for (var i = 0; i < m.Strings.Count; i++)
            {
                sb.Append("msgstr[").Append(i.ToString(CultureInfo.InvariantCulture)).Append("] ").Append(Quote(m.Strings[i])).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static IEnumerable<string> SplitKeepingNewlines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    internal static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static string Unquote(string quoted, string sourceName, int lineNumber)
    {
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"')
        {
            throw Error(sourceName, lineNumber, "expected a string in double quotes");
        }

        var sb = new StringBuilder(quoted.Length);
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            var c = quoted[i];
            if (c != '\\')
            {
                if (c == '"')
                {
                    throw Error(sourceName, lineNumber, "unescaped quote inside a string");
                }

                sb.Append(c);
                continue;
            }

            if (++i >= quoted.Length - 1)
            {
                throw Error(sourceName, lineNumber, "a string ends with a backslash");
            }

            sb.Append(quoted[i] switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '"' => '"',
                '\\' => '\\',
                _ => throw Error(sourceName, lineNumber, $"unknown escape '\\{quoted[i]}'"),
            });
        }

        return sb.ToString();
    }

    private static FormatException Error(string sourceName, int line, string message) =>
        new($"{sourceName}, line {line}: {message}.");

    private sealed class Builder
    {
        public List<string> Comments { get; } = [];

        public List<string> Flags { get; } = [];

        public string? PreviousId { get; set; }

        public string? Context { get; set; }

        public string? Id { get; set; }

        public string? PluralId { get; set; }

        public Dictionary<int, string> Strings { get; } = [];

        public int LastIndex { get; set; }

        public bool HasMsgstr { get; set; }

        public bool HasContent => Id is not null || Context is not null;
    }
}

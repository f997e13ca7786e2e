using System.Globalization;
using System.Text;

namespace Portal.Web.Localization;

/// <summary>One translated message: singular text, or every plural form in order.</summary>
public sealed record PoEntry(string? Context, string Id, string? PluralId, IReadOnlyList<string> Translations);

/// <summary>
/// A gettext PO catalogue for one culture. Fuzzy and untranslated entries are left out, so callers
/// fall back to the source text rather than show an unreviewed or outdated wording.
/// </summary>
public sealed class PoCatalog
{
    private readonly Dictionary<string, PoEntry> _entries;

    public PoCatalog(IReadOnlyDictionary<string, string> headers, PluralRule plurals, IEnumerable<PoEntry> entries)
    {
        Headers = headers;
        Plurals = plurals;
        _entries = new Dictionary<string, PoEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _entries[Key(entry.Context, entry.Id)] = entry;
        }
    }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public PluralRule Plurals { get; }

    public IEnumerable<PoEntry> Entries => _entries.Values;

    public static PoCatalog Empty { get; } = new(new Dictionary<string, string>(), PluralRule.Default, []);

    public bool TryGet(string id, string? context, out PoEntry entry) =>
        _entries.TryGetValue(Key(context, id), out entry!);

    /// <summary>The translation of <paramref name="id"/>, or null when there is none.</summary>
    public string? Translate(string id, string? context = null) =>
        TryGet(id, context, out var entry) ? entry.Translations[0] : null;

    /// <summary>The plural form for <paramref name="n"/>, or null when there is none.</summary>
    public string? TranslatePlural(string id, string pluralId, long n, string? context = null)
    {
        if (!TryGet(id, context, out var entry) || entry.PluralId is null)
        {
            return null;
        }

        var index = Plurals.Select(n);
        return index < entry.Translations.Count ? entry.Translations[index] : null;
    }

    private static string Key(string? context, string id) => context is null ? id : context + "\u0004" + id;

    public static PoCatalog Load(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);

    /// <summary>Parses PO text. Throws <see cref="FormatException"/> naming the line on malformed input.</summary>
    public static PoCatalog Parse(string text, string sourceName = "PO")
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<PoEntry>();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var current = new Builder();
        string? lastKeyword = null;
        var lineNumber = 0;

        void Flush()
        {
            if (current.Id is not null)
            {
                if (current.Id.Length == 0 && current.Context is null)
                {
                    ParseHeaders(current.Strings.GetValueOrDefault(0) ?? "", headers);
                }
                else if (!current.Fuzzy)
                {
                    var forms = current.PluralId is null
                        ? new List<string> { current.Strings.GetValueOrDefault(0) ?? "" }
                        : Enumerable.Range(0, current.Strings.Count == 0 ? 0 : current.Strings.Keys.Max() + 1)
                            .Select(i => current.Strings.GetValueOrDefault(i) ?? "").ToList();
                    if (forms.Count > 0 && forms.All(f => f.Length > 0))
                    {
                        entries.Add(new PoEntry(current.Context, current.Id, current.PluralId, forms));
                    }
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

                if (line.StartsWith("#,", StringComparison.Ordinal) &&
                    line[2..].Split(',').Any(f => f.Trim() == "fuzzy"))
                {
                    current.Fuzzy = true;
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
        var plurals = headers.TryGetValue("Plural-Forms", out var pf) ? PluralRule.Parse(pf) : PluralRule.Default;
        return new PoCatalog(headers, plurals, entries);
    }

    private static void ParseHeaders(string block, Dictionary<string, string> headers)
    {
        foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
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
        public string? Context { get; set; }

        public string? Id { get; set; }

        public string? PluralId { get; set; }

        public Dictionary<int, string> Strings { get; } = [];

        public int LastIndex { get; set; }

        public bool Fuzzy { get; set; }

        public bool HasMsgstr { get; set; }

        public bool HasContent => Id is not null || Context is not null;
    }
}

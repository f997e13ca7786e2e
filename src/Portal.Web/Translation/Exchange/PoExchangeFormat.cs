using System.Globalization;
using System.Text;
using Portal.Web.Localization;

namespace Portal.Web.Translation.Exchange;

/// <summary>
/// The same units as gettext PO, for agencies whose tools prefer it: the unit id is the <c>msgctxt</c>,
/// the current English the <c>msgid</c>. A stale paragraph comes as gettext marks one: <c>#, fuzzy</c>,
/// the English it was translated from as <c>#| msgid</c> and the old translation as its <c>msgstr</c>.
/// Protected pieces are plain text here, so an import checks that the translation carries exactly the
/// English's phone numbers, addresses and link addresses.
/// </summary>
public static class PoExchangeFormat
{
    public const string MediaType = "text/x-gettext-translation";

    public static string Write(IEnumerable<ExchangeUnit> units, string sourceCulture, string targetCulture, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(units);
        var text = new StringBuilder();
        text.Append("# Words to translate, from DaPortal.\n");
        text.Append("# Keep every phone number, address and link address exactly as it is in the English.\n");
        text.Append("msgid \"\"\nmsgstr \"\"\n");
        Header(text, "Content-Type: text/plain; charset=UTF-8");
        Header(text, "Content-Transfer-Encoding: 8bit");
        Header(text, $"Language: {targetCulture}");
        Header(text, $"X-Source-Language: {sourceCulture}");
        Header(text, $"POT-Creation-Date: {now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}+0000");
        foreach (var unit in units)
        {
            text.Append('\n');
            text.Append("#. ").Append(OneLine(unit.Where)).Append(" (").Append(unit.Reason).Append(")\n");
            var fuzzy = unit.Previous is not null;
            if (fuzzy)
            {
                text.Append("#, fuzzy\n");
                if (unit.PreviousSource is not null)
                {
                    text.Append("#| msgctxt ").Append(Quote(unit.Id)).Append('\n');
                    text.Append("#| msgid ").Append(Quote(unit.PreviousSource).Replace("\n", "\n#| ", StringComparison.Ordinal)).Append('\n');
                }
            }

            text.Append("msgctxt ").Append(Quote(unit.Id)).Append('\n');
            text.Append("msgid ").Append(Quote(unit.Source)).Append('\n');
            text.Append("msgstr ").Append(Quote(unit.Previous ?? "")).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The translated entries (not fuzzy, not empty) as unit id, English and translation.</summary>
    public static (string? Language, IReadOnlyList<(string Id, string Source, string Target)> Entries) Read(string content)
    {
        PoCatalog catalog;
        try
        {
            catalog = PoCatalog.Parse(content, "the file");
        }
        catch (FormatException e)
        {
            throw new ExchangeFormatException("The file is not a PO file that can be read: " + e.Message);
        }

        var entries = catalog.Entries
            .Where(e => e.Context is not null && e.PluralId is null && e.Translations.Count == 1)
            .Select(e => (e.Context!, e.Id, e.Translations[0]))
            .ToList();
        return (catalog.Headers.GetValueOrDefault("Language"), entries);
    }

    private static void Header(StringBuilder text, string line) => text.Append('"').Append(Escape(line)).Append("\\n\"\n");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>A PO string: escapes, and one quoted line per line of the text so the file reads like the page.</summary>
    private static string Quote(string value)
    {
        var lines = value.Split('\n');
        if (lines.Length == 1)
        {
            return "\"" + Escape(value) + "\"";
        }

        var result = new StringBuilder("\"\"");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = Escape(lines[i]) + (i < lines.Length - 1 ? "\\n" : "");
            if (line.Length > 0)
            {
                result.Append("\n\"").Append(line).Append('"');
            }
        }

        return result.ToString();
    }

    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\t' => "\\t",
                '\r' => "\\r",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}

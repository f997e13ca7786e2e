using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Web.Content;

/// <summary>
/// Writes YAML in one canonical form so that exporting the same data always gives the same bytes:
/// map keys sorted (ordinal), two-space indentation, sequences written in block style at the key's
/// indentation, strings plain where that is unambiguous and double-quoted otherwise, LF endings.
/// Values are maps (<see cref="IDictionary{TKey,TValue}"/> of string), lists, strings, booleans,
/// integers and dates; null map values are left out.
/// </summary>
public static partial class CanonicalYaml
{
    public static string Write(IDictionary<string, object?> root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var sb = new StringBuilder();
        WriteMap(sb, root, 0);
        return sb.ToString();
    }

    private static void WriteMap(StringBuilder sb, IDictionary<string, object?> map, int indent, bool firstLineIndented = true)
    {
        var first = true;
        foreach (var (key, value) in map.Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!first || firstLineIndented)
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append(Scalar(key)).Append(':');
            WriteValueAfterKey(sb, value!, indent);
        }
    }

    private static void WriteValueAfterKey(StringBuilder sb, object value, int indent)
    {
        switch (value)
        {
            case IDictionary<string, object?> child when child.Values.Any(v => v is not null):
                sb.Append('\n');
                WriteMap(sb, child, indent + 2);
                break;
            case IDictionary<string, object?>:
                sb.Append(" {}\n");
                break;
            case IList list when list.Count == 0:
                sb.Append(" []\n");
                break;
            case IList list:
                sb.Append('\n');
                WriteList(sb, list, indent);
                break;
            default:
                sb.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteList(StringBuilder sb, IList list, int indent)
    {
        foreach (var item in list)
        {
            sb.Append(' ', indent).Append("- ");
            switch (item)
            {
                case IDictionary<string, object?> map:
                    WriteMap(sb, map, indent + 2, firstLineIndented: false);
                    break;
                case IList:
                    throw new NotSupportedException("Nested sequences are not used in content files.");
                case null:
                    throw new NotSupportedException("Sequences may not hold null.");
                default:
                    sb.Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    public static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        string s => NeedsQuotes(s) ? Quote(s) : s,
        _ => throw new NotSupportedException($"Cannot write a {value.GetType().Name} as YAML."),
    };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || Reserved.Contains(s) || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]))
        {
            return true;
        }

        if ("-?:,[]{}#&*!|>'\"%@`=".Contains(s[0], StringComparison.Ordinal))
        {
            return true;
        }

        if (NumberLike().IsMatch(s))
        {
            return true;
        }

        foreach (var c in s)
        {
            if (char.IsControl(c) || c == '\uFEFF')
            {
                return true;
            }
        }

        return s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':');
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (char.IsControl(c) || c == '\uFEFF')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    // Anything a YAML 1.1 or 1.2 reader could take for a number, date or time.
    [GeneratedRegex(@"^[-+.]?[0-9][0-9a-fA-FxXoObB:._+\-eE ]*$")]
    private static partial Regex NumberLike();
}

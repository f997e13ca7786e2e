using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Portal.Web.Translation.Exchange;

/// <summary>A unit as read back from an agency's file.</summary>
/// <param name="SourceText">The source as the file has it, protected pieces in place.</param>
/// <param name="TargetText">The translation with protected pieces put back from the current source, or null when the unit has none.</param>
/// <param name="Problem">Why the unit cannot be taken, when it cannot.</param>
public sealed record ReturnedUnit(string Id, string SourceText, string? TargetText, string State, string? Problem);

/// <summary>
/// XLIFF 2.0 (OASIS core) for agencies. Each unit has one segment; phone numbers, addresses and fences
/// are <c>&lt;ph&gt;</c> and links <c>&lt;pc&gt;</c>, all with <c>canDelete="no"</c> and <c>canCopy="no"</c>,
/// their original text in <c>&lt;originalData&gt;</c>.
/// </summary>
public static class XliffFormat
{
    public const string Namespace = "urn:oasis:names:tc:xliff:document:2.0";
    public const string MediaType = "application/xliff+xml";

    private static readonly XNamespace X = Namespace;

    public static string Write(IEnumerable<ExchangeUnit> units, string sourceCulture, string targetCulture, bool targetRightToLeft)
    {
        ArgumentNullException.ThrowIfNull(units);
        var file = new XElement(X + "file",
            new XAttribute("id", "f1"),
            new XAttribute("original", "daportal"),
            new XAttribute("srcDir", "ltr"),
            new XAttribute("trgDir", targetRightToLeft ? "rtl" : "ltr"));
        foreach (var unit in units)
        {
            file.Add(WriteUnit(unit));
        }

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(X + "xliff",
                new XAttribute("version", "2.0"),
                new XAttribute("srcLang", sourceCulture),
                new XAttribute("trgLang", targetCulture),
                file));
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static XElement WriteUnit(ExchangeUnit unit)
    {
        var parts = ProtectedText.Parse(unit.Source);
        var element = new XElement(X + "unit", new XAttribute("id", unit.Id), new XAttribute("name", unit.Where));
        var notes = new XElement(X + "notes", new XElement(X + "note", new XAttribute("category", "reason"), unit.Reason));
        if (unit.PreviousSource is not null)
        {
            notes.Add(new XElement(X + "note", new XAttribute("category", "previous-source"), new XAttribute("appliesTo", "source"), unit.PreviousSource));
        }

        if (unit.Previous is not null)
        {
            notes.Add(new XElement(X + "note", new XAttribute("category", "previous-translation"), new XAttribute("appliesTo", "target"), unit.Previous));
        }

        element.Add(notes);
        var data = new List<XElement>();
        foreach (var part in ProtectedText.Flatten(parts))
        {
            switch (part)
            {
                case PlaceholderPart ph:
                    data.Add(Data("d" + ph.Id, ph.Data));
                    break;
                case LinkPart link:
                    data.Add(Data("d" + link.Id + "s", link.Start));
                    data.Add(Data("d" + link.Id + "e", link.End));
                    break;
            }
        }

        if (data.Count > 0)
        {
            element.Add(new XElement(X + "originalData", data));
        }

        element.Add(new XElement(X + "segment", new XAttribute("state", "initial"), new XElement(X + "source", Inline(parts))));
        return element;
    }

    private static XElement Data(string id, string text) =>
        new(X + "data", new XAttribute("id", id), new XAttribute(XNamespace.Xml + "space", "preserve"), text);

    private static IEnumerable<object> Inline(IEnumerable<TextPart> parts)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case WordsPart words:
                    yield return new XText(words.Text);
                    break;
                case PlaceholderPart ph:
                    yield return new XElement(X + "ph",
                        new XAttribute("id", ph.Id),
                        new XAttribute("dataRef", "d" + ph.Id),
                        new XAttribute("disp", ph.Display),
                        new XAttribute("canCopy", "no"),
                        new XAttribute("canDelete", "no"),
                        new XAttribute("type", ph.Kind == "fence" ? "fmt" : "other"),
                        new XAttribute("subType", "daportal:" + ph.Kind));
                    break;
                case LinkPart link:
                    yield return new XElement(X + "pc",
                        new XAttribute("id", link.Id),
                        new XAttribute("dataRefStart", "d" + link.Id + "s"),
                        new XAttribute("dataRefEnd", "d" + link.Id + "e"),
                        new XAttribute("canCopy", "no"),
                        new XAttribute("canDelete", "no"),
                        new XAttribute("type", link.Kind == "image" ? "image" : "link"),
                        Inline(link.Inner));
                    break;
            }
        }
    }

    /// <summary>Reads an agency's file; throws <see cref="ExchangeFormatException"/> with a sentence when it is not XLIFF 2.0.</summary>
    public static (string SourceLanguage, string? TargetLanguage, IReadOnlyList<XElement> Units) Read(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 20_000_000 };
            using var reader = XmlReader.Create(content, settings);
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new ExchangeFormatException($"The file is not well-formed XML (line {e.LineNumber.ToString(CultureInfo.InvariantCulture)}).");
        }

        var root = document.Root;
        if (root is null || root.Name != X + "xliff" || (string?)root.Attribute("version") != "2.0")
        {
            throw new ExchangeFormatException("The file is not XLIFF 2.0: its root must be <xliff version=\"2.0\"> in the XLIFF 2.0 namespace.");
        }

        var source = (string?)root.Attribute("srcLang") ?? "";
        return (source, (string?)root.Attribute("trgLang"), root.Descendants(X + "unit").ToList());
    }

    /// <summary>
    /// A returned unit checked against what the current source makes: its source and original data must be
    /// the same, and its target must use every placeholder exactly once and no others.
    /// </summary>
    public static ReturnedUnit Check(XElement unit, string currentSource)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(currentSource);
        var id = (string?)unit.Attribute("id") ?? "";
        var segments = unit.Elements(X + "segment").ToList();
        if (segments.Count != 1)
        {
            return new ReturnedUnit(id, "", null, "initial", "The unit must keep exactly one segment.");
        }

        var segment = segments[0];
        var state = (string?)segment.Attribute("state") ?? "initial";
        var data = unit.Element(X + "originalData")?.Elements(X + "data")
            .GroupBy(d => (string?)d.Attribute("id") ?? "")
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal) ?? [];

        // What the current source makes: its pieces and original data.
        var expectedParts = ProtectedText.Parse(currentSource);
        var expected = new Dictionary<string, TextPart>(StringComparer.Ordinal);
        var expectedData = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in ProtectedText.Flatten(expectedParts))
        {
            switch (part)
            {
                case PlaceholderPart ph:
                    expected[ph.Id] = ph;
                    expectedData["d" + ph.Id] = ph.Data;
                    break;
                case LinkPart link:
                    expected[link.Id] = link;
                    expectedData["d" + link.Id + "s"] = link.Start;
                    expectedData["d" + link.Id + "e"] = link.End;
                    break;
            }
        }

        // The source as exported from the current English: same words, same placeholders.
        var outdated = "The English has changed since this file was exported. Export again and translate the current text.";
        var sourceElement = segment.Element(X + "source");
        if (sourceElement is null)
        {
            return new ReturnedUnit(id, "", null, state, "The unit has no source.");
        }

        var (sourceText, sourceProblem) = Rebuild(sourceElement, expectedData, expected);
        if (sourceProblem is not null || SourceText(sourceText) != SourceText(currentSource))
        {
            return new ReturnedUnit(id, sourceText, null, state, outdated);
        }

        // The original data must still be what the English has: a changed phone number or address there is refused.
        if (data.Count != expectedData.Count || expectedData.Any(d => !data.TryGetValue(d.Key, out var value) || value != d.Value))
        {
            return new ReturnedUnit(id, sourceText, null, state, "A protected piece (phone number, address or link) has been changed in the file's original data.");
        }

        var target = segment.Element(X + "target");
        if (target is null || (target.Value.Trim().Length == 0 && !target.Elements().Any()))
        {
            return new ReturnedUnit(id, sourceText, null, state, null);
        }

        var (targetText, targetProblem) = Rebuild(target, expectedData, expected);
        if (targetProblem is not null)
        {
            return new ReturnedUnit(id, sourceText, null, state, targetProblem);
        }

        var used = target.Descendants().Where(e => e.Name == X + "ph" || e.Name == X + "pc").Select(e => (string?)e.Attribute("id") ?? "").ToList();
        var missing = expected.Keys.Where(k => !used.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            return new ReturnedUnit(id, sourceText, null, state, "The translation leaves out " + Describe(missing.Select(k => expected[k])) + ", which must be kept.");
        }

        var repeated = used.GroupBy(u => u).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            return new ReturnedUnit(id, sourceText, null, state, "The translation repeats " + Describe(repeated.Select(k => expected[k])) + ", which may appear only once.");
        }

        // Words typed around the placeholders must not bring in a phone number, address or link of their own.
        var protectedProblems = ProtectedText.CompareProtected(currentSource, targetText);
        if (protectedProblems.Count > 0)
        {
            return new ReturnedUnit(id, sourceText, null, state, string.Join(" ", protectedProblems));
        }

        return new ReturnedUnit(id, sourceText, targetText, state, null);
    }

    private static string SourceText(string text) => SourceBlocks.Normalize(text);

    private static string Describe(IEnumerable<TextPart> parts) =>
        string.Join(", ", parts.Select(p => p switch
        {
            PlaceholderPart ph => "“" + ph.Display + "”",
            LinkPart link => "the link to " + link.End[2..^1],
            _ => "",
        }));

    /// <summary>Text from inline content, placeholders replaced by their data; only the ids and kinds in <paramref name="allowed"/>.</summary>
    private static (string Text, string? Problem) Rebuild(XElement container, IReadOnlyDictionary<string, string> data, IReadOnlyDictionary<string, TextPart> allowed)
    {
        var result = new StringBuilder();
        var problem = Append(result, container, data, allowed);
        return (result.ToString(), problem);
    }

    private static string? Append(StringBuilder result, XElement container, IReadOnlyDictionary<string, string> data, IReadOnlyDictionary<string, TextPart> allowed)
    {
        foreach (var node in container.Nodes())
        {
            switch (node)
            {
                case XText text:
                    result.Append(text.Value);
                    break;
                case XElement e when e.Name == X + "ph":
                {
                    var id = (string?)e.Attribute("id") ?? "";
                    if (!allowed.TryGetValue(id, out var part) || part is not PlaceholderPart)
                    {
                        return $"The translation has a placeholder (id “{id}”) that is not in the English.";
                    }

                    var key = "d" + id;
                    if (!data.TryGetValue(key, out var value))
                    {
                        return $"The placeholder with id “{id}” has no original data.";
                    }

                    result.Append(value);
                    break;
                }

                case XElement e when e.Name == X + "pc":
                {
                    var id = (string?)e.Attribute("id") ?? "";
                    if (!allowed.TryGetValue(id, out var part) || part is not LinkPart)
                    {
                        return $"The translation has a link (id “{id}”) that is not in the English.";
                    }

                    var start = "d" + id + "s";
                    var end = "d" + id + "e";
                    if (!data.TryGetValue(start, out var open) || !data.TryGetValue(end, out var close))
                    {
                        return $"The link with id “{id}” has no original data.";
                    }

                    result.Append(open);
                    var inner = Append(result, e, data, allowed);
                    if (inner is not null)
                    {
                        return inner;
                    }

                    result.Append(close);
                    break;
                }

                case XElement e when e.Name == X + "cp":
                {
                    var hex = (string?)e.Attribute("hex") ?? "";
                    if (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code) || code is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
                    {
                        return $"A code point (“{hex}”) is not a character.";
                    }

                    result.Append(char.ConvertFromUtf32(code));
                    break;
                }

                case XElement e when e.Name == X + "mrk":
                {
                    var inner = Append(result, e, data, allowed);
                    if (inner is not null)
                    {
                        return inner;
                    }

                    break;
                }

                case XElement e:
                    return $"<{e.Name.LocalName}> is not used in these files; keep the placeholders as exported.";
            }
        }

        return null;
    }
}

/// <summary>A file that cannot be read as an exchange file at all.</summary>
public sealed class ExchangeFormatException(string message) : Exception(message);

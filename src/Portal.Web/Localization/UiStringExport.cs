namespace Portal.Web.Localization;

/// <summary>
/// Writes the effective interface strings back as PO files: each language's shipped ui.po with the
/// overrides applied (translations made from an older English wording flagged fuzzy), and the source
/// language's ui.po holding the changed English wordings. Unchanged catalogues keep their bytes.
/// </summary>
public static class UiStringExport
{
    public static IEnumerable<(string Culture, string Text)> Catalogues(UiBase shipped, UiStrings strings, IReadOnlyList<UiStringOverride> overrides, IEnumerable<string> cultures)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        ArgumentNullException.ThrowIfNull(strings);
        ArgumentNullException.ThrowIfNull(overrides);
        foreach (var culture in cultures)
        {
            shipped.Documents.TryGetValue(culture, out var document);
            var hasOverrides = overrides.Any(o => string.Equals(o.Culture, culture, StringComparison.OrdinalIgnoreCase));
            if (document is null && !hasOverrides)
            {
                continue;
            }

            yield return (culture, strings.IsSource(culture)
                ? Source(strings, document, culture)
                : Translated(strings, document, culture));
        }
    }

    private static string Translated(UiStrings strings, PoDocument? document, string culture)
    {
        var messages = new List<PoMessage>();
        var seen = new HashSet<UiKey>();
        foreach (var m in document?.Messages ?? [])
        {
            seen.Add(m.Key);
            var t = strings.Translation(culture, m.Key);
            if (t.State == UiStringStates.Missing)
            {
                messages.Add(m);
                continue;
            }

            var fuzzy = t.State == UiStringStates.Fuzzy;
            var flags = fuzzy
                ? (m.IsFuzzy ? m.Flags : ["fuzzy", .. m.Flags])
                : m.Flags.Where(f => f != "fuzzy").ToList();
            var previous = !fuzzy ? null
                : m.IsFuzzy && t.Override is null ? m.PreviousId
                : t.MadeFrom.Count > 0 && t.MadeFrom[0] is var from && from != m.Id ? from : null;
            messages.Add(m with { Flags = flags, PreviousId = previous, Strings = t.Forms });
        }

        foreach (var source in strings.Messages.Where(s => !seen.Contains(s.Key)))
        {
            var t = strings.Translation(culture, source.Key);
            if (t.Override is null)
            {
                continue;
            }

            var fuzzy = t.State == UiStringStates.Fuzzy;
            messages.Add(new PoMessage(source.Comments, fuzzy ? ["fuzzy"] : [],
                fuzzy && t.MadeFrom.Count > 0 && t.MadeFrom[0] is var from && from != source.Key.Id ? from : null,
                source.Key.Context, source.Key.Id, source.PluralId, t.Forms));
        }

        var header = document?.Header ?? $"Content-Type: text/plain; charset=UTF-8\nLanguage: {culture}\nPlural-Forms: {strings.Plurals(culture).Source}\n";
        return new PoDocument(document?.HeaderComments ?? [], header, messages).Write();
    }

    private static string Source(UiStrings strings, PoDocument? document, string culture)
    {
        var messages = new List<PoMessage>();
        foreach (var source in strings.Messages)
        {
            var english = strings.English(source.Key);
            var inFile = document?.Messages.FirstOrDefault(m => m.Key == source.Key);
            if (inFile is null && english.SequenceEqual(source.CodeText))
            {
                continue;
            }

            messages.Add(new PoMessage(inFile?.Comments ?? source.Comments, [], null, source.Key.Context, source.Key.Id, source.PluralId, english));
        }

        var header = document?.Header ?? $"Content-Type: text/plain; charset=UTF-8\nLanguage: {culture}\nPlural-Forms: {PluralRule.Default.Source}\n";
        return new PoDocument(document?.HeaderComments ?? [], header, messages).Write();
    }
}

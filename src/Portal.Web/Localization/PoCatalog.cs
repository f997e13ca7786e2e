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

    public static PoCatalog Load(string path) => FromDocument(PoDocument.Load(path));

    /// <summary>Parses PO text. Throws <see cref="FormatException"/> naming the line on malformed input.</summary>
    public static PoCatalog Parse(string text, string sourceName = "PO") => FromDocument(PoDocument.Parse(text, sourceName));

    /// <summary>The current messages of a PO file: fuzzy and untranslated ones left out.</summary>
    public static PoCatalog FromDocument(PoDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var entries = document.Messages
            .Where(m => !m.IsFuzzy && m.IsTranslated)
            .Select(m => new PoEntry(m.Context, m.Id, m.PluralId, m.Strings));
        return new PoCatalog(document.Headers, document.Plurals, entries);
    }
}

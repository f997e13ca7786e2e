using System.Text.RegularExpressions;

namespace Portal.Web.Localization;

/// <summary>A message the site uses, as listed in <c>ui.pot</c>.</summary>
public sealed record UiSourceMessage(UiKey Key, string? PluralId, IReadOnlyList<string> Comments)
{
    public string Hash { get; } = UiKeys.Hash(Key);

    public bool IsPlural => PluralId is not null;

    /// <summary>The English text in the code: msgid, and msgid_plural for plural strings.</summary>
    public IReadOnlyList<string> CodeText => PluralId is null ? [Key.Id] : [Key.Id, PluralId];
}

/// <summary>One string in one language as readers get it, and where that comes from.</summary>
/// <param name="Forms">The translation (or the English wording, for the source language); empty when missing.</param>
/// <param name="MadeFrom">The English wording the translation was made from.</param>
/// <param name="Override">The back-office save this comes from, or null for the shipped ui.po.</param>
public sealed record UiTranslation(string State, IReadOnlyList<string> Forms, IReadOnlyList<string> MadeFrom, UiStringOverride? Override);

/// <summary>Counts for the report of missing strings.</summary>
public sealed record UiStringCounts(int Total, int Translated, int Fuzzy, int Missing);

/// <summary>
/// The shipped catalogues, read from disk once at start-up: <c>ui.pot</c> (what the site uses) and
/// one <c>ui.po</c> per language, the source language's optional one holding changed English wordings.
/// </summary>
public sealed class UiBase
{
    public UiBase(string sourceCulture, IReadOnlyList<UiSourceMessage> template, IReadOnlyDictionary<string, PoDocument> documents)
    {
        SourceCulture = sourceCulture;
        Template = template;
        Documents = new Dictionary<string, PoDocument>(documents, StringComparer.OrdinalIgnoreCase);
    }

    public string SourceCulture { get; }

    public IReadOnlyList<UiSourceMessage> Template { get; }

    public IReadOnlyDictionary<string, PoDocument> Documents { get; }

    public static UiBase Empty(string sourceCulture) => new(sourceCulture, [], new Dictionary<string, PoDocument>());

    public static UiBase Load(string translationsDirectory, string sourceCulture, IEnumerable<string> cultures)
    {
        var documents = new Dictionary<string, PoDocument>(StringComparer.OrdinalIgnoreCase);
        foreach (var culture in cultures)
        {
            var path = Path.Combine(translationsDirectory, culture, "ui.po");
            if (File.Exists(path))
            {
                documents[culture] = PoDocument.Load(path);
            }
        }

        var potPath = Path.Combine(translationsDirectory, "ui.pot");
        var template = File.Exists(potPath)
            ? PoDocument.Load(potPath).Messages
            : documents.Values.SelectMany(d => d.Messages).DistinctBy(m => m.Key).ToList();
        return new UiBase(sourceCulture, template.Select(m => new UiSourceMessage(m.Key, m.PluralId, m.Comments)).ToList(), documents);
    }
}

/// <summary>
/// The effective interface strings: the shipped catalogues with the back-office overrides on top.
/// Built once per published-site snapshot. A translation is shown only while the English wording it
/// was made from is the current one; otherwise readers get the current English.
/// </summary>
public sealed partial class UiStrings
{
    private readonly Dictionary<string, Dictionary<UiKey, UiTranslation>> _translations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<UiKey, IReadOnlyList<string>> _english = [];
    private readonly Dictionary<string, PluralRule> _plurals = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<UiKey, UiSourceMessage> _messages = [];

    public UiStrings(UiBase shipped, IEnumerable<UiStringOverride> overrides, IEnumerable<string> cultures)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        SourceCulture = shipped.SourceCulture;
        Messages = shipped.Template;
        foreach (var m in shipped.Template)
        {
            _messages[m.Key] = m;
        }

        var saved = overrides.ToLookup(o => o.Culture, StringComparer.OrdinalIgnoreCase);

        // Every message anyone can look up: the template, the shipped catalogues, the overrides.
        var keys = new Dictionary<UiKey, string?>();
        foreach (var m in shipped.Template)
        {
            keys.TryAdd(m.Key, m.PluralId);
        }

        foreach (var m in shipped.Documents.Values.SelectMany(d => d.Messages))
        {
            keys.TryAdd(m.Key, m.PluralId);
        }

        foreach (var o in saved.SelectMany(g => g))
        {
            keys.TryAdd(new UiKey(o.Context, o.MsgId), o.MsgIdPlural);
        }

        // English: a saved rewording, else the source language's shipped ui.po, else the text in the code.
        var shippedEnglish = new Dictionary<UiKey, IReadOnlyList<string>>();
        shipped.Documents.TryGetValue(SourceCulture, out var sourceDocument);
        foreach (var (key, pluralId) in keys)
        {
            IReadOnlyList<string> code = pluralId is null ? [key.Id] : [key.Id, pluralId];
            var fromFile = sourceDocument?.Messages.FirstOrDefault(m => m.Key == key && !m.IsFuzzy && m.IsTranslated && m.Strings.Count == code.Count);
            shippedEnglish[key] = fromFile?.Strings ?? code;
            _english[key] = shippedEnglish[key];
        }

        var englishOverrides = new Dictionary<UiKey, UiStringOverride>();
        foreach (var o in saved[SourceCulture])
        {
            var key = new UiKey(o.Context, o.MsgId);
            var forms = o.FormList;
            if (forms.Count == _english[key].Count && forms.All(f => f.Length > 0))
            {
                _english[key] = forms;
                englishOverrides[key] = o;
            }
        }

        _plurals[SourceCulture] = PluralRule.Default;
        _translations[SourceCulture] = keys.Keys.ToDictionary(k => k, k => new UiTranslation(
            UiStringStates.Translated, _english[k], shippedEnglish[k], englishOverrides.GetValueOrDefault(k)));

        foreach (var culture in cultures.Where(c => !string.Equals(c, SourceCulture, StringComparison.OrdinalIgnoreCase)))
        {
            shipped.Documents.TryGetValue(culture, out var document);
            var plurals = document?.Plurals ?? PluralRule.Default;
            _plurals[culture] = plurals;
            var byKey = document?.Messages.GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Last()) ?? [];
            var mine = saved[culture].ToDictionary(o => new UiKey(o.Context, o.MsgId));
            var translations = new Dictionary<UiKey, UiTranslation>();
            foreach (var (key, pluralId) in keys)
            {
                var expected = pluralId is null ? 1 : plurals.Count;
                var english = _english[key];
                UiTranslation translation;
                if (mine.TryGetValue(key, out var o) && o.FormList is { } forms && forms.Count == expected && forms.All(f => f.Length > 0))
                {
                    var current = o.State == UiStringStates.Translated && o.MadeFrom.SequenceEqual(english);
                    translation = new UiTranslation(current ? UiStringStates.Translated : UiStringStates.Fuzzy, forms, o.MadeFrom, o);
                }
                else if (byKey.TryGetValue(key, out var m) && m.IsTranslated && m.Strings.Count == expected)
                {
                    // A shipped translation was made from the shipped English.
                    var current = !m.IsFuzzy && shippedEnglish[key].SequenceEqual(english);
                    translation = new UiTranslation(current ? UiStringStates.Translated : UiStringStates.Fuzzy, m.Strings, shippedEnglish[key], null);
                }
                else
                {
                    translation = new UiTranslation(UiStringStates.Missing, [], [], null);
                }

                translations[key] = translation;
            }

            _translations[culture] = translations;
        }
    }

    public string SourceCulture { get; }

    /// <summary>Every message the site uses, in the template's order.</summary>
    public IReadOnlyList<UiSourceMessage> Messages { get; }

    public static UiStrings Empty(string sourceCulture) => new(UiBase.Empty(sourceCulture), [], [sourceCulture]);

    public bool IsSource(string culture) => string.Equals(culture, SourceCulture, StringComparison.OrdinalIgnoreCase);

    public PluralRule Plurals(string culture) => _plurals.GetValueOrDefault(culture) ?? PluralRule.Default;

    public UiSourceMessage? FindMessage(string hash) => Messages.FirstOrDefault(m => m.Hash == hash);

    /// <summary>The current English wording: one form, or singular and plural.</summary>
    public IReadOnlyList<string> English(UiKey key) =>
        _english.TryGetValue(key, out var forms) ? forms : [key.Id];

    public UiTranslation Translation(string culture, UiKey key) =>
        _translations.TryGetValue(culture, out var byKey) && byKey.TryGetValue(key, out var t)
            ? t
            : new UiTranslation(UiStringStates.Missing, [], [], null);

    public UiStringCounts Counts(string culture)
    {
        var states = Messages.Select(m => Translation(culture, m.Key).State).ToList();
        return new UiStringCounts(states.Count, states.Count(s => s == UiStringStates.Translated),
            states.Count(s => s == UiStringStates.Fuzzy), states.Count(s => s == UiStringStates.Missing));
    }

    /// <summary>What readers get: the current translation, else the current English (found = false).</summary>
    public (string Text, bool Found) Text(string culture, string id, string? context = null)
    {
        var key = new UiKey(context, id);
        var t = Translation(culture, key);
        return t.State == UiStringStates.Translated ? (t.Forms[0], true) : (English(key)[0], false);
    }

    /// <summary>The plural form for <paramref name="n"/>, chosen by the language's rule; English when not translated.</summary>
    public (string Text, bool Found) Plural(string culture, string singular, string plural, long n, string? context = null)
    {
        var key = new UiKey(context, singular);
        var t = Translation(culture, key);
        if (t.State == UiStringStates.Translated && t.Forms.Count > 1)
        {
            return (t.Forms[Plurals(culture).Select(n)], true);
        }

        var english = _english.TryGetValue(key, out var e) && e.Count == 2 ? e : [singular, plural];
        return (english[PluralRule.Default.Select(n)], IsSource(culture));
    }

    /// <summary>All current translations without a context, for <c>GetAllStrings</c>.</summary>
    public IEnumerable<(string Id, string Text)> All(string culture) =>
        _translations.TryGetValue(culture, out var byKey)
            ? byKey.Where(p => p.Key.Context is null && p.Value.State == UiStringStates.Translated).Select(p => (p.Key.Id, p.Value.Forms[0]))
            : [];

    /// <summary>Numbers (from 0 to 200) that use each plural form of the language, the first few of each.</summary>
    public static IReadOnlyList<IReadOnlyList<long>> Examples(PluralRule rule, int perForm = 6)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var examples = Enumerable.Range(0, rule.Count).Select(_ => new List<long>()).ToList();
        for (long n = 0; n <= 200; n++)
        {
            var form = examples[rule.Select(n)];
            if (form.Count < perForm)
            {
                form.Add(n);
            }
        }

        return examples;
    }

    /// <summary>How many numbers from 0 to 200 use each form.</summary>
    public static IReadOnlyList<int> FormUse(PluralRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var counts = new int[rule.Count];
        for (long n = 0; n <= 200; n++)
        {
            counts[rule.Select(n)]++;
        }

        return counts;
    }

    /// <summary>The placeholders of a format string: <c>{0}</c>, <c>{name}</c>, <c>{0:N0}</c>.</summary>
    public static IReadOnlySet<string> Placeholders(string text) =>
        Placeholder().Matches(text ?? "").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<!\{)\{([^{}:,]+)(?:[:,][^{}]*)?\}(?!\})")]
    private static partial Regex Placeholder();
}

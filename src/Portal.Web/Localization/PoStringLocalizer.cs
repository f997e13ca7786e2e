using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Portal.Web.Localization;

/// <summary>
/// Interface strings from <c>translations/&lt;culture&gt;/ui.po</c>. The msgid is the English text, so a
/// string missing from a catalogue falls back to English rather than to a key nobody can read.
/// The culture is the request's UI culture, set from the URL.
/// </summary>
public sealed class PoStringLocalizer(UiCatalogHolder holder) : IStringLocalizer
{
    private UiCatalogs Catalogs => holder.Catalogs;

    public LocalizedString this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            var (value, found) = Lookup(name, null);
            return new LocalizedString(name, value, resourceNotFound: !found);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var raw = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, raw.Value, arguments), raw.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Catalogs.For(CultureInfo.CurrentUICulture.Name).Entries
            .Where(e => e.Context is null)
            .Select(e => new LocalizedString(e.Id, e.Translations[0]));

    /// <summary>A message with a context (msgctxt) to tell apart equal English texts.</summary>
    public LocalizedString WithContext(string context, string name)
    {
        var (value, found) = Lookup(name, context);
        return new LocalizedString(name, value, resourceNotFound: !found);
    }

    /// <summary>The plural form for <paramref name="n"/> in the current language; <c>{0}</c> is the number.</summary>
    public LocalizedString Plural(long n, string singular, string plural)
    {
        var catalog = Catalogs.For(CultureInfo.CurrentUICulture.Name);
        var translated = catalog.TranslatePlural(singular, plural, n);
        var text = translated ?? (n == 1 ? singular : plural);
        return new LocalizedString(singular, string.Format(CultureInfo.CurrentCulture, text, n), resourceNotFound: translated is null && !Catalogs.IsSource(CultureInfo.CurrentUICulture.Name));
    }

    private (string Value, bool Found) Lookup(string name, string? context)
    {
        var culture = CultureInfo.CurrentUICulture.Name;
        if (Catalogs.IsSource(culture))
        {
            return (name, true);
        }

        var translated = Catalogs.For(culture).Translate(name, context);
        return translated is null ? (name, false) : (translated, true);
    }
}

/// <summary>Lets <c>IStringLocalizer&lt;T&gt;</c> resolve to the same PO-backed strings.</summary>
public sealed class PoStringLocalizerFactory(PoStringLocalizer localizer) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => localizer;

    public IStringLocalizer Create(string baseName, string location) => localizer;
}

/// <summary>The catalogues in use; loaded once the site's languages are known.</summary>
public sealed class UiCatalogHolder
{
    public UiCatalogs Catalogs { get; set; } = new("en-GB", new Dictionary<string, PoCatalog>());
}

/// <summary>The loaded UI catalogues, one per culture, read once at start-up.</summary>
public sealed class UiCatalogs
{
    private readonly ConcurrentDictionary<string, PoCatalog> _catalogs = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _sourceCulture;

    public UiCatalogs(string sourceCulture, IReadOnlyDictionary<string, PoCatalog> catalogs)
    {
        _sourceCulture = sourceCulture;
        foreach (var (culture, catalog) in catalogs)
        {
            _catalogs[culture] = catalog;
        }
    }

    public bool IsSource(string culture) => string.Equals(culture, _sourceCulture, StringComparison.OrdinalIgnoreCase);

    public PoCatalog For(string culture) => _catalogs.TryGetValue(culture, out var c) ? c : PoCatalog.Empty;

    public static UiCatalogs LoadFrom(string translationsDirectory, string sourceCulture, IEnumerable<string> cultures)
    {
        var loaded = new Dictionary<string, PoCatalog>(StringComparer.OrdinalIgnoreCase);
        foreach (var culture in cultures)
        {
            var path = Path.Combine(translationsDirectory, culture, "ui.po");
            if (File.Exists(path))
            {
                loaded[culture] = PoCatalog.Load(path);
            }
        }

        return new UiCatalogs(sourceCulture, loaded);
    }
}

public static class StringLocalizerExtensions
{
    /// <summary>Plural-aware lookup; <c>{0}</c> in either text is replaced by <paramref name="n"/>.</summary>
    public static LocalizedString Plural(this IStringLocalizer localizer, long n, string singular, string plural) =>
        localizer is PoStringLocalizer po
            ? po.Plural(n, singular, plural)
            : new LocalizedString(singular, string.Format(CultureInfo.CurrentCulture, n == 1 ? singular : plural, n));
}

using System.Globalization;
using Microsoft.Extensions.Localization;
using Portal.Web.Content;

namespace Portal.Web.Localization;

/// <summary>
/// Interface strings: the shipped <c>translations/&lt;culture&gt;/ui.po</c> with the back-office overrides
/// on top (<see cref="UiStrings"/>). The msgid is the English text, so a string missing from a catalogue
/// falls back to English (its current wording) rather than to a key nobody can read. The culture is
/// the request's UI culture, set from the URL.
/// </summary>
public sealed class PoStringLocalizer(UiCatalogHolder holder) : IStringLocalizer
{
    private UiStrings Strings => holder.Current;

    public LocalizedString this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            var (value, found) = Strings.Text(CultureInfo.CurrentUICulture.Name, name);
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
        Strings.All(CultureInfo.CurrentUICulture.Name).Select(e => new LocalizedString(e.Id, e.Text));

    /// <summary>A message with a context (msgctxt) to tell apart equal English texts.</summary>
    public LocalizedString WithContext(string context, string name)
    {
        var (value, found) = Strings.Text(CultureInfo.CurrentUICulture.Name, name, context);
        return new LocalizedString(name, value, resourceNotFound: !found);
    }

    /// <summary>The plural form for <paramref name="n"/> in the current language; <c>{0}</c> is the number.</summary>
    public LocalizedString Plural(long n, string singular, string plural)
    {
        var (text, found) = Strings.Plural(CultureInfo.CurrentUICulture.Name, singular, plural, n);
        return new LocalizedString(singular, string.Format(CultureInfo.CurrentCulture, text, n), resourceNotFound: !found);
    }
}

/// <summary>Lets <c>IStringLocalizer&lt;T&gt;</c> resolve to the same PO-backed strings.</summary>
public sealed class PoStringLocalizerFactory(PoStringLocalizer localizer) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => localizer;

    public IStringLocalizer Create(string baseName, string location) => localizer;
}

/// <summary>
/// The shipped catalogues (read once at start-up) and the effective strings of the current published-site
/// snapshot, rebuilt whenever the snapshot is swapped: after a save here, or when another node's save
/// bumps the content revision.
/// </summary>
public sealed class UiCatalogHolder(SiteContent content)
{
    private Built? _built;

    public UiBase Shipped { get; set; } = UiBase.Empty("en-GB");

    public UiStrings Current
    {
        get
        {
            var snapshot = content.Current;
            var built = _built;
            if (built is not null && ReferenceEquals(built.Snapshot, snapshot) && ReferenceEquals(built.Shipped, Shipped))
            {
                return built.Strings;
            }

            var strings = new UiStrings(Shipped, snapshot.UiStrings, snapshot.Languages.Select(l => l.Tag));
            _built = new Built(snapshot, Shipped, strings);
            return strings;
        }
    }

    private sealed record Built(SiteSnapshot Snapshot, UiBase Shipped, UiStrings Strings);
}

public static class StringLocalizerExtensions
{
    /// <summary>Plural-aware lookup; <c>{0}</c> in either text is replaced by <paramref name="n"/>.</summary>
    public static LocalizedString Plural(this IStringLocalizer localizer, long n, string singular, string plural) =>
        localizer is PoStringLocalizer po
            ? po.Plural(n, singular, plural)
            : new LocalizedString(singular, string.Format(CultureInfo.CurrentCulture, n == 1 ? singular : plural, n));
}

using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Portal.Web.Content;

namespace Portal.Web.Pages;

/// <summary>A language version of the current page, for hreflang and the language switcher.</summary>
public sealed record Alternate(SiteLanguage Language, string Path, bool Translated);

/// <summary>
/// What the public layout needs from every public page: the reader's language, the page title,
/// the other language versions and whether search engines may index it.
/// </summary>
public abstract class PublicPageModel(SiteContent content, IOptions<PortalOptions> options) : PageModel
{
    public SiteSnapshot Site { get; } = content.Current;

    public SiteLanguage Language { get; private set; } = null!;

    public string Title { get; protected set; } = "";

    public string? Description { get; protected set; }

    /// <summary>Set on pages shown in a fallback language: they are kept out of search results and hreflang.</summary>
    public bool NoIndex { get; protected set; }

    /// <summary>The path after the language segment, with a leading slash ("" for home), for switching language.</summary>
    public string PathInLanguage { get; protected set; } = "";

    public string? QueryForSwitcher { get; protected set; }

    /// <summary>Cultures that have this page in their own language (for hreflang).</summary>
    public IReadOnlyList<string> TranslatedCultures { get; protected set; } = [];

    /// <summary>Where the visible Back link goes, or null on the home page.</summary>
    public string? BackHref { get; protected set; }

    public string? CurrentSlug { get; protected set; }

    public bool EasyRead { get; protected set; }

    /// <summary>The page's base URL for absolute links: configured, or the request's own origin.</summary>
    public string Origin => options.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{Request.Scheme}://{Request.Host}";

    public string Href(string lang, string pathInLanguage) => "/" + lang + pathInLanguage;

    public IEnumerable<Alternate> Alternates =>
        Site.Languages.Select(l => new Alternate(l, Href(l.Tag, PathInLanguage), TranslatedCultures.Contains(l.Tag)));

    /// <summary>
    /// A request with no matching handler (a POST to a page that only reads, say) is refused with
    /// 405 instead of rendering a page that was never prepared.
    /// </summary>
    public override Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.HandlerMethod is null)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return Task.CompletedTask;
        }

        return next();
    }

    /// <summary>Sets the language from the route; false when the segment is not a site language.</summary>
    protected bool UseLanguage(string? lang)
    {
        var language = Site.FindLanguage(lang);
        if (language is null || language.Tag != lang)
        {
            return false;
        }

        Language = language;
        CultureInfo.CurrentCulture = language.Culture;
        CultureInfo.CurrentUICulture = language.Culture;
        return true;
    }

    /// <summary>Uses a language without a route (error pages): the given one if valid, else the default.</summary>
    protected void UseLanguageOrDefault(string? lang)
    {
        if (!UseLanguage(lang))
        {
            UseLanguage(Site.Settings.DefaultLanguage);
        }
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Caching;
using Portal.Web.Content;
using Portal.Web.Helplines;

namespace Portal.Web.Pages.Public;

/// <summary>What the content view needs: a resolved page variant, rendered as the public sees it.</summary>
public abstract class RenderedPageModel(SiteContent content, IOptions<PortalOptions> options, TimeProvider clock)
    : PublicPageModel(content, options)
{
    public ResolvedPage Resolved { get; private set; } = null!;

    public RenderedMarkdown Body { get; private set; } = null!;

    public bool HasEasyRead { get; private set; }

    /// <summary>The helpline audience filter in force, or null for all.</summary>
    public string? Filter { get; private set; }

    public IReadOnlyList<HelplineView> Helplines { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>Prepares a resolved page for the view, as the public sees it.</summary>
    protected IActionResult Show(ResolvedPage page, string slug, string? audienceFilter)
    {
        ArgumentNullException.ThrowIfNull(page);
        var lang = Language.Tag;
        var audience = page.Version.Audience;
        Resolved = page;
        CurrentSlug = slug;
        EasyRead = audience == Audiences.EasyRead;
        HasEasyRead = !EasyRead && Site.HasAudience(slug, Audiences.EasyRead);
        Title = page.Version.Title;
        Description = page.Version.Description;
        NoIndex = page.IsFallback;
        TranslatedCultures = page.TranslatedCultures;
        PathInLanguage = slug == "home" ? "" : "/" + slug + (EasyRead ? "/easy-read" : "");
        BackHref = slug == "home" ? null : EasyRead ? Href(lang, "/" + slug) : Href(lang, "");
        Body = Site.Render(page.Version, Language.Tag);

        if (page.Document.Layout == Layouts.Helplines)
        {
            if (audienceFilter is not null && !ContentImport.HelplineAudiences.Contains(audienceFilter))
            {
                return NotFound();
            }

            Now = clock.GetUtcNow();
            Filter = audienceFilter;
            QueryForSwitcher = audienceFilter is null ? null : "?for=" + audienceFilter;
            Helplines = HelplineView.For(Site, Language.Tag, audienceFilter, Now);
        }

        return Page();
    }
}

/// <summary>Every content page: home, documents (policy and guidance), easy-read variants and the helpline directory.</summary>
public sealed class ContentPageModel(SiteContent content, IOptions<PortalOptions> options, TimeProvider clock)
    : RenderedPageModel(content, options, clock)
{
    public IActionResult OnGet(string lang, string? slug, string? variant, [FromQuery(Name = "for")] string? audienceFilter)
    {
        if (!UseLanguage(lang))
        {
            return NotFound();
        }

        if (slug == "home")
        {
            return RedirectPermanent("/" + lang);
        }

        slug ??= "home";
        var audience = variant is null ? Audiences.Standard : Audiences.EasyRead;
        if (variant is not null && variant != Audiences.EasyRead)
        {
            return NotFound();
        }

        var page = Site.Resolve(slug, Language.Tag, audience);
        if (page is null)
        {
            return NotFound();
        }

        var result = Show(page, slug, audienceFilter);
        if (result is PageResult)
        {
            // The published page may be served from memory until the next publish, and the helpline
            // directory only until a service opens or closes.
            var valid = page.Document.Layout == Layouts.Helplines
                ? (Now, Opening.NextChange(Site.Helplines.Select(h => (h.Data.AlwaysOpen, h.Periods)), Now))
                : ((DateTimeOffset, DateTimeOffset)?)null;
            HttpContext.Features.Set(new CacheablePageFeature(Href(lang, PathInLanguage) + QueryForSwitcher, valid));
        }

        return result;
    }
}

/// <summary>A helpline as shown in one language at one instant.</summary>
public sealed record HelplineView(HelplineEntry Entry, HelplineText Text, bool TextIsFallback, bool OpenNow)
{
    public static IReadOnlyList<HelplineView> For(SiteSnapshot site, string culture, string? audience, DateTimeOffset now)
    {
        var selected = site.Helplines.Where(h => audience is null || h.Audiences.Contains(audience) || h.Audiences.Contains("everyone"))
            // Services specific to the chosen group first, then those for everyone.
            .OrderBy(h => audience is not null && !h.Audiences.Contains(audience) ? 1 : 0)
            .ThenBy(h => h.Data.Order);
        return selected.Select(h =>
        {
            var (text, fallback) = site.HelplineText(h.Data.Id, culture);
            var open = Opening.IsOpenAt(h.Data.AlwaysOpen, h.Periods, h.Data.BankHolidays == "closed", site.BankHolidays, now);
            return new HelplineView(h, text, fallback, open);
        }).ToList();
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Public;

/// <summary>
/// A draft version shown as the public page would show it, to anyone holding a signed link that
/// has not expired. Never indexed; sets no cookie.
/// </summary>
public sealed class PreviewModel(SiteContent content, IOptions<PortalOptions> options, TimeProvider clock, PreviewLinks links, PortalDb db)
    : RenderedPageModel(content, options, clock)
{
    public async Task<IActionResult> OnGetAsync(string token)
    {
        Response.Headers["X-Robots-Tag"] = "noindex";
        if (links.Read(token) is not { } versionId)
        {
            return NotFound();
        }

        var version = await db.PageVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, HttpContext.RequestAborted);
        if (version is null || !Site.Documents.TryGetValue(version.Slug, out var document) || !UseLanguage(version.Culture))
        {
            return NotFound();
        }

        var translated = Site.Languages.Where(l => Site.Published.ContainsKey((version.Slug, l.Tag, version.Audience))).Select(l => l.Tag).ToList();
        var result = Show(new ResolvedPage(document, version, false, translated), version.Slug, null);
        NoIndex = true;
        return result;
    }
}

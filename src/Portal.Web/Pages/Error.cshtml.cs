using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Portal.Web.Content;

namespace Portal.Web.Pages;

/// <summary>
/// Status pages in the reader's language, taken from the first segment of the address that failed.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(SiteContent content, IOptions<PortalOptions> options, IStringLocalizer S)
    : PublicPageModel(content, options)
{
    public int Code { get; private set; }

    public string Message { get; private set; } = "";

    // The code is read from the route, not model-bound: a refused post must not be read again to find it.
    public IActionResult OnGet() => Show();

    public IActionResult OnPost() => Show();

    private PageResult Show()
    {
        var code = int.TryParse(RouteData.Values["code"] as string, out var c) ? c : 404;
        var originalPath = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path
            ?? Request.Path.Value
            ?? "";
        var firstSegment = originalPath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        UseLanguageOrDefault(firstSegment);

        Code = code is >= 400 and <= 599 ? code : 404;
        (Title, Message) = Code switch
        {
            404 => (S["Page not found"].Value, S["If you typed the web address, check it is correct. You can go to the home page to find what you need."].Value),
            400 => (S["Sorry, we could not understand that request"].Value, S["Please go back and try again."].Value),
            413 => (S["What you sent is too large"].Value, S["Please shorten your message and try again."].Value),
            429 => (S["Too many attempts"].Value, S["Please wait a few minutes and try again. If you are in danger, call 999."].Value),
            >= 500 => (S["Sorry, there is a problem with this website"].Value, S["Please try again later. If you are in danger, call 999."].Value),
            _ => (S["Sorry, that did not work"].Value, S["Please go back and try again."].Value),
        };
        NoIndex = true;
        BackHref = Href(Language.Tag, "");
        Response.StatusCode = Code;
        return Page();
    }
}

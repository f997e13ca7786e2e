using Microsoft.AspNetCore.Http.Features;

namespace Portal.Web.Pages.Contact;

/// <summary>
/// Caps a form post at 64 KB (413 beyond) and keeps the body in memory, never in a temporary
/// file, before anything in the pipeline reads it: what a person writes must not touch the disk
/// in the clear.
/// </summary>
public sealed class FormBodyLimit(RequestDelegate next)
{
    public const int Limit = 64 * 1024;

    private static bool IsFormPath(PathString path) =>
        path.Value is { } p && p.EndsWith("/contact", StringComparison.Ordinal) && p.Count(c => c == '/') == 2;

    public async Task InvokeAsync(HttpContext context)
    {
        // Only the form itself; a status page re-executed for a refused post passes straight through.
        if (!HttpMethods.IsPost(context.Request.Method) || !IsFormPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        if (context.Request.ContentLength > Limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = Limit;
        }

        context.Request.EnableBuffering(bufferThreshold: Limit + 1, bufferLimit: Limit);
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException && !context.Response.HasStarted)
        {
            // A chunked body that grew past the limit while something other than the form page read it.
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        }
    }
}

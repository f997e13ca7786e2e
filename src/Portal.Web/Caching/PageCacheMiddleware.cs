using Microsoft.Extensions.Options;
using Portal.Web.Content;

namespace Portal.Web.Caching;

/// <summary>
/// Serves published public pages from memory, before routing, with the encoding the reader's
/// browser accepts. A page not yet stored is rendered through the rest of the pipeline as usual and
/// kept if the page said it may be (<see cref="CacheablePageFeature"/>): only content pages do. The
/// form, the back office, previews and error pages never opt in, so nothing carrying a secret or a
/// sender's input is ever stored or compressed here. Headers are the same on a stored answer as on
/// a rendered one: the security headers are stamped on both by <see cref="Safety.SecurityHeadersMiddleware"/>.
/// </summary>
public sealed class PageCacheMiddleware(RequestDelegate next, PageCache cache, SiteContent content, IOptions<PortalOptions> options)
{
    private readonly bool _linksFromRequest = options.Value.PublicBaseUrl is null;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !IsContentAddress(request, content.Current))
        {
            await next(context);
            return;
        }

        var key = _linksFromRequest
            ? new PageCacheKey(request.Path.Value!, request.QueryString.Value ?? "", request.Scheme, request.Host.Value)
            : new PageCacheKey(request.Path.Value!, request.QueryString.Value ?? "", null, null);
        if (cache.TryGet(key, out var stored))
        {
            await WriteAsync(context, stored);
            return;
        }

        var generation = cache.Current;
        var rendering = new TaskCompletionSource<RenderedPage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = generation.Rendering.GetOrAdd(key, rendering.Task);
        if (!ReferenceEquals(first, rendering.Task))
        {
            // Someone is rendering this page now: send theirs, or render ours if theirs may not be kept.
            if (await first is { } theirs)
            {
                await WriteAsync(context, theirs);
            }
            else
            {
                await next(context);
            }

            return;
        }

        RenderedPage? page = null;
        try
        {
            page = await RenderAsync(context, key, generation);
        }
        finally
        {
            rendering.TrySetResult(page);
            generation.Rendering.TryRemove(new KeyValuePair<PageCacheKey, Task<RenderedPage?>>(key, rendering.Task));
        }
    }

    /// <summary>Renders the page into memory; stores it if it may be kept, then sends it.</summary>
    private async Task<RenderedPage?> RenderAsync(HttpContext context, PageCacheKey key, PageCache.Generation generation)
    {
        cache.CountRender();
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        context.Features.Set(new PageCaptureFeature());
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
            context.Features.Set<PageCaptureFeature>(null);
        }

        var feature = context.Features.Get<CacheablePageFeature>();
        var cacheable = response.StatusCode == StatusCodes.Status200OK
            && feature is not null
            && string.Equals(feature.PathAndQuery, key.Path + key.Query, StringComparison.Ordinal)
            && response.ContentType is not null
            && !response.Headers.ContainsKey("Set-Cookie")
            && !response.Headers.ContainsKey("Content-Encoding");
        if (!cacheable)
        {
            // Sent as rendered, without compression.
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                response.ContentLength = buffer.Length;
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
            return null;
        }

        var page = RenderedPage.Create(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), response.ContentType!,
            response.Headers.ContentLanguage.ToString() is { Length: > 0 } language ? language : null, feature!.Valid);
        if (generation.MayStore(key))
        {
            generation.Store(key, page);
        }

        await WriteAsync(context, page);
        return page;
    }

    /// <summary>The first segment is a site language and the page is not the form (which never opts in anyway).</summary>
    private static bool IsContentAddress(HttpRequest request, SiteSnapshot site)
    {
        var path = request.Path.Value;
        if (path is null || path.Length < 2 || path[0] != '/')
        {
            return false;
        }

        var rest = path.AsSpan(1);
        var slash = rest.IndexOf('/');
        var first = slash < 0 ? rest : rest[..slash];
        var isLanguage = false;
        foreach (var language in site.Languages)
        {
            if (first.SequenceEqual(language.Tag))
            {
                isLanguage = true;
                break;
            }
        }

        if (!isLanguage)
        {
            return false;
        }

        var second = slash < 0 ? [] : rest[(slash + 1)..];
        var end = second.IndexOf('/');
        second = end < 0 ? second : second[..end];
        return !second.SequenceEqual("contact");
    }

    private static Task WriteAsync(HttpContext context, RenderedPage page)
    {
        var response = context.Response;
        var (body, coding) = AcceptEncoding.Choose(context.Request.Headers.AcceptEncoding) switch
        {
            AcceptEncoding.Choice.Brotli => (page.Brotli, "br"),
            AcceptEncoding.Choice.Gzip => (page.Gzip, "gzip"),
            _ => (page.Identity, null),
        };
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = page.ContentType;
        var headers = response.Headers;
        if (page.ContentLanguage is not null)
        {
            headers.ContentLanguage = page.ContentLanguage;
        }

        headers.Vary = "Accept-Encoding";
        if (coding is not null)
        {
            headers.ContentEncoding = coding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}

using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace Portal.Web.Safety;

/// <summary>Marks a response that carries a secret next to what the sender chose: it is sent uncompressed.</summary>
public sealed class DoNotCompressFeature;

/// <summary>
/// Response compression that skips responses marked with <see cref="DoNotCompressFeature"/>, over
/// HTTP and HTTPS alike (BREACH: compressing a secret together with attacker-controlled input
/// leaks the secret through the compressed length).
/// </summary>
public sealed class BreachSafeCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
    : ResponseCompressionProvider(services, options)
{
    public override bool ShouldCompressResponse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A page rendered for the page cache is compressed once by the cache itself.
        return context.Features.Get<DoNotCompressFeature>() is null
            && context.Features.Get<Caching.PageCaptureFeature>() is null
            && base.ShouldCompressResponse(context);
    }
}

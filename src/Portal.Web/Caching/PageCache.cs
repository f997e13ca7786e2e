using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.Extensions.Primitives;
using Portal.Web.Content;

namespace Portal.Web.Caching;

/// <summary>
/// Set by a public page whose response may be kept and served from memory: the path and query it
/// answers for (only that exact address is stored) and, for pages that change with the clock (the
/// helpline directory's "open now"), when the stored copy stops being right.
/// </summary>
public sealed class CacheablePageFeature(string pathAndQuery, (DateTimeOffset From, DateTimeOffset Until)? valid = null)
{
    public string PathAndQuery { get; } = pathAndQuery;

    /// <summary>For a page that changes with the clock: the instants between which it is right.</summary>
    public (DateTimeOffset From, DateTimeOffset Until)? Valid { get; } = valid;
}

/// <summary>Set while a page is rendered for the cache: the compression middleware leaves the body alone.</summary>
public sealed class PageCaptureFeature;

/// <summary>Which stored page a request asks for. <see cref="Scheme"/> and <see cref="Host"/> are set only when links are built from the request's.</summary>
public readonly record struct PageCacheKey(string Path, string Query, string? Scheme, string? Host)
{
    public string? Origin => Host is null ? null : Scheme + "://" + Host;
}

/// <summary>A page rendered once, with its body as sent without compression, with Brotli and with gzip.</summary>
public sealed class RenderedPage
{
    private RenderedPage(byte[] identity, byte[] brotli, byte[] gzip, string contentType, string? contentLanguage, (DateTimeOffset From, DateTimeOffset Until)? valid)
    {
        Identity = identity;
        Brotli = brotli;
        Gzip = gzip;
        ContentType = contentType;
        ContentLanguage = contentLanguage;
        Valid = valid;
    }

    public byte[] Identity { get; }

    public byte[] Brotli { get; }

    public byte[] Gzip { get; }

    public string ContentType { get; }

    public string? ContentLanguage { get; }

    public (DateTimeOffset From, DateTimeOffset Until)? Valid { get; }

    public int Size => Identity.Length + Brotli.Length + Gzip.Length;

    /// <summary>Compresses the body with the strongest settings: this runs once per page per publish, not per request.</summary>
    public static RenderedPage Create(ReadOnlySpan<byte> body, string contentType, string? contentLanguage, (DateTimeOffset From, DateTimeOffset Until)? valid)
    {
        var brotli = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        if (!BrotliEncoder.TryCompress(body, brotli, out var written, quality: 11, window: 22))
        {
            throw new InvalidOperationException("Brotli could not compress the page.");
        }

        using var gzip = new MemoryStream();
        using (var stream = new GZipStream(gzip, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            stream.Write(body);
        }

        return new RenderedPage(body.ToArray(), brotli.AsSpan(0, written).ToArray(), gzip.ToArray(), contentType, contentLanguage, valid);
    }
}

/// <summary>
/// Rendered public pages, kept for the published snapshot they were rendered from. A publish on
/// this node or another (seen by <see cref="Backoffice.ContentRevisionWatcher"/>) swaps the
/// snapshot, and with it every stored page goes; so do pages past their own expiry.
/// </summary>
public sealed class PageCache(SiteContent content, TimeProvider clock)
{
    /// <summary>Different hosts a request may name when links are built from it: more are rendered, not stored.</summary>
    public const int MaxOrigins = 4;

    /// <summary>Bytes one snapshot's pages may hold (each page thrice: plain, Brotli, gzip).</summary>
    public const long MaxBytes = 48L * 1024 * 1024;

    private Generation _generation = new(null);
    private long _renders;

    /// <summary>Pages stored for the snapshot in memory.</summary>
    public int Count => _generation.Pages.Count;

    /// <summary>How many times a cacheable address was rendered rather than served from memory, since start.</summary>
    public long Renders => Interlocked.Read(ref _renders);

    internal void CountRender() => Interlocked.Increment(ref _renders);

    /// <summary>The stored page for the key, if it was rendered from the current snapshot and has not expired.</summary>
    public bool TryGet(in PageCacheKey key, out RenderedPage page)
    {
        var generation = _generation;
        if (ReferenceEquals(generation.Snapshot, content.Current) && generation.Pages.TryGetValue(key, out page!))
        {
            if (page.Valid is not { } valid || (clock.GetUtcNow() is var now && now >= valid.From && now < valid.Until))
            {
                return true;
            }

            generation.Remove(key, page);
        }

        page = null!;
        return false;
    }

    /// <summary>
    /// The pages being rendered right now for the current snapshot: a second request for the same
    /// page waits for the first instead of rendering and compressing it again.
    /// </summary>
    public Generation Current
    {
        get
        {
            var snapshot = content.Current;
            var generation = _generation;
            if (ReferenceEquals(generation.Snapshot, snapshot))
            {
                return generation;
            }

            var fresh = new Generation(snapshot);
            var seen = Interlocked.CompareExchange(ref _generation, fresh, generation);
            return ReferenceEquals(seen, generation) ? fresh : seen.Snapshot == snapshot ? seen : fresh;
        }
    }

    public sealed class Generation(SiteSnapshot? snapshot)
    {
        private readonly ConcurrentDictionary<string, byte> _origins = new(StringComparer.Ordinal);
        private long _bytes;

        public SiteSnapshot? Snapshot { get; } = snapshot;

        public ConcurrentDictionary<PageCacheKey, RenderedPage> Pages { get; } = new();

        public ConcurrentDictionary<PageCacheKey, Task<RenderedPage?>> Rendering { get; } = new();

        /// <summary>Whether a page for this key may be stored (a bound on hosts and bytes keeps memory in check).</summary>
        public bool MayStore(in PageCacheKey key)
        {
            if (Interlocked.Read(ref _bytes) >= MaxBytes)
            {
                return false;
            }

            var origin = key.Origin;
            return origin is null || _origins.ContainsKey(origin) || (_origins.Count < MaxOrigins && _origins.TryAdd(origin, 0));
        }

        public void Store(in PageCacheKey key, RenderedPage page)
        {
            if (Pages.TryAdd(key, page))
            {
                Interlocked.Add(ref _bytes, page.Size);
            }
            else if (Pages.TryGetValue(key, out var old) && Pages.TryUpdate(key, page, old))
            {
                Interlocked.Add(ref _bytes, page.Size - old.Size);
            }
        }

        public void Remove(in PageCacheKey key, RenderedPage page)
        {
            if (Pages.TryRemove(new KeyValuePair<PageCacheKey, RenderedPage>(key, page)))
            {
                Interlocked.Add(ref _bytes, -page.Size);
            }
        }
    }
}

/// <summary>Picks the encoding to send from an Accept-Encoding header: Brotli, then gzip, then none.</summary>
public static class AcceptEncoding
{
    public enum Choice
    {
        Identity,
        Gzip,
        Brotli,
    }

    public static Choice Choose(StringValues header)
    {
        var gzip = false;
        foreach (var value in header)
        {
            foreach (var range in (value ?? "").AsSpan().Split(','))
            {
                var item = value.AsSpan()[range].Trim();
                var semicolon = item.IndexOf(';');
                var coding = (semicolon < 0 ? item : item[..semicolon]).Trim();
                if (semicolon >= 0 && IsZeroQuality(item[(semicolon + 1)..]))
                {
                    continue;
                }

                if (coding.Equals("br", StringComparison.OrdinalIgnoreCase))
                {
                    return Choice.Brotli;
                }

                gzip |= coding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
            }
        }

        return gzip ? Choice.Gzip : Choice.Identity;
    }

    private static bool IsZeroQuality(ReadOnlySpan<char> parameters)
    {
        var p = parameters.Trim();
        if (!p.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return double.TryParse(p[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) && q <= 0;
    }
}

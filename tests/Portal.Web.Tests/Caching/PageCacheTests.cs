using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Caching;
using Portal.Web.Content;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Caching;

/// <summary>The same site with the page cache switched off: what a rendered answer looks like.</summary>
public sealed class UncachedPortal() : PortalFactory(new Dictionary<string, string?> { ["Portal:PageCache"] = "false" });

public sealed class PageCacheTests(PortalFactory portal, UncachedPortal uncached) : IClassFixture<PortalFactory>, IClassFixture<UncachedPortal>
{
    private PageCache Cache => portal.Services.GetRequiredService<PageCache>();

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Stream stream = new MemoryStream(bytes);
        stream = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(stream, CompressionMode.Decompress),
            "gzip" => new GZipStream(stream, CompressionMode.Decompress),
            null => stream,
            var other => throw new InvalidOperationException("Unexpected encoding " + other),
        };
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task APublishedPage_IsRenderedOnce_ThenServedFromMemory()
    {
        var client = portal.CreatePlainClient();
        var first = await BodyAsync(await GetAsync(client, "/cy/online-privacy", "br"));
        var renders = Cache.Renders;

        for (var i = 0; i < 5; i++)
        {
            var again = await GetAsync(client, "/cy/online-privacy", i % 2 == 0 ? "br" : "gzip");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(first, await BodyAsync(again));
        }

        Assert.Equal(renders, Cache.Renders);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", null)]
    [InlineData(null, null)]
    public async Task EachEncoding_IsTheSamePage_NegotiatedByAcceptEncoding(string? accept, string? expected)
    {
        var client = portal.CreatePlainClient();
        var plain = await BodyAsync(await GetAsync(client, "/ur/policy", null));
        await GetAsync(client, "/ur/policy", accept);

        var response = await GetAsync(client, "/ur/policy", accept);

        Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
        Assert.Equal(plain, await BodyAsync(response));
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(response.Content.Headers.ContentLength, (await GetAsync(client, "/ur/policy", accept)).Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("/en-GB/policy")]
    [InlineData("/ar/services?for=women")]
    [InlineData("/pl")]
    public async Task AStoredPage_HasTheHeadersAndBodyOfARenderedOne(string path)
    {
        // Same instant on both, for the helpline directory's "open now".
        uncached.Clock.AdjustTime(portal.Clock.GetUtcNow());
        var client = portal.CreatePlainClient();
        await GetAsync(client, path, "br");
        var stored = await GetAsync(client, path, "br");
        var rendered = await GetAsync(uncached.CreatePlainClient(), path, "br");

        static IEnumerable<string> Headers(HttpResponseMessage r) => r.Headers.Concat(r.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Length" or "Transfer-Encoding"))
            .Select(h => h.Key + ": " + string.Join(", ", h.Value))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Headers(rendered), Headers(stored));
        Assert.Equal(await BodyAsync(rendered), await BodyAsync(stored));
        Assert.Equal("no-store", stored.Headers.CacheControl!.ToString());
        Assert.False(stored.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task APublish_ReplacesTheStoredPage_AtOnce()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        var before = await PublicTextAsync(portal, "/en-GB/accessibility");
        Assert.Equal(before, await PublicTextAsync(portal, "/en-GB/accessibility"));

        var marker = "Stored pages go when this is published " + Guid.NewGuid().ToString("n");
        await OkAsync(SaveAsync(editor, "accessibility", "en-GB", "Accessibility", "## Accessibility\n\n" + marker + "\n"));
        Assert.DoesNotContain(marker, await PublicTextAsync(portal, "/en-GB/accessibility"), StringComparison.Ordinal);
        await OkAsync(ActAsync(editor, "accessibility", "en-GB", "submit"));
        await OkAsync(ActAsync(publisher, "accessibility", "en-GB", "approve"));
        await OkAsync(ActAsync(publisher, "accessibility", "en-GB", "publish"));

        Assert.Contains(marker, await PublicTextAsync(portal, "/en-GB/accessibility"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APublishOnAnotherNode_ReplacesTheStoredPage_WhenTheRevisionIsSeen()
    {
        var (_, translated) = await portal.GetPageAsync("/ro/changing-behaviour");
        Assert.Null(translated.QuerySelector("meta[name=robots]"));

        // Another node takes the Romanian page down: the database changes, then this node polls.
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var variant = await db.PageVariants.SingleAsync(v => v.Slug == "changing-behaviour" && v.Culture == "ro" && v.Audience == "standard");
            variant.PublishedVersionId = null;
            (await db.Revisions.SingleAsync()).Revision++;
            await db.SaveChangesAsync();
        }

        var (_, stillStored) = await portal.GetPageAsync("/ro/changing-behaviour");
        Assert.Null(stillStored.QuerySelector("meta[name=robots]"));
        Assert.True(await portal.Services.GetRequiredService<ContentRevisionWatcher>().CheckAsync());

        // Now shown in the fallback language, kept out of search results.
        var (after, document) = await portal.GetPageAsync("/ro/changing-behaviour");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("noindex", document.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
    }

    [Fact]
    public async Task TheForm_IsNeverStored_AndCarriesAFreshTokenEachTime()
    {
        var client = portal.CreatePlainClient();
        var count = Cache.Count;
        var renders = Cache.Renders;

        var first = await BodyAsync(await GetAsync(client, "/en-GB/contact", "br"));
        var second = await BodyAsync(await GetAsync(client, "/en-GB/contact", "br"));

        Assert.NotEqual(first, second);
        Assert.Equal(count, Cache.Count);
        Assert.Equal(renders, Cache.Renders);
    }

    [Theory]
    [InlineData("/en-GB/policy?utm=1")]
    [InlineData("/en-GB/policy/")]
    [InlineData("/en-GB/services?for=nobody")]
    [InlineData("/en-GB/no-such-page")]
    [InlineData("/backoffice")]
    [InlineData("/error/404")]
    public async Task OtherAddresses_AreNeverStored(string path)
    {
        var client = portal.CreatePlainClient();
        await client.GetAsync(path);
        var count = Cache.Count;

        await client.GetAsync(path);
        await client.GetAsync(path);

        Assert.Equal(count, Cache.Count);
    }

    [Fact]
    public async Task PagesForManyHosts_AreRenderedButOnlyAFewHostsAreStored()
    {
        var client = portal.CreatePlainClient();
        for (var i = 0; i < PageCache.MaxOrigins * 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/cy/privacy");
            request.Headers.Host = $"host{i}.example";
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // Links built from the request's host are right for that host, stored or not.
            Assert.Contains($"http://host{i}.example/", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var scope = portal.Services.CreateScope();
        var stored = Cache.Count;
        Assert.True(stored < PageCache.MaxOrigins * 3, $"{stored} pages stored for {PageCache.MaxOrigins * 3} hosts");
    }

    [Fact]
    public async Task TheHelplineDirectory_ChangesWhenAServiceOpens_ThoughItIsStored()
    {
        static async Task<string> RespectAsync(PortalFactory portal)
        {
            var (_, document) = await portal.GetPageAsync("/en-GB/services?for=harming");
            return document.QuerySelector("#helpline-respect-phoneline .app-tag--open") is null ? "closed" : "open";
        }

        // Monday 30 November 2026: the Respect phoneline opens at 09:00 and closes at 17:00 (GMT).
        portal.Clock.AdjustTime(new DateTimeOffset(2026, 11, 30, 8, 59, 0, TimeSpan.Zero));
        Assert.Equal("closed", await RespectAsync(portal));
        Assert.Equal("closed", await RespectAsync(portal));
        var renders = Cache.Renders;

        portal.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("closed", await RespectAsync(portal));
        Assert.Equal(renders, Cache.Renders);

        portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("open", await RespectAsync(portal));
        portal.Clock.AdjustTime(new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero));
        Assert.Equal("closed", await RespectAsync(portal));
    }
}

using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Safety;

/// <summary>A portal whose clock throws, so the helpline page fails with a 500.</summary>
public sealed class BrokenClockPortal : PortalFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider, ThrowingClock>();
        });
    }

    private sealed class ThrowingClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("clock failure with secret detail");
    }
}

public sealed class SecurityHeadersTests(BrokenClockPortal portal) : IClassFixture<BrokenClockPortal>
{
    public static TheoryData<string, HttpStatusCode> Routes => new()
    {
        { "/en-GB", HttpStatusCode.OK },
        { "/ar/policy", HttpStatusCode.OK },
        { "/pl/policy/easy-read", HttpStatusCode.OK },
        { "/cy/contact/sent", HttpStatusCode.OK },
        { "/css/app.css", HttpStatusCode.OK },
        { "/js/app.js", HttpStatusCode.OK },
        { "/favicon.svg", HttpStatusCode.OK },
        { "/", HttpStatusCode.Found },
        { "/ro/home", HttpStatusCode.MovedPermanently },
        { "/en-GB/missing", HttpStatusCode.NotFound },
        { "/nothing/here.png", HttpStatusCode.NotFound },
        { "/ur/services", HttpStatusCode.InternalServerError },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Get_AnyRoute_CarriesNoTraceAndHardeningHeaders(string path, HttpStatusCode expected)
    {
        var response = await portal.CreatePlainClient().GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        AssertHeaders(response);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS only over HTTPS");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("br, gzip")]
    public async Task FingerprintedAssets_ThePagesLinkTo_CarryTheSameHeaders_CompressedOrNot(string? acceptEncoding)
    {
        var client = portal.CreatePlainClient();
        var (_, doc) = await portal.GetPageAsync("/en-GB", client);
        var assets = doc.QuerySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")!).ToList();
        Assert.Equal(3, assets.Count);

        foreach (var asset in assets)
        {
            Assert.Matches(@"^/[a-z/-]+\.[a-z0-9]{6,}\.(css|js|svg)$", asset);
            using var request = new HttpRequestMessage(HttpMethod.Get, asset);
            if (acceptEncoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            }

            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Content.Headers.ContentLength is null or > 0, asset);
            AssertHeaders(response);
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            if (acceptEncoding is null)
            {
                Assert.Empty(response.Content.Headers.ContentEncoding);
            }
            else
            {
                Assert.Single(response.Content.Headers.ContentEncoding);
            }
        }
    }

    [Fact]
    public async Task Get_OverHttps_AddsOneYearHsts()
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/en-GB");

        AssertHeaders(response);
        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ToPage_IsRefusedWithHeaders()
    {
        var response = await portal.CreatePlainClient().PostAsync("/en-GB/policy", new StringContent("x"));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"got {(int)response.StatusCode}");
        AssertHeaders(response);
    }

    [Fact]
    public async Task Get_ServerError_ShowsFriendlyPageInReadersLanguageWithoutDetail()
    {
        var (response, doc) = await portal.GetPageAsync("/ur/services");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("ur", doc.DocumentElement.GetAttribute("lang"));
        Assert.Equal("rtl", doc.DocumentElement.GetAttribute("dir"));
        Assert.DoesNotContain("secret detail", doc.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", doc.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    internal static void AssertHeaders(HttpResponseMessage response)
    {
        string One(string name) =>
            response.Headers.TryGetValues(name, out var v) ? v.Single()
            : response.Content.Headers.TryGetValues(name, out var c) ? c.Single()
            : throw new Xunit.Sdk.XunitException($"{name} is missing on {response.RequestMessage!.RequestUri}");

        Assert.Equal("no-store", One("Cache-Control"));
        Assert.Equal("no-referrer", One("Referrer-Policy"));
        Assert.Equal("nosniff", One("X-Content-Type-Options"));
        Assert.Equal("DENY", One("X-Frame-Options"));
        Assert.Equal("same-origin", One("Cross-Origin-Opener-Policy"));
        Assert.Equal("same-origin", One("Cross-Origin-Resource-Policy"));
        var permissions = One("Permissions-Policy");
        Assert.Contains("camera=()", permissions, StringComparison.Ordinal);
        Assert.Contains("microphone=()", permissions, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", permissions, StringComparison.Ordinal);

        var csp = One("Content-Security-Policy").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'none'", csp["base-uri"]);
        Assert.Equal("'self'", csp["form-action"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.All(csp.Values, v =>
        {
            Assert.DoesNotContain("unsafe", v, StringComparison.Ordinal);
            Assert.DoesNotContain("http", v, StringComparison.Ordinal);
            Assert.DoesNotContain("*", v, StringComparison.Ordinal);
        });

        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }
}

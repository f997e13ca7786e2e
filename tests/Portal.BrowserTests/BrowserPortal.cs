using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>
/// The portal on a real Kestrel socket on 127.0.0.1 and Debian's Chromium driven by Playwright.
/// Every request the browser makes is checked: our origin is served, the quick-exit destination
/// and a stand-in "outside" site are answered locally, and anything else is refused and recorded.
/// </summary>
public sealed class BrowserPortal : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Neutral = "https://www.bbc.co.uk/weather";
    public const string Outside = "https://outside.example/";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "daportal-browser", Guid.NewGuid().ToString("n"));
    private IPlaywright? _playwright;

    public BrowserPortal()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public IBrowser Browser { get; private set; } = null!;

    public string DataDirectory => _dataDirectory;

    public string BaseUrl { get; private set; } = "";

    public static readonly string[] Languages = ["en-GB", "cy", "pl", "ro", "ur", "ar"];

    public static readonly string[] Pages =
    [
        "", "/policy", "/policy/easy-read", "/services", "/online-privacy", "/worried-about-someone",
        "/changing-behaviour", "/accessibility", "/privacy", "/contact",
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var root = FindRoot();
        var settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = _dataDirectory,
            ["Portal:ContentDirectory"] = Path.Combine(root, "content"),
            ["Portal:TranslationsDirectory"] = Path.Combine(root, "translations"),
            // Every browser here comes from 127.0.0.1; the limit itself is tested elsewhere.
            ["Intake:RateLimit:PermitLimit"] = "100000",
        };
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
    }

    public async Task InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.Single().TrimEnd('/');
        Assert.StartsWith("http://127.0.0.1:", BaseUrl, StringComparison.Ordinal);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
            ],
        });
    }

    /// <summary>A fresh browser context (no shared state) with every request guarded.</summary>
    public async Task<(IBrowserContext Context, List<string> Refused)> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        var refused = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (url.StartsWith(BaseUrl + "/", StringComparison.Ordinal) || url == BaseUrl)
            {
                await route.ContinueAsync();
            }
            else if (url.StartsWith(Neutral, StringComparison.Ordinal))
            {
                await route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<!DOCTYPE html><title>Weather</title><h1>Weather</h1>" });
            }
            else if (url.StartsWith(Outside, StringComparison.Ordinal))
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    ContentType = "text/html",
                    Body = $"<!DOCTYPE html><title>Elsewhere</title><a id=in href=\"{BaseUrl}/en-GB\">portal</a>",
                });
            }
            else
            {
                lock (refused)
                {
                    refused.Add(url);
                }

                await route.AbortAsync();
            }
        });
        return (context, refused);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find DaPortal.sln.");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserPortal>
{
    public const string Name = "browser";
}

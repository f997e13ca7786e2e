using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// The portal in-process, with its own empty data directory (so the shipped content is imported
/// fresh) and a clock the test controls. Content and translations default to the repository's.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public PortalFactory()
        : this(null)
    {
    }

    protected PortalFactory(IDictionary<string, string?>? settings, string? contentRoot = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "daportal-tests", Guid.NewGuid().ToString("n"));
        var root = contentRoot ?? Repository.Root;
        _settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = DataDirectory,
            ["Portal:ContentDirectory"] = Path.Combine(root, "content"),
            ["Portal:TranslationsDirectory"] = Path.Combine(root, "translations"),
            // Tests share one client address; the limit has its own test.
            ["Intake:RateLimit:PermitLimit"] = "10000",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    public string DataDirectory { get; }

    /// <summary>Starts at a Tuesday morning in November, UK time.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }

        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            logging.AddFilter<CapturedLogs>(null, CaptureLevel);
        });
    }

    /// <summary>The lowest level captured: everything, unless a test needs speed more than the record.</summary>
    protected virtual LogLevel CaptureLevel => LogLevel.Trace;

    /// <summary>Everything the portal logged, formatted, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    public HttpClient CreatePlainClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetPageAsync(string path, HttpClient? client = null)
    {
        client ??= CreatePlainClient();
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        return (response, new HtmlParser().ParseDocument(html));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow machine; the temp folder is cleaned by the OS.
            }
        }
    }
}

/// <summary>One portal shared by the read-only page tests.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPortal : ICollectionFixture<PortalFactory>
{
    public const string Name = "shared portal";
}

public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find DaPortal.sln above the test binaries.");
    }

    /// <summary>A private copy of content/ and translations/ that a test may change.</summary>
    public static string CopyContent()
    {
        var target = Path.Combine(Path.GetTempPath(), "daportal-content", Guid.NewGuid().ToString("n"));
        foreach (var folder in new[] { "content", "translations" })
        {
            var source = Path.Combine(Root, folder);
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var destination = Path.Combine(target, folder, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }

        return target;
    }
}

public static class Site
{
    public static readonly string[] Languages = ["en-GB", "cy", "pl", "ro", "ur", "ar"];

    public static readonly string[] RightToLeft = ["ur", "ar"];

    /// <summary>Every public page, as the path after the language.</summary>
    public static readonly string[] Pages =
    [
        "", "/policy", "/policy/easy-read", "/services", "/online-privacy", "/worried-about-someone",
        "/changing-behaviour", "/accessibility", "/privacy", "/contact",
    ];

    public static IEnumerable<object[]> EveryPageInEveryLanguage() =>
        from lang in Languages from page in Pages select new object[] { lang, page };
}

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Localization;
using Portal.Web.Content;

namespace Portal.Web.Mirror;

/// <summary>
/// <c>export-static --out DIR [--live-url URL] [--base-url URL] [--listen ADDRESS]</c>: runs the portal
/// on a loopback port, so every page is rendered by the same pipeline that serves the live site, and
/// writes the static mirror through <see cref="StaticExport"/>.
/// </summary>
public sealed class StaticExportCommand
{
    public const string Name = "export-static";

    private static readonly string[] OwnOptions = ["--out", "--live-url", "--base-url", "--listen"];

    private StaticExportCommand(string[] args)
    {
        Output = Option(args, "--out");
        LiveUrl = Option(args, "--live-url");
        BaseUrl = Option(args, "--base-url");
        Listen = Option(args, "--listen") ?? "80";
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (OwnOptions.Contains(args[i]))
            {
                i++;
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        HostArgs = [.. rest];
    }

    /// <summary>The arguments left for the host (settings such as <c>--Portal:DataDirectory=…</c>).</summary>
    public string[] HostArgs { get; }

    private string? Output { get; }

    private string? LiveUrl { get; set; }

    private string? BaseUrl { get; set; }

    private string Listen { get; }

    /// <summary>The command when the first argument names it; null to run the portal.</summary>
    public static StaticExportCommand? Parse(string[] args) =>
        args.Length > 0 && args[0] == Name ? new StaticExportCommand(args) : null;

    /// <summary>
    /// Checks the arguments against the settings and points the host at a loopback port; false (with a
    /// sentence on standard error) when something is missing.
    /// </summary>
    public bool Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration["Portal:PublicBaseUrl"];
        LiveUrl ??= configured;
        BaseUrl ??= configured ?? LiveUrl;
        if (string.IsNullOrWhiteSpace(Output))
        {
            return Fail("export-static needs --out DIR: the folder to write the mirror to.");
        }

        if (!IsOrigin(LiveUrl))
        {
            return Fail("export-static needs --live-url URL (for example https://help.example.org), the live service the mirror's contact page links to, or the Portal:PublicBaseUrl setting.");
        }

        if (!IsOrigin(BaseUrl))
        {
            return Fail("--base-url must be an http or https address, for example https://mirror.example.org.");
        }

        // Absolute links (hreflang) name the mirror's own address, as the live site names its own.
        builder.Configuration["Portal:PublicBaseUrl"] = BaseUrl;
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return true;
    }

    public async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var live = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
            var output = Path.GetFullPath(Output!);
            var result = await StaticExport.ExportAsync(
                live,
                app.Services.GetRequiredService<SiteContent>().Current,
                app.Services.GetRequiredService<IStringLocalizer>(),
                new StaticExportSettings(output, new Uri(LiveUrl!), Listen));
            Console.WriteLine($"Wrote {result.Pages.Count} pages and {result.Assets.Count} files they use to {output}, with nginx.conf.");
            return 0;
        }
        catch (ContentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static bool IsOrigin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool Fail(string message)
    {
        Console.Error.WriteLine(message);
        return false;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

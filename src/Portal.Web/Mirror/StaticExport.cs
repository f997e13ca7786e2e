using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Portal.Web.Content;
using Portal.Web.Safety;

namespace Portal.Web.Mirror;

/// <param name="OutputDirectory">Where the mirror is written; emptied first if it holds an earlier mirror.</param>
/// <param name="LiveUrl">The live service's origin, where the contact form is.</param>
/// <param name="Listen">The <c>listen</c> argument of the generated nginx server block.</param>
public sealed record StaticExportSettings(string OutputDirectory, Uri LiveUrl, string Listen = "80");

/// <param name="Pages">Every address written as a page, in the order it was found.</param>
/// <param name="Assets">Every stylesheet, script and picture written.</param>
public sealed record StaticExportResult(IReadOnlyList<string> Pages, IReadOnlyList<string> Assets);

/// <summary>
/// Writes the public site as static files: every page in every language and audience, exactly as the
/// live site serves it to a plain GET, found from the snapshot and by following the pages' own links.
/// The contact page becomes a page that links to the live form, because a mirror cannot take reports.
/// Each file gets precompressed <c>.gz</c> and <c>.br</c> copies, and an nginx server block serves them
/// with the live site's headers.
/// </summary>
public static partial class StaticExport
{
    /// <summary>Written into every mirror so a later export may empty the folder, and never any other.</summary>
    public const string Marker = ".daportal-mirror";

    /// <summary>The file for a helpline page filtered by audience (<c>?for=women</c>), beside the unfiltered one.</summary>
    public static string FilteredIndex(string audience) => $"index.for-{audience}.html";

    private static readonly string[] Compressible = [".html", ".css", ".js", ".svg"];

    public static async Task<StaticExportResult> ExportAsync(HttpClient live, SiteSnapshot site, IStringLocalizer S, StaticExportSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(S);
        ArgumentNullException.ThrowIfNull(settings);
        var root = Path.GetFullPath(settings.OutputDirectory);
        PrepareFolder(root);

        var languages = site.Languages.Select(l => l.Tag).ToHashSet(StringComparer.Ordinal);
        var queue = new Queue<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Enqueue(string address)
        {
            if (seen.Add(address))
            {
                queue.Enqueue(address);
            }
        }

        // Every published variant in every language (fallbacks included: the live site shows them too).
        foreach (var language in site.Languages)
        {
            Enqueue("/" + language.Tag);
            Enqueue("/" + language.Tag + "/contact");
            foreach (var slug in site.Documents.Keys.Where(s => s != "home").Order(StringComparer.Ordinal))
            {
                if (site.Resolve(slug, language.Tag, Audiences.Standard) is not null)
                {
                    Enqueue("/" + language.Tag + "/" + slug);
                }

                if (site.Resolve(slug, language.Tag, Audiences.EasyRead) is not null)
                {
                    Enqueue("/" + language.Tag + "/" + slug + "/" + Audiences.EasyRead);
                }
            }
        }

        var pages = new List<string>();
        var assets = new SortedSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var address))
        {
            using var response = await live.GetAsync(address, ct);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                // Redirects (/{lang}/home) and refusals (an unknown ?for=) have no file of their own.
                continue;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var html = Encoding.UTF8.GetString(bytes);
            foreach (var link in Links(html))
            {
                if (IsAsset(link))
                {
                    assets.Add(link);
                }
                else if (IsPublicPage(link, languages))
                {
                    Enqueue(link);
                }
            }

            var language = address.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
            if (address == "/" + language + "/contact")
            {
                bytes = Encoding.UTF8.GetBytes(WithoutForm(html, language, settings.LiveUrl, S, site));
            }

            await WriteAsync(root, FileFor(address), bytes, ct);
            pages.Add(address);
        }

        // Not-found pages in each language, for nginx's error_page.
        foreach (var language in site.Languages)
        {
            using var response = await live.GetAsync("/" + language.Tag + "/" + Marker.TrimStart('.'), ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                await WriteAsync(root, language.Tag + "/404.html", bytes, ct);
                if (language.Tag == site.DefaultLanguage.Tag)
                {
                    await WriteAsync(root, "404.html", bytes, ct);
                }
            }
        }

        // Stylesheets, scripts and pictures the pages use, as the live site serves them (and what stylesheets use in turn).
        var pendingAssets = new Queue<string>(assets);
        var written = new List<string>();
        while (pendingAssets.TryDequeue(out var asset))
        {
            using var response = await live.GetAsync(asset, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The page links to {asset}, which the live site answers with {(int)response.StatusCode}.");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (asset.EndsWith(".css", StringComparison.Ordinal))
            {
                foreach (Match m in CssUrl().Matches(Encoding.UTF8.GetString(bytes)))
                {
                    var reference = m.Groups["u"].Value;
                    if (!reference.Contains(':', StringComparison.Ordinal) && !reference.StartsWith("//", StringComparison.Ordinal))
                    {
                        var target = new Uri(new Uri("http://mirror" + asset), reference).AbsolutePath;
                        if (assets.Add(target))
                        {
                            pendingAssets.Enqueue(target);
                        }
                    }
                }
            }

            await WriteAsync(root, FileFor(asset), bytes, ct);
            written.Add(asset);
        }

        await File.WriteAllTextAsync(Path.Combine(root, "nginx.conf"), NginxConfig(root, settings.Listen, site), ct);
        return new StaticExportResult(pages, written);
    }

    /// <summary>The nginx server block for the mirror: include it inside <c>http { }</c> (after mime.types).</summary>
    public static string NginxConfig(string root, string listen, SiteSnapshot site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var headers = new StringBuilder();
        foreach (var (name, value) in SecurityHeadersMiddleware.PublicHeaders)
        {
            headers.Append(CultureInfo.InvariantCulture, $"    add_header {name} \"{value}\" always;\n");
        }

        var languageMap = new StringBuilder();
        foreach (var language in site.Languages.Where(l => l.Tag != site.DefaultLanguage.Tag))
        {
            languageMap.Append(CultureInfo.InvariantCulture, $"    \"~*^\\s*{Regex.Escape(language.Tag)}\\b\" {language.Tag};\n");
        }

        var perLanguage = new StringBuilder();
        foreach (var language in site.Languages)
        {
            perLanguage.Append(CultureInfo.InvariantCulture, $$"""
                    location /{{language.Tag}}/ {
                        error_page 404 /{{language.Tag}}/404.html;
                        try_files $uri/index$daportal_filter.html $uri/index.html $uri =404;
                    }

                """);
        }

        return $$"""
            # The static mirror of the public site, written by 'export-static'. Include this file inside
            # http { } after mime.types. Every header the live site sends on public pages is repeated here.
            # Precompressed copies: gzip_static (in Debian's nginx) serves the .gz files; with the brotli
            # module loaded (ngx_http_brotli_static_module), uncomment brotli_static to serve the .br files.

            # The bare address goes to the language the browser asks for first, as the live site does.
            map $http_accept_language $daportal_language {
                default {{site.DefaultLanguage.Tag}};
            {{languageMap}}}

            # The helpline directory filtered by audience (?for=women) is its own file.
            map $arg_for $daportal_filter {
                default "";
                "~^(?<audience>[a-z0-9-]+)$" ".for-$audience";
            }

            server {
                listen {{listen}};
                root {{root}};
                server_tokens off;
                charset utf-8;
                charset_types text/css application/javascript text/javascript image/svg+xml;
                etag off;
                gzip_static on;
                gzip_vary on;
                # brotli_static on;
                absolute_redirect off;
                error_page 404 /404.html;

            {{headers}}
                location = / {
            {{headers.ToString().Replace("    add_header", "        add_header", StringComparison.Ordinal)}}        add_header Vary Accept-Language always;
                    return 302 /$daportal_language;
                }

                # Nothing that starts with a dot (the mirror's marker) and not this file.
                location ~ (^|/)\. {
                    return 404;
                }

                location = /nginx.conf {
                    return 404;
                }

            {{perLanguage}}    location / {
                    try_files $uri $uri/index.html =404;
                }
            }

            """;
    }

    /// <summary>The contact page with its form replaced by a link to the form on the live service.</summary>
    private static string WithoutForm(string html, string language, Uri liveUrl, IStringLocalizer S, SiteSnapshot site)
    {
        var start = html.IndexOf("<form ", StringComparison.Ordinal);
        var end = html.IndexOf("</form>", start + 1, StringComparison.Ordinal);
        if (start < 0 || end < 0)
        {
            throw new InvalidOperationException($"The contact page in {language} has no form to replace.");
        }

        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            var culture = site.FindLanguage(language)!.Culture;
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            var href = liveUrl.GetLeftPart(UriPartial.Authority) + "/" + language + "/contact";
            var notice =
                $"<p>{WebUtility.HtmlEncode(S["This copy of our website cannot send the form. The form is on our main website."].Value)}</p>\n" +
                $"<p><a class=\"app-button\" href=\"{WebUtility.HtmlEncode(href)}\">{WebUtility.HtmlEncode(S["Go to the form to contact us safely"].Value)}</a></p>";
            return string.Concat(html.AsSpan(0, start), notice, html.AsSpan(end + "</form>".Length));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }

    /// <summary>Every href and src in a page, decoded, without fragments.</summary>
    private static IEnumerable<string> Links(string html)
    {
        foreach (Match m in LinkAttribute().Matches(html))
        {
            var value = WebUtility.HtmlDecode(m.Groups["v"].Value);
            var hash = value.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                value = value[..hash];
            }

            if (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal))
            {
                yield return value;
            }
        }
    }

    private static bool IsAsset(string link)
    {
        var path = link.Split('?')[0];
        return !path.StartsWith("/backoffice", StringComparison.Ordinal) && Path.GetExtension(path).Length > 1;
    }

    private static bool IsPublicPage(string link, HashSet<string> languages)
    {
        var parts = link.Split('?', 2);
        var segments = parts[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || !languages.Contains(segments[0]) || segments.Any(s => s is "." or ".."))
        {
            return false;
        }

        // Only the helpline filter has a file of its own; other query strings never appear in the site's links.
        return parts.Length == 1 || AudienceQuery().IsMatch(parts[1]);
    }

    /// <summary>The mirror file for an address: pages as folder/index.html, files as themselves.</summary>
    private static string FileFor(string address)
    {
        var parts = address.Split('?', 2);
        var path = Uri.UnescapeDataString(parts[0]).Trim('/');
        if (path.Split('/').Any(s => s is "." or ".."))
        {
            throw new InvalidOperationException($"Refusing to write {address} outside the mirror.");
        }

        if (Path.GetExtension(path).Length > 1)
        {
            return path;
        }

        var index = parts.Length == 2 ? FilteredIndex(AudienceQuery().Match(parts[1]).Groups["a"].Value) : "index.html";
        return path.Length == 0 ? index : path + "/" + index;
    }

    private static async Task WriteAsync(string root, string relative, byte[] bytes, CancellationToken ct)
    {
        var path = Path.GetFullPath(Path.Combine(root, relative));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing to write {relative} outside the mirror.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes, ct);
        if (Compressible.Contains(Path.GetExtension(path), StringComparer.Ordinal))
        {
            await using (var gz = new GZipStream(File.Create(path + ".gz"), CompressionLevel.SmallestSize))
            {
                await gz.WriteAsync(bytes, ct);
            }

            await using (var br = new BrotliStream(File.Create(path + ".br"), CompressionLevel.SmallestSize))
            {
                await br.WriteAsync(bytes, ct);
            }
        }
    }

    /// <summary>An empty folder, or one holding an earlier mirror (emptied): never anything else.</summary>
    private static void PrepareFolder(string root)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!File.Exists(Path.Combine(root, Marker)))
            {
                throw new ContentException($"{root} is not empty and holds no earlier mirror; choose an empty or new folder.");
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(root))
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, Marker), "A static mirror of the public site, written by export-static. The next export empties this folder.\n");
    }

    [GeneratedRegex("\\s(?:href|src)=\"(?<v>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex LinkAttribute();

    [GeneratedRegex("""url\(\s*['"]?(?<u>[^'")]+)['"]?\s*\)""", RegexOptions.CultureInvariant)]
    private static partial Regex CssUrl();

    [GeneratedRegex("^for=(?<a>[a-z0-9-]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex AudienceQuery();
}

using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using AngleSharp.Html.Parser;
using Portal.Web.Safety;

namespace Portal.Web.Tests.Mirror;

/// <summary>
/// The exported mirror served by Debian's nginx (installed by scripts/test) with the generated server
/// block, on a loopback port: what a provider would run while the application is down.
/// </summary>
public sealed class ServedMirror : IAsyncLifetime
{
    private readonly int _port = FreePort();
    private Process? _nginx;

    public ExportedMirror Portal { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    private string Prefix => Path.Combine(Portal.DataDirectory, "nginx-" + _port);

    public async Task InitializeAsync()
    {
        var mirror = Portal;
        var output = Path.Combine(mirror.DataDirectory, "mirror-" + _port);
        await mirror.ExportAsync(output, "127.0.0.1:" + _port);
        Directory.CreateDirectory(Prefix);
        var conf = Path.Combine(Prefix, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            worker_processes 1;
            pid {{Prefix}}/nginx.pid;
            error_log {{Prefix}}/error.log;
            events { worker_connections 64; }
            http {
              include /etc/nginx/mime.types;
              access_log off;
              client_body_temp_path {{Prefix}}/body;
              proxy_temp_path {{Prefix}}/proxy;
              fastcgi_temp_path {{Prefix}}/fastcgi;
              uwsgi_temp_path {{Prefix}}/uwsgi;
              scgi_temp_path {{Prefix}}/scgi;
              include {{output}}/nginx.conf;
            }
            """);
        _nginx = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-e", Path.Combine(Prefix, "error.log"), "-p", Prefix, "-c", conf, "-g", "daemon off;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{_port}"),
        };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var _ = await Client.GetAsync("/en-GB");
                return;
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(15) && !_nginx.HasExited)
            {
                await Task.Delay(50);
            }
            catch (HttpRequestException e)
            {
                var log = File.Exists(Path.Combine(Prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(Prefix, "error.log")) : "";
                throw new InvalidOperationException($"nginx did not start: {await _nginx.StandardError.ReadToEndAsync()} {log}", e);
            }
        }
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit();
        }

        _nginx?.Dispose();
        Portal.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class MirrorOnNginxTests(ServedMirror served) : IClassFixture<ServedMirror>
{
    private readonly ExportedMirror _mirror = served.Portal;
    private readonly HttpClient _client = served.Client;

    [Theory]
    [InlineData("/cy/policy")]
    [InlineData("/ur")]
    [InlineData("/en-GB/policy/easy-read")]
    [InlineData("/ar/services?for=women")]
    public async Task Page_IsServedAsTheLiveSiteServesIt_WithItsHeaders(string address)
    {
        using var live = _mirror.CreatePlainClient();
        var expected = await live.GetByteArrayAsync(address);

        using var response = await _client.GetAsync(address);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        AssertPublicHeaders(response);
    }

    [Fact]
    public async Task Page_ForABrowserThatTakesGzip_IsThePrecompressedCopy()
    {
        using var live = _mirror.CreatePlainClient();
        var expected = await live.GetByteArrayAsync("/pl/policy");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/pl/policy");
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await _client.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var body = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        Assert.Equal(expected, copy.ToArray());
        AssertPublicHeaders(response);
    }

    [Fact]
    public async Task MissingPage_IsTheNotFoundPageInItsLanguage()
    {
        using var response = await _client.GetAsync("/ro/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("ro", doc.DocumentElement.GetAttribute("lang"));
        AssertPublicHeaders(response);
    }

    [Fact]
    public async Task BareAddress_GoesToTheBrowsersLanguage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("ur-PK, en;q=0.5");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/ur", response.Headers.Location!.OriginalString);
        AssertPublicHeaders(response);
    }

    [Theory]
    [InlineData("/" + Portal.Web.Mirror.StaticExport.Marker)]
    [InlineData("/nginx.conf")]
    public async Task MirrorsOwnFiles_AreNotServed(string address)
    {
        using var response = await _client.GetAsync(address);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ContactPage_LinksToTheLiveForm()
    {
        var doc = new HtmlParser().ParseDocument(await _client.GetStringAsync("/ar/contact"));

        Assert.Empty(doc.QuerySelectorAll("form"));
        Assert.NotNull(doc.QuerySelector("main a[href='https://help.example.org/ar/contact']"));
    }

    private static void AssertPublicHeaders(HttpResponseMessage response)
    {
        foreach (var (name, value) in SecurityHeadersMiddleware.PublicHeaders)
        {
            Assert.True(response.Headers.TryGetValues(name, out var values), name);
            Assert.Equal(value, string.Join(", ", values));
        }

        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}

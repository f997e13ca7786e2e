using System.Net;

namespace Portal.SystemTests.Infrastructure;

/// <summary>The portal (web role, relay on unless told otherwise) as a real process on a loopback port.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private ChildProcess? _process;

    public PortalProcess(string dataDirectory, IDictionary<string, string?> settings)
    {
        Port = ChildProcess.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        _environment = new Dictionary<string, string?>
        {
            ["Portal__DataDirectory"] = dataDirectory,
            ["Intake__FormToken__MinSeconds"] = "0",
            ["Intake__RateLimit__PermitLimit"] = "10000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Portal"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            _environment[key] = value;
        }
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int Starts { get; private set; }

    public string Tail => _process?.Tail() ?? "";

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        _process = ChildProcess.Start(Programs.Web, ["--urls", BaseAddress.ToString().TrimEnd('/')], _environment);
        Starts++;
        await WaitUntilReadyAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL, then start again on the same port and data.</summary>
    public async Task KillAndRestartAsync()
    {
        await KillAsync();
        await StartAsync();
    }

    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillHardAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException("The portal exited while starting:\n" + _process.Tail());
            }

            try
            {
                using var response = await http.GetAsync("/health/delivery");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The portal did not start within " + timeout + ":\n" + _process!.Tail());
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}

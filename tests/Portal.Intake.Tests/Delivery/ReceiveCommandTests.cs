using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Portal.Intake.Delivery;
using Portal.Intake.Receiver;
using Portal.Intake.Sealing;
using Portal.Intake.Tests.Sealing;

namespace Portal.Intake.Tests.Delivery;

/// <summary>The <c>receive</c> command as a provider runs it: a separate process, found by the line it prints.</summary>
public class ReceiveCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Receive_AsChildProcess_PrintsItsPort_StoresOneCase_StopsOnSignal()
    {
        using var directory = new TempDirectory();
        var keyPath = directory.File("case-system-private.pem");
        await File.WriteAllTextAsync(keyPath, TestKeys.Shared.ExportPkcs8PrivateKeyPem());
        var store = directory.File("store");
        var secret = StandardWebhooks.NewSecret();
        var report = Encoding.UTF8.GetBytes("""{"name":"Ann","message":"child process"}""");

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { IntakeDll(), "receive", "--port", "0", "--secret", secret, "--key", keyPath, "--store", store })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The receiver did not start.");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience);
            Assert.True(line is not null && line.StartsWith("listening on http://127.0.0.1:", StringComparison.Ordinal), $"stdout: {line}; stderr: {stderr}");
            var url = new Uri(line["listening on ".Length..]);
            Assert.NotEqual(0, url.Port);

            using var client = new HttpClient { BaseAddress = url };
            var id = Guid.NewGuid().ToString("D");
            var body = Encoding.ASCII.GetBytes(new ReportSealer(TestKeys.Shared).Seal(report));
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/reports")
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(ReferenceReceiver.SealedContentType) } },
            };
            request.Headers.Add(StandardWebhooks.IdHeader, id);
            request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(StandardWebhooks.SignatureHeader, new StandardWebhooks(secret).Sign(id, timestamp, body));

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(report, await File.ReadAllBytesAsync(Path.Combine(store, "cases", id + ".json")));
            Assert.Equal("""{"cases":1,"duplicates":0,"rejected":0}""", await client.GetStringAsync("/stats"));

            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(0, Kill(process.Id, SignalTerminate));
                await process.WaitForExitAsync().WaitAsync(Patience);
                Assert.Equal(0, process.ExitCode);
                Assert.Contains("stopped: 1 cases, 0 duplicates, 0 rejected", await process.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
                lock (stderr)
                {
                    Assert.Contains(id, stderr.ToString(), StringComparison.Ordinal);
                    Assert.DoesNotContain("child process", stderr.ToString(), StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task Receive_PortInUse_ExitsTwoWithOneLine()
    {
        using var directory = new TempDirectory();
        await using var first = await ReferenceReceiver.StartAsync(new ReceiverOptions { Secret = StandardWebhooks.NewSecret(), StoreDirectory = directory.File("a") });
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { IntakeDll(), "receive", "--port", first.Port.ToString(CultureInfo.InvariantCulture), "--secret", StandardWebhooks.NewSecret(), "--store", directory.File("b") })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The receiver did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Patience);

            Assert.Equal(2, process.ExitCode);
            Assert.Empty(await stdout);
            Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private const int SignalTerminate = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    /// <summary>The dotnet host running these tests (the CLI sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    /// <summary>Portal.Intake.dll: copied next to this assembly (with its runtimeconfig), else in its own bin folder.</summary>
    private static string IntakeDll()
    {
        var here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, "Portal.Intake.runtimeconfig.json")))
        {
            return Path.Combine(here, "Portal.Intake.dll");
        }

        // tests/Portal.Intake.Tests/bin/{Configuration}/{tfm}/
        var framework = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var root = framework.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var candidate = Path.Combine(root, "src", "Portal.Intake", "bin", configuration, framework.Name, "Portal.Intake.dll");
        return File.Exists(candidate) ? candidate : throw new FileNotFoundException("Portal.Intake.dll was not found; build src/Portal.Intake first.", candidate);
    }
}

/// <summary>The <c>receive</c> command's arguments, run in-process: each mistake exits 2 with one line before anything listens.</summary>
[Collection(nameof(ConsoleCollection))]
public class ReceiveCommandArgumentTests
{
    private static Task<(int Exit, string Out, string Error)> Run(params string[] args) => ConsoleCollection.RunAsync(args);

    [Theory]
    [InlineData("receive")]
    [InlineData("receive", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("receive", "--port", "0")]
    [InlineData("receive", "--port", "abc", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("receive", "--port", "-1", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("receive", "--port", "65536", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("receive", "--port", "0", "--secret", "whsec_short")]
    [InlineData("receive", "--port", "0", "--secret", "not base64!")]
    [InlineData("receive", "--port", "0", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "--key", "/nonexistent/key.pem")]
    [InlineData("receive", "--port", "0", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "--colour", "red")]
    [InlineData("receive", "--port", "0", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "extra")]
    public async Task Receive_BadArguments_ExitsTwoWithOneLine(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsReceive()
    {
        var (exit, stdout, _) = await Run("help");

        Assert.Equal(0, exit);
        Assert.Contains("receive --port N --secret whsec_", stdout, StringComparison.Ordinal);
    }
}

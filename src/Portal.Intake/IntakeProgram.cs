using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Portal.Intake.Receiver;
using Portal.Intake.Sealing;

namespace Portal.Intake;

/// <summary>
/// Case-system commands: <c>keygen</c> makes the key pair, <c>open</c> reads a sealed report,
/// <c>receive</c> runs the reference receiver for webhook deliveries.
/// Each command is one <c>case</c> in <see cref="Main"/> and one <c>Task&lt;int&gt;</c> method taking the arguments after its name.
/// </summary>
public static class IntakeProgram
{
    private const string Usage = """
        Usage: dotnet run --project src/Portal.Intake -- <command>
          keygen --out DIR [--bits N]    write case-system-private.pem and case-system-public.pem to DIR (default 3072 bits)
          open FILE --key PRIVATE_PEM    print the report sealed in FILE (a compact JWE), opened with the private key
          worker                         run the delivery relay on its own (run the web role with Intake:Delivery:Relay:Enabled=false)
          status                         print delivery counts: pending, retrying, delivered, dead-lettered, quarantined
          replay-dead-letters [--id ID]  queue dead letters (all, or one report) for a fresh round of attempts
          receive --port N --secret whsec_... [--key PRIVATE_PEM] [--store DIR]
                                         receive signed webhook deliveries on http://127.0.0.1:N (0 picks a free port)
                                         until Ctrl+C; each report is stored once, durably, as DIR/cases/{id}.json
                                         (opened with --key, or sent opened) or {id}.jwe (sealed); DIR defaults to
                                         ./received; GET /stats counts cases, duplicates and rejected deliveries
          help                           show this text
        The public key goes to the web server; the private key stays with the case system.
        worker, status and replay-dead-letters read the web role's settings from the environment
        (Portal__DataDirectory, Portal__Database__Provider, Intake__Delivery__Connector, …) or --Portal:Key=value.

        """;

    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            Console.Out.Write(Usage);
            return 0;
        }

        var rest = args[1..];
        try
        {
            switch (args[0])
            {
                case "keygen":
                    return await Keygen(rest);
                case "open":
                    return await Open(rest);
                case "worker":
                    return await WorkerCommands.WorkerAsync(rest);
                case "status":
                    return await WorkerCommands.StatusAsync(rest);
                case "replay-dead-letters":
                    return await WorkerCommands.ReplayAsync(rest);
                case "receive":
                    return await Receive(rest);
                case "help" or "--help" or "-h":
                    Console.Out.Write(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown command '{args[0]}'.");
                    Console.Error.Write(Usage);
                    return 2;
            }
        }
        catch (Exception e) when (e is UsageException or ArgumentException or IOException or UnauthorizedAccessException
                                      or SealedReportException or CryptographicException)
        {
            Console.Error.WriteLine(OneLine(e.Message));
            return 2;
        }
    }

    private static Task<int> Keygen(string[] args)
    {
        var options = CommandLine.Parse(args, ["--out", "--bits"], positional: 0);
        var directory = Path.GetFullPath(options.Required("--out"));
        var bits = 3072;
        if (options.Named.TryGetValue("--bits", out var text) && !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bits))
        {
            throw new UsageException($"--bits must be a whole number, not '{text}'.");
        }

        CaseSystemKeys.GenerateKeyPair(directory, bits);
        using var publicKey = CaseSystemKeys.LoadPublicKey(Path.Combine(directory, CaseSystemKeys.PublicKeyFileName));
        Console.Out.WriteLine($"private key: {Path.Combine(directory, CaseSystemKeys.PrivateKeyFileName)}  (keep on the case system only)");
        Console.Out.WriteLine($"public key:  {Path.Combine(directory, CaseSystemKeys.PublicKeyFileName)}  (configure on the web server)");
        Console.Out.WriteLine($"key id:      {ReportSealer.ComputeKeyId(publicKey)}");
        return Task.FromResult(0);
    }

    private static Task<int> Open(string[] args)
    {
        var options = CommandLine.Parse(args, ["--key"], positional: 1);
        var sealedReport = File.ReadAllText(options.Positional[0]).Trim();
        using var privateKey = CaseSystemKeys.LoadPrivateKey(options.Required("--key"));
        var plaintext = ReportOpener.Open(sealedReport, privateKey);
        try
        {
            // Decoded strictly and written only once whole, so a failure leaves stdout empty.
            var json = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(plaintext);
            Console.Out.Write(json);
            Console.Out.Flush();
            return Task.FromResult(0);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static async Task<int> Receive(string[] args)
    {
        var options = CommandLine.Parse(args, ["--port", "--secret", "--key", "--store"], positional: 0);
        var portText = options.Required("--port");
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new UsageException($"--port must be a number from 0 to 65535, not '{portText}'.");
        }

        using var privateKey = options.Named.TryGetValue("--key", out var keyPath) ? CaseSystemKeys.LoadPrivateKey(keyPath) : null;
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopOn);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOn);

        var receiver = await ReferenceReceiver.StartAsync(new ReceiverOptions
        {
            Port = port,
            Secret = options.Required("--secret"),
            PrivateKey = privateKey,
            StoreDirectory = options.Named.GetValueOrDefault("--store", "received"),
            // Logs go to stderr, so stdout carries only the "listening on" line and the final counts.
            // A failure to start is reported once, as the command's error line, rather than also logged.
            ConfigureLogging = logging => logging
                .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; })
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
                .Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace),
        });
        await using (receiver)
        {
            Console.Out.WriteLine($"listening on http://127.0.0.1:{receiver.Port.ToString(CultureInfo.InvariantCulture)}");
            Console.Out.Flush();
            Console.Error.WriteLine($"storing cases in {receiver.CasesDirectory}{(privateKey is null ? " (envelopes kept sealed: no --key)" : "")}; Ctrl+C stops");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await receiver.StopAsync();
            var stats = receiver.Stats;
            Console.Out.WriteLine($"stopped: {stats.Cases} cases, {stats.Duplicates} duplicates, {stats.Rejected} rejected");
            Console.Out.Flush();
        }

        return 0;

        void StopOn(PosixSignalContext signal)
        {
            // Handled here: the receiver finishes the requests in flight, then the command returns.
            signal.Cancel = true;
            stop.Cancel();
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private sealed class UsageException(string message) : Exception(message);

    private sealed record CommandLine(Dictionary<string, string> Named, List<string> Positional)
    {
        public static CommandLine Parse(string[] args, string[] names, int positional)
        {
            var result = new CommandLine(new Dictionary<string, string>(StringComparer.Ordinal), []);
            for (var i = 0; i < args.Length; i++)
            {
                if (names.Contains(args[i]))
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new UsageException($"{args[i]} needs a value.");
                    }

                    result.Named[args[i]] = args[++i];
                }
                else if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"Unknown option '{args[i]}'.");
                }
                else
                {
                    result.Positional.Add(args[i]);
                }
            }

            if (result.Positional.Count != positional)
            {
                throw new UsageException(positional == 0 ? $"Unexpected argument '{result.Positional[0]}'." : "Expected one FILE argument.");
            }

            return result;
        }

        public string Required(string name) =>
            Named.TryGetValue(name, out var value) ? value : throw new UsageException($"{name} is required.");
    }
}

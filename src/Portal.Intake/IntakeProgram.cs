using System.Security.Cryptography;
using System.Text;
using Portal.Intake.Sealing;

namespace Portal.Intake;

/// <summary>
/// Case-system commands: <c>keygen</c> makes the key pair, <c>open</c> reads a sealed report.
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

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portal.Intake.Tests.Sealing;

namespace Portal.Intake.Tests.Delivery;

internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (the system picks it, then it is released).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>A self-signed certificate for localhost and 127.0.0.1, with its PEM files on disk.</summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Through PKCS#12 so the key is usable by SslStream on every platform.
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        CertPath = _dir.File("cert.pem");
        KeyPath = _dir.File("key.pem");
        File.WriteAllText(CertPath, created.ExportCertificatePem() + "\n");
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        Sha256Hex = Convert.ToHexString(created.GetCertHash(HashAlgorithmName.SHA256));
    }

    public X509Certificate2 Certificate { get; }

    public string CertPath { get; }

    public string KeyPath { get; }

    /// <summary>Upper-case hex without separators.</summary>
    public string Sha256Hex { get; }

    /// <summary>The same fingerprint as <c>openssl x509 -fingerprint -sha256</c> prints it, lower-cased: aa:bb:…</summary>
    public string Sha256WithColons => string.Join(':', Enumerable.Range(0, Sha256Hex.Length / 2).Select(i => Sha256Hex.Substring(i * 2, 2))).ToLowerInvariant();

    public void Dispose()
    {
        Certificate.Dispose();
        _dir.Dispose();
    }
}

/// <summary>
/// A real SMTP server: Debian's aiosmtpd, run as <c>/usr/bin/python3 -m aiosmtpd</c> on a free loopback
/// port with the Mailbox handler, so every accepted message lands in a maildir. Missing Python or
/// aiosmtpd is an error, never a skip.
/// </summary>
internal sealed class Aiosmtpd : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    // A Mailbox that accepts AUTH PLAIN for one user and password (aiosmtpd's command line has no authenticator).
    private const string AuthHandler = """
        import base64
        from aiosmtpd.handlers import Mailbox
        from aiosmtpd.smtp import AuthResult

        class CheckedMailbox(Mailbox):
            def __init__(self, mail_dir, login, password):
                super().__init__(mail_dir)
                self._expected = (login.encode(), password.encode())

            @classmethod
            def from_cli(cls, parser, *args):
                return cls(*args)

            async def auth_PLAIN(self, server, args):
                # handled=False: aiosmtpd then answers a failure with 535 itself.
                if len(args) != 2:
                    return AuthResult(success=False, handled=False)
                parts = base64.b64decode(args[1]).split(b"\0")
                return AuthResult(success=len(parts) == 3 and (parts[1], parts[2]) == self._expected, handled=False)
        """;

    private readonly TempDirectory _dir;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Aiosmtpd(TempDirectory dir, Process process, int port)
    {
        _dir = dir;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Maildir => _dir.File("maildir");

    /// <summary>Starts the server and waits until its port accepts connections.</summary>
    /// <param name="tls">Offer STARTTLS with this certificate.</param>
    /// <param name="requireTls">With <paramref name="tls"/>: refuse mail before STARTTLS (aiosmtpd's default).</param>
    /// <param name="login">Accept AUTH PLAIN with these credentials (aiosmtpd offers AUTH over TLS only).</param>
    public static async Task<Aiosmtpd> StartAsync(TestCertificate? tls = null, bool requireTls = true, (string User, string Password)? login = null)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: the email tests need Debian's python3-aiosmtpd (scripts/test installs it).");
        }

        var dir = new TempDirectory();
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONUNBUFFERED"] = "1";
        start.ArgumentList.Add("-m");
        start.ArgumentList.Add("aiosmtpd");
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add("-l");
        start.ArgumentList.Add($"127.0.0.1:{port}");
        if (tls is not null)
        {
            start.ArgumentList.Add("--tlscert");
            start.ArgumentList.Add(tls.CertPath);
            start.ArgumentList.Add("--tlskey");
            start.ArgumentList.Add(tls.KeyPath);
            if (!requireTls)
            {
                start.ArgumentList.Add("--no-requiretls");
            }
        }

        start.ArgumentList.Add("-c");
        if (login is { } credentials)
        {
            File.WriteAllText(dir.File("daportal_smtp_auth.py"), AuthHandler);
            start.Environment["PYTHONPATH"] = dir.Path;
            start.ArgumentList.Add("daportal_smtp_auth.CheckedMailbox");
            start.ArgumentList.Add(dir.File("maildir"));
            start.ArgumentList.Add(credentials.User);
            start.ArgumentList.Add(credentials.Password);
        }
        else
        {
            start.ArgumentList.Add("aiosmtpd.handlers.Mailbox");
            start.ArgumentList.Add(dir.File("maildir"));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var server = new Aiosmtpd(dir, process, port);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilListeningAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The raw bytes of every message in the maildir's <c>new</c> folder.</summary>
    public IReadOnlyList<byte[]> Messages()
    {
        var folder = Path.Combine(Maildir, "new");
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList()
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
        _dir.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                var output = Output();
                var hint = output.Contains("No module named aiosmtpd", StringComparison.Ordinal)
                    ? "aiosmtpd is not installed: install Debian's python3-aiosmtpd (scripts/test does). "
                    : "";
                throw new InvalidOperationException($"{hint}aiosmtpd exited with code {_process.ExitCode}: {output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{Port} within 30 s: {Output()}");
    }
}

/// <summary>
/// A scripted SMTP server for what a real one will not readily do: chosen reply codes, silence, odd
/// extensions, injected data. It answers like a plain server unless <see cref="Reply"/> says otherwise,
/// records every command line (and whether it came over TLS) and every message as it was on the wire.
/// </summary>
internal sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public FakeSmtpServer(X509Certificate2? certificate = null)
    {
        Certificate = certificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>When set, STARTTLS is offered and done with this certificate.</summary>
    public X509Certificate2? Certificate { get; }

    public string Banner { get; init; } = "220 fake.test ESMTP ready";

    /// <summary>Send no greeting and answer nothing.</summary>
    public bool Silent { get; init; }

    /// <summary>Offered in EHLO after STARTTLS, e.g. "PLAIN LOGIN"; null offers no AUTH.</summary>
    public string? AuthMechanisms { get; init; }

    public (string User, string Password) Credentials { get; init; } = ("relay", "secret");

    /// <summary>
    /// Given a command line (or "." for the end of a message), the reply to send instead of the usual
    /// one, CRLF between lines of a multi-line reply; null for the usual reply.
    /// </summary>
    public Func<string, string?> Reply { get; init; } = _ => null;

    public ConcurrentQueue<(string Line, bool Tls)> Commands { get; } = new();

    /// <summary>Each DATA payload exactly as sent, terminating ".CRLF" included.</summary>
    public ConcurrentQueue<byte[]> Messages { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    public IEnumerable<string> Verbs => Commands.Select(c => c.Line.Split(' ')[0].ToUpperInvariant());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await ServeAsync(client.GetStream(), _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
                    {
                    }
                }
            });
        }
    }

    private async Task ServeAsync(Stream stream, CancellationToken ct)
    {
        if (Silent)
        {
            await Task.Delay(Timeout.Infinite, ct);
        }

        var tls = false;
        await WriteAsync(stream, Banner, ct);
        while (true)
        {
            var line = await ReadLineAsync(stream, ct);
            if (line is null)
            {
                return;
            }

            Commands.Enqueue((line, tls));
            var verb = line.Split(' ')[0].ToUpperInvariant();
            var custom = Reply(line);
            if (custom is not null && verb is not ("DATA" or "STARTTLS"))
            {
                await WriteAsync(stream, custom, ct);
                continue;
            }

            switch (verb)
            {
                case "EHLO":
                    var ehlo = new List<string> { "fake.test greets you", "8BITMIME", "SIZE 10000000" };
                    if (Certificate is not null && !tls)
                    {
                        ehlo.Add("STARTTLS");
                    }

                    if (tls && AuthMechanisms is not null)
                    {
                        ehlo.Add("AUTH " + AuthMechanisms);
                    }

                    ehlo.Add("HELP");
                    await WriteAsync(stream, string.Join("\r\n", ehlo.Select((l, i) => (i == ehlo.Count - 1 ? "250 " : "250-") + l)), ct);
                    break;
                case "HELO":
                    await WriteAsync(stream, "250 fake.test", ct);
                    break;
                case "STARTTLS" when Certificate is not null && !tls:
                    await WriteAsync(stream, custom ?? "220 2.0.0 Ready to start TLS", ct);
                    if (custom is not null && !custom.StartsWith("220", StringComparison.Ordinal))
                    {
                        break;
                    }

                    var secure = new SslStream(stream, leaveInnerStreamOpen: false);
                    await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, ct);
                    stream = secure;
                    tls = true;
                    break;
                case "AUTH":
                    await AuthenticateAsync(stream, line, tls, ct);
                    break;
                case "MAIL" or "RCPT" or "RSET" or "NOOP":
                    await WriteAsync(stream, "250 2.0.0 OK", ct);
                    break;
                case "DATA":
                    await WriteAsync(stream, custom ?? "354 End data with <CR><LF>.<CR><LF>", ct);
                    if (custom is not null)
                    {
                        break;
                    }

                    Messages.Enqueue(await ReadDataAsync(stream, ct));
                    await WriteAsync(stream, Reply(".") ?? "250 2.0.0 Queued as FAKE1", ct);
                    break;
                case "QUIT":
                    await WriteAsync(stream, "221 2.0.0 Bye", ct);
                    return;
                default:
                    await WriteAsync(stream, "502 5.5.2 Command not recognised", ct);
                    break;
            }
        }
    }

    private async Task AuthenticateAsync(Stream stream, string line, bool tls, CancellationToken ct)
    {
        var parts = line.Split(' ');
        if (!tls || AuthMechanisms is null)
        {
            await WriteAsync(stream, "538 5.7.11 Encryption required", ct);
            return;
        }

        string? user = null;
        string? password = null;
        var mechanism = parts.Length > 1 ? parts[1].ToUpperInvariant() : "";
        if (mechanism == "PLAIN" && AuthMechanisms.Contains("PLAIN", StringComparison.Ordinal) && parts.Length == 3)
        {
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])).Split('\0');
            (user, password) = fields.Length == 3 ? (fields[1], fields[2]) : (null, null);
        }
        else if (mechanism == "LOGIN" && AuthMechanisms.Contains("LOGIN", StringComparison.Ordinal))
        {
            await WriteAsync(stream, "334 VXNlcm5hbWU6", ct);
            var userLine = await ReadLineAsync(stream, ct) ?? "";
            Commands.Enqueue((userLine, tls));
            await WriteAsync(stream, "334 UGFzc3dvcmQ6", ct);
            var passwordLine = await ReadLineAsync(stream, ct) ?? "";
            Commands.Enqueue((passwordLine, tls));
            user = Encoding.UTF8.GetString(Convert.FromBase64String(userLine));
            password = Encoding.UTF8.GetString(Convert.FromBase64String(passwordLine));
        }
        else
        {
            await WriteAsync(stream, "504 5.5.4 Unrecognized authentication type", ct);
            return;
        }

        await WriteAsync(stream, (user, password) == Credentials ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid", ct);
    }

    private static async Task WriteAsync(Stream stream, string reply, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), ct);
        await stream.FlushAsync(ct);
    }

    private static async Task<string?> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                return null;
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
            }

            line.Add(one[0]);
        }
    }

    private static async Task<byte[]> ReadDataAsync(Stream stream, CancellationToken ct)
    {
        var data = new List<byte>();
        var one = new byte[1];
        while (!(data.Count >= 5 && data[^5] == '\r' && data[^4] == '\n' && data[^3] == '.' && data[^2] == '\r' && data[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                throw new IOException("The client closed the connection during DATA.");
            }

            data.Add(one[0]);
        }

        return [.. data];
    }
}

/// <summary>Just enough of RFC 5322 and MIME to look inside what arrived: headers, unfolded, and the parts of a multipart body.</summary>
internal sealed class ParsedMessage
{
    private ParsedMessage(List<(string Name, string Value)> headers, string body)
    {
        Headers = headers;
        Body = body;
    }

    public List<(string Name, string Value)> Headers { get; }

    public string Body { get; }

    public IEnumerable<string> All(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? this[string name] => All(name).FirstOrDefault();

    public static ParsedMessage Parse(byte[] raw) => Parse(Encoding.ASCII.GetString(raw));

    public static ParsedMessage Parse(string raw)
    {
        var text = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 2)..];
        var headers = new List<(string Name, string Value)>();
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && headers.Count > 0)
            {
                headers[^1] = (headers[^1].Name, headers[^1].Value + line);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add((line[..colon], line[(colon + 1)..].Trim()));
            }
        }

        return new ParsedMessage(headers, body);
    }

    /// <summary>The parts of a multipart body, each parsed as a message of its own.</summary>
    public List<ParsedMessage> Parts()
    {
        var contentType = this["Content-Type"] ?? throw new InvalidOperationException("No Content-Type.");
        const string Key = "boundary=\"";
        var at = contentType.IndexOf(Key, StringComparison.OrdinalIgnoreCase);
        Assert.True(at >= 0, "The Content-Type has no quoted boundary: " + contentType);
        var boundary = contentType[(at + Key.Length)..contentType.IndexOf('"', at + Key.Length)];
        var sections = ("\n" + Body).Split("\n--" + boundary, StringSplitOptions.None);
        Assert.StartsWith("--", sections[^1]);
        return sections[1..^1].Select(s => Parse(s.TrimStart('\n'))).ToList();
    }
}

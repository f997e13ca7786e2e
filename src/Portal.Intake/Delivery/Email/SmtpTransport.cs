using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portal.Intake.Delivery.Email;

/// <summary>When to upgrade the connection with STARTTLS (RFC 3207).</summary>
internal enum StartTlsMode
{
    /// <summary>Upgrade when the server offers it.</summary>
    Auto,

    /// <summary>Upgrade, and give up when the server does not offer it.</summary>
    Required,

    /// <summary>Never upgrade.</summary>
    Never,
}

/// <summary>Where and how to submit: the parsed form of <see cref="EmailOptions"/>.</summary>
/// <param name="CertificateSha256">When set, the server certificate must have exactly this SHA-256 and is otherwise not checked.</param>
internal sealed record SmtpSettings(
    string Host,
    int Port,
    StartTlsMode StartTls,
    byte[]? CertificateSha256,
    string? UserName,
    string? Password,
    TimeSpan Timeout);

/// <summary>
/// One SMTP conversation (RFC 5321) that submits one message: greeting, EHLO (HELO when EHLO is
/// refused), STARTTLS as <see cref="SmtpSettings.StartTls"/> asks, EHLO again, AUTH PLAIN or LOGIN
/// over TLS only, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. The whole conversation is bounded
/// by <see cref="SmtpSettings.Timeout"/>.
/// </summary>
internal sealed class SmtpTransport : IAsyncDisposable
{
    private const int MaxLineBytes = 4096;
    private const int MaxReplyLines = 100;

    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(5);

    private static readonly SearchValues<byte> LineBreaks = SearchValues.Create("\r\n"u8);

    private readonly SmtpSettings _settings;
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private Stream? _stream;
    private SslStream? _tls;
    private int _start;
    private int _end;
    private string? _certificateProblem;

    private SmtpTransport(SmtpSettings settings) => _settings = settings;

    /// <summary>Whether the conversation went over TLS, once it has.</summary>
    public bool IsEncrypted => _tls is not null;

    /// <summary>
    /// Submits <paramref name="message"/> (a complete RFC 5322 message, 7-bit) from <paramref name="from"/>
    /// to <paramref name="recipients"/> and returns the server's reply to the end of the data.
    /// </summary>
    /// <exception cref="SmtpReplyException">The server refused something.</exception>
    /// <exception cref="SmtpProtocolException">TLS or credentials rules, a certificate, or a broken reply.</exception>
    /// <exception cref="TimeoutException">The conversation took longer than the timeout.</exception>
    /// <exception cref="SocketException">The connection could not be made.</exception>
    /// <exception cref="IOException">The connection broke.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static async Task<SmtpReply> SendAsync(SmtpSettings settings, string from, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(recipients);
        EnsureCommandSafe(from);
        foreach (var recipient in recipients)
        {
            EnsureCommandSafe(recipient);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        await using var transport = new SmtpTransport(settings);
        // Socket operations honour the token, but closing the socket makes sure nothing outlives the deadline.
        await using var closeOnTimeout = timeout.Token.Register(static state => ((TcpClient)state!).Dispose(), transport._tcp);
        try
        {
            return await transport.RunAsync(from, recipients, message, timeout.Token);
        }
        catch (Exception e) when (e is not (SmtpReplyException or SmtpProtocolException) && timeout.IsCancellationRequested)
        {
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The SMTP conversation took longer than {settings.Timeout.TotalSeconds:0.#} s."), e);
        }
    }

    /// <summary>
    /// The DATA payload for <paramref name="message"/>: every line ending made CRLF, every line that
    /// starts with a dot given a second one (RFC 5321 §4.5.2), a final CRLF and the terminating <c>.CRLF</c>.
    /// </summary>
    internal static byte[] PrepareData(ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>(message.Length + (message.Length / 32) + 8);
        var atLineStart = true;
        while (!message.IsEmpty)
        {
            var breakAt = message.IndexOfAny(LineBreaks);
            var line = breakAt < 0 ? message : message[..breakAt];
            if (atLineStart && !line.IsEmpty && line[0] == (byte)'.')
            {
                output.Write("."u8);
            }

            output.Write(line);
            if (breakAt < 0)
            {
                atLineStart = false;
                break;
            }

            // CRLF, a bare CR or a bare LF each end one line.
            var breakLength = message[breakAt] == (byte)'\r' && breakAt + 1 < message.Length && message[breakAt + 1] == (byte)'\n' ? 2 : 1;
            output.Write("\r\n"u8);
            message = message[(breakAt + breakLength)..];
            atLineStart = true;
        }

        if (!atLineStart)
        {
            output.Write("\r\n"u8);
        }

        output.Write(".\r\n"u8);
        return output.WrittenSpan.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }

        _tcp.Dispose();
    }

    private async Task<SmtpReply> RunAsync(string from, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await _tcp.ConnectAsync(_settings.Host, _settings.Port, ct);
        _stream = _tcp.GetStream();
        try
        {
            return await ConverseAsync(from, recipients, message, ct);
        }
        catch (SmtpReplyException e) when (e.Reply.Code != 421)
        {
            // The server is still listening (421 means it is closing): end the session politely.
            await QuitAsync(ct);
            throw;
        }
    }

    private async Task<SmtpReply> ConverseAsync(string from, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        Expect(await ReadReplyAsync(ct), "greeting", 220);
        var clientName = ClientName();
        var extensions = await HelloAsync(clientName, allowHelo: true, ct);

        if (_settings.StartTls != StartTlsMode.Never && extensions.ContainsKey("STARTTLS"))
        {
            Expect(await CommandAsync("STARTTLS", ct), "STARTTLS", 220);
            await UpgradeAsync(ct);
            // RFC 3207 §4.2: everything learnt before TLS is forgotten.
            extensions = await HelloAsync(clientName, allowHelo: false, ct);
        }
        else if (_settings.StartTls == StartTlsMode.Required)
        {
            await QuitAsync(ct);
            throw new SmtpProtocolException("The server does not offer STARTTLS, and StartTls is Required.");
        }

        if (!string.IsNullOrEmpty(_settings.UserName))
        {
            if (!IsEncrypted)
            {
                await QuitAsync(ct);
                throw new SmtpProtocolException("Refusing to send credentials without TLS: the server did not offer STARTTLS.");
            }

            await AuthenticateAsync(extensions, ct);
        }

        ExpectSuccess(await CommandAsync($"MAIL FROM:<{from}>", ct), "MAIL FROM");
        foreach (var recipient in recipients)
        {
            ExpectSuccess(await CommandAsync($"RCPT TO:<{recipient}>", ct), "RCPT TO");
        }

        Expect(await CommandAsync("DATA", ct), "DATA", 354);
        await Stream.WriteAsync(PrepareData(message.Span), ct);
        await Stream.FlushAsync(ct);
        var accepted = await ReadReplyAsync(ct);
        ExpectSuccess(accepted, "end of data");

        await QuitAsync(ct);
        return accepted;
    }

    private Stream Stream => _stream ?? throw new InvalidOperationException("Not connected.");

    private async Task<Dictionary<string, string>> HelloAsync(string clientName, bool allowHelo, CancellationToken ct)
    {
        var reply = await CommandAsync("EHLO " + clientName, ct);
        if (reply.IsPositiveCompletion)
        {
            // The first line names the server; each further line is one extension keyword and its parameters.
            var extensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in reply.Lines.Skip(1))
            {
                var trimmed = line.Trim();
                var split = trimmed.IndexOfAny([' ', '=']);
                var keyword = split < 0 ? trimmed : trimmed[..split];
                var parameters = split < 0 ? "" : trimmed[(split + 1)..].Trim();
                if (keyword.Length > 0)
                {
                    extensions[keyword] = extensions.TryGetValue(keyword, out var earlier) ? earlier + " " + parameters : parameters;
                }
            }

            return extensions;
        }

        // RFC 5321 §3.2: a server that does not know EHLO refuses it with a 5xx; an older HELO still works.
        if (!allowHelo || reply.IsTransientFailure)
        {
            throw new SmtpReplyException(reply, "EHLO");
        }

        ExpectSuccess(await CommandAsync("HELO " + clientName, ct), "HELO");
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    private async Task UpgradeAsync(CancellationToken ct)
    {
        // Anything the server sent after its 220 arrived before TLS and could be an injected reply.
        if (_end > _start)
        {
            throw new SmtpProtocolException("The server sent data after accepting STARTTLS.");
        }

        _tls = new SslStream(Stream, leaveInnerStreamOpen: false, ValidateCertificate);
        try
        {
            await _tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = _settings.Host,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                ct);
        }
        catch (AuthenticationException)
        {
            throw new SmtpProtocolException("TLS failed: " + (_certificateProblem ?? "the handshake did not complete."));
        }

        _stream = _tls;
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            _certificateProblem = "the server sent no certificate.";
            return false;
        }

        if (_settings.CertificateSha256 is { } pinned)
        {
            // A pinned certificate stands on its own: a private mail server's certificate need not chain to a public root.
            if (CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pinned))
            {
                return true;
            }

            _certificateProblem = "the server certificate does not match CertificateSha256.";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        _certificateProblem = $"the server certificate is not valid for the host ({errors}).";
        return false;
    }

    private async Task AuthenticateAsync(Dictionary<string, string> extensions, CancellationToken ct)
    {
        var mechanisms = extensions.TryGetValue("AUTH", out var offered)
            ? offered.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        var user = Encoding.UTF8.GetBytes(_settings.UserName!);
        var password = Encoding.UTF8.GetBytes(_settings.Password ?? "");
        try
        {
            if (mechanisms.Contains("PLAIN", StringComparer.OrdinalIgnoreCase))
            {
                // RFC 4616: authorization identity (empty), NUL, user, NUL, password.
                var message = new byte[user.Length + password.Length + 2];
                user.CopyTo(message, 1);
                password.CopyTo(message, user.Length + 2);
                try
                {
                    Expect(await CommandAsync("AUTH PLAIN " + Convert.ToBase64String(message), ct), "AUTH", 235);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(message);
                }
            }
            else if (mechanisms.Contains("LOGIN", StringComparer.OrdinalIgnoreCase))
            {
                Expect(await CommandAsync("AUTH LOGIN", ct), "AUTH", 334);
                Expect(await CommandAsync(Convert.ToBase64String(user), ct), "AUTH", 334);
                Expect(await CommandAsync(Convert.ToBase64String(password), ct), "AUTH", 235);
            }
            else
            {
                await QuitAsync(ct);
                throw new SmtpProtocolException("The server offers neither AUTH PLAIN nor AUTH LOGIN.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(user);
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>
    /// Ends the session, waiting a few seconds at most. Whatever happens here changes nothing: either the
    /// message was already accepted, or the conversation has already failed for another reason.
    /// </summary>
    private async Task QuitAsync(CancellationToken ct)
    {
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        quit.CancelAfter(QuitTimeout);
        try
        {
            await CommandAsync("QUIT", quit.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task<SmtpReply> CommandAsync(string command, CancellationToken ct)
    {
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), ct);
        await Stream.FlushAsync(ct);
        return await ReadReplyAsync(ct);
    }

    private async Task<SmtpReply> ReadReplyAsync(CancellationToken ct)
    {
        var lines = new List<string>();
        var code = -1;
        while (true)
        {
            var line = await ReadLineAsync(ct);
            // reply-line = 3DIGIT ( "-" / SP ) text, the last line with SP or nothing after the code (RFC 5321 §4.2).
            if (line.Length < 3 || line[0] is < '2' or > '5' || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new SmtpProtocolException("The server sent a malformed reply.");
            }

            var lineCode = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
            if (code >= 0 && lineCode != code)
            {
                throw new SmtpProtocolException("The server sent a multi-line reply with differing codes.");
            }

            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }

            if (lines.Count >= MaxReplyLines)
            {
                throw new SmtpProtocolException("The server sent a reply with too many lines.");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new SmtpProtocolException("The server sent a line that is too long.");
            }

            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), ct);
            if (read == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            _end += read;
        }
    }

    // RFC 5321 §4.1.3: without a name that resolves to us, an address literal is the honest EHLO argument.
    private string ClientName()
    {
        var local = (_tcp.Client.LocalEndPoint as IPEndPoint)?.Address;
        if (local is null)
        {
            return "[127.0.0.1]";
        }

        if (local.IsIPv4MappedToIPv6)
        {
            local = local.MapToIPv4();
        }

        if (local.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return $"[{local}]";
        }

        local.ScopeId = 0;
        return $"[IPv6:{local}]";
    }

    private static void Expect(SmtpReply reply, string stage, int code)
    {
        if (reply.Code != code)
        {
            throw new SmtpReplyException(reply, stage);
        }
    }

    private static void ExpectSuccess(SmtpReply reply, string stage)
    {
        if (!reply.IsPositiveCompletion)
        {
            throw new SmtpReplyException(reply, stage);
        }
    }

    private static void EnsureCommandSafe(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' || c is '<' or '>')
            {
                throw new ArgumentException("Addresses must be printable ASCII without angle brackets.", nameof(value));
            }
        }
    }
}

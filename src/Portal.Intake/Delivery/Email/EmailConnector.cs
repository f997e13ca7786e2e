using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portal.Intake.Delivery.Email;

/// <summary>
/// Mails each report to the case system's mailbox over SMTP: the sealed envelope as an attachment,
/// under a subject that is the same for every report, with the report id as Message-ID so a mailbox
/// that sees the same report twice can keep one. Errors carry the SMTP code and the server's text,
/// never anything of the report or an address.
/// </summary>
public sealed class EmailConnector : IReportConnector
{
    private const int MaxServerText = 200;

    private readonly SmtpSettings _settings;
    private readonly string _from;
    private readonly string[] _to;
    private readonly string _subject;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public EmailConnector(EmailOptions options, TimeProvider clock, ILogger<EmailConnector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _settings = new SmtpSettings(
            options.Host!,
            options.Port,
            Enum.Parse<StartTlsMode>(options.StartTls),
            string.IsNullOrWhiteSpace(options.CertificateSha256) ? null : ParseFingerprint(options.CertificateSha256),
            string.IsNullOrEmpty(options.UserName) ? null : options.UserName,
            options.Password,
            TimeSpan.FromSeconds(options.TimeoutSeconds));
        _from = options.From!.Trim();
        _to = SplitRecipients(options.To!);
        _subject = options.Subject;
        _clock = clock;
        _logger = logger ?? NullLogger<EmailConnector>.Instance;
    }

    public string Name => "Email";

    /// <summary>Everything wrong with <paramref name="options"/>, one sentence each; empty when they can be used.</summary>
    public static IReadOnlyList<string> Validate(EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = "Intake:Delivery:Email:";

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add($"{Prefix}Host is required.");
        }
        else if (Uri.CheckHostName(options.Host) == UriHostNameType.Unknown)
        {
            errors.Add($"{Prefix}Host must be a host name or an IP address.");
        }

        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"{Prefix}Port must be between 1 and 65535.");
        }

        if (options.StartTls is not (nameof(StartTlsMode.Auto) or nameof(StartTlsMode.Required) or nameof(StartTlsMode.Never)))
        {
            errors.Add($"{Prefix}StartTls must be Auto, Required or Never.");
        }

        if (!string.IsNullOrWhiteSpace(options.CertificateSha256) && ParseFingerprint(options.CertificateSha256) is null)
        {
            errors.Add($"{Prefix}CertificateSha256 must be 64 hexadecimal digits (colons allowed).");
        }

        if (!string.IsNullOrEmpty(options.UserName))
        {
            if (options.UserName.Any(char.IsControl) || (options.Password ?? "").Contains('\0', StringComparison.Ordinal))
            {
                errors.Add($"{Prefix}UserName and Password must not contain control characters or NUL.");
            }

            if (options.Password is null)
            {
                errors.Add($"{Prefix}Password is required when UserName is set.");
            }

            if (options.StartTls == nameof(StartTlsMode.Never))
            {
                errors.Add($"{Prefix}UserName needs StartTls Auto or Required: credentials are only sent over TLS.");
            }
        }

        AddressErrors(errors, $"{Prefix}From", options.From, single: true);
        AddressErrors(errors, $"{Prefix}To", options.To, single: false);

        if (string.IsNullOrWhiteSpace(options.Subject))
        {
            errors.Add($"{Prefix}Subject is required.");
        }
        else if (!EmailMessage.IsHeaderText(options.Subject))
        {
            errors.Add($"{Prefix}Subject must not contain line breaks or other control characters.");
        }
        else if (options.Subject.Length > EmailMessage.MaxSubjectLength)
        {
            errors.Add($"{Prefix}Subject must be at most {EmailMessage.MaxSubjectLength} characters.");
        }

        if (!(options.TimeoutSeconds is >= 1 and <= 300))
        {
            errors.Add($"{Prefix}TimeoutSeconds must be between 1 and 300.");
        }

        return errors;
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!EmailMessage.IsCompactJwe(report.Envelope))
        {
            return Fail(report, "the envelope is not a compact JWE");
        }

        var message = EmailMessage.Build(_from, _to, _subject, report.ReportId, report.Envelope, _clock.GetUtcNow());
        try
        {
            var reply = await SmtpTransport.SendAsync(_settings, _from, _to, message, ct);
            _logger.LogDebug("Report {ReportId} mailed (attempt {Attempt}): smtp {Code}.", report.ReportId, report.Attempt, reply.Code);
            return DeliveryOutcome.Success;
        }
        catch (SmtpReplyException e)
        {
            return Fail(report, string.Create(CultureInfo.InvariantCulture, $"smtp {e.Reply.Code} after {e.Stage}: {e.Reply.Text(MaxServerText)}"));
        }
        catch (SmtpProtocolException e)
        {
            return Fail(report, "smtp: " + e.Message);
        }
        catch (TimeoutException)
        {
            return Fail(report, string.Create(CultureInfo.InvariantCulture, $"smtp timeout after {_settings.Timeout.TotalSeconds:0.#} s"));
        }
        catch (SocketException e)
        {
            return Fail(report, "smtp connect: " + e.SocketErrorCode);
        }
        catch (IOException e)
        {
            return Fail(report, e.InnerException is SocketException socket ? "smtp connection: " + socket.SocketErrorCode : "smtp connection lost");
        }
    }

    /// <summary>The pin as bytes: 64 hex digits, any case, optionally separated by colons or spaces; null when malformed.</summary>
    internal static byte[]? ParseFingerprint(string value)
    {
        var hex = value.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return Convert.FromHexString(hex);
    }

    private static string[] SplitRecipients(string to) =>
        to.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AddressErrors(List<string> errors, string name, string? value, bool single)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{name} is required.");
            return;
        }

        if (!EmailMessage.IsHeaderText(value))
        {
            errors.Add($"{name} must not contain line breaks or other control characters.");
            return;
        }

        var addresses = single ? [value.Trim()] : SplitRecipients(value);
        if (addresses.Length == 0 || !addresses.All(EmailMessage.IsAddress))
        {
            errors.Add(single
                ? $"{name} must be one plain address such as cases@example.org (no display name)."
                : $"{name} must be one or more plain addresses such as cases@example.org, separated by commas.");
        }
    }

    private DeliveryOutcome Fail(OutgoingReport report, string reason)
    {
        // The relay logs the outcome with its retry plan; this is only the detail.
        _logger.LogDebug("Mailing report {ReportId} failed (attempt {Attempt}): {Reason}", report.ReportId, report.Attempt, reason);
        return DeliveryOutcome.Failure(reason);
    }
}

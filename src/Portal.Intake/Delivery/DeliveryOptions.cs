using System.ComponentModel.DataAnnotations;

namespace Portal.Intake.Delivery;

/// <summary>Settings under <c>Intake:</c> that the relay reads (the web form reads others from the same section).</summary>
public sealed class RelaySettings
{
    public const string Section = "Intake";

    /// <summary>Delivered reports are purged this many days after delivery.</summary>
    [Range(0, 365)]
    public double RetentionDays { get; set; } = 7;

    /// <summary>Hard maximum for anything undelivered (dead letters, quarantined submissions), counted from arrival.</summary>
    [Range(1, 365)]
    public double DeadLetterRetentionDays { get; set; } = 30;

    public DeliveryOptions Delivery { get; set; } = new();
}

/// <summary><c>Intake:Delivery</c>: where reports go and how the relay retries.</summary>
public sealed class DeliveryOptions
{
    [RegularExpression("^(Directory|Webhook|Email)$", ErrorMessage = "Intake:Delivery:Connector must be Directory, Webhook or Email.")]
    public string Connector { get; set; } = "Directory";

    public RelayOptions Relay { get; set; } = new();

    public DirectoryConnectorOptions Directory { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();

    public EmailOptions Email { get; set; } = new();
}

public sealed class RelayOptions
{
    /// <summary>Whether this process runs the relay. The web role can switch it off when a separate worker runs it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Outbox rows claimed per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 128;

    /// <summary>Deliveries in flight at once.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 32;

    /// <summary>How often an idle relay looks for due rows (a report accepted by this process wakes it at once).</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How long a relay woken by a new report waits before it claims, so reports accepted at about the
    /// same moment go in one round (one claim, one record, one disk flush for a folder) rather than one
    /// round each, which under a burst would compete with the form's own commits for the disk.
    /// </summary>
    [Range(0, 5_000)]
    public int GatherMilliseconds { get; set; } = 50;

    /// <summary>A claimed row is left alone by other workers this long; if its worker dies, it is tried again after.</summary>
    [Range(1, 3600)]
    public double LeaseSeconds { get; set; } = 120;

    /// <summary>
    /// Comma-separated waits before each attempt, the first counted from arrival (Standard Webhooks: immediately, 5 s, 5 min,
    /// 30 min, 2 h, 5 h, 10 h, 10 h). After the last attempt fails, the report is dead-lettered.
    /// </summary>
    public string Schedule { get; set; } = "0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h";

    public string[] ScheduleParts => Schedule.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Each wait is varied by up to this fraction either way, so retries after an outage do not arrive together.</summary>
    [Range(0, 0.5)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is treated as this.</summary>
    [Range(1, 86_400)]
    public double MaxRetryAfterSeconds { get; set; } = 36_000;
}

public sealed class DirectoryConnectorOptions
{
    /// <summary>Defaults to <c>{DataDirectory}/case-inbox</c>.</summary>
    public string? Path { get; set; }
}

public sealed class WebhookOptions
{
    /// <summary>HTTPS, or HTTP to a loopback address only.</summary>
    public string? Url { get; set; }

    /// <summary>The shared signing secret, <c>whsec_</c> and base64.</summary>
    public string? Secret { get; set; }

    /// <summary><c>Sealed</c> (default: the JWE, <c>application/jose</c>) or <c>Opened</c> (the report JSON, needs <see cref="PrivateKey"/>).</summary>
    [RegularExpression("^(Sealed|Opened)$", ErrorMessage = "Intake:Delivery:Webhook:Body must be Sealed or Opened.")]
    public string Body { get; set; } = "Sealed";

    /// <summary>Path to the case system's private key; only the worker is given it, only for <c>Body = Opened</c>.</summary>
    public string? PrivateKey { get; set; }

    [Range(1, 300)]
    public double TimeoutSeconds { get; set; } = 30;
}

public sealed class EmailOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary><c>Auto</c> (STARTTLS when the server offers it), <c>Required</c>, or <c>Never</c>.</summary>
    [RegularExpression("^(Auto|Required|Never)$", ErrorMessage = "Intake:Delivery:Email:StartTls must be Auto, Required or Never.")]
    public string StartTls { get; set; } = "Auto";

    /// <summary>
    /// SHA-256 of the server's certificate (hex), for a mail server with a private certificate.
    /// Without it the certificate must be valid for <see cref="Host"/>.
    /// </summary>
    public string? CertificateSha256 { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public string? To { get; set; }

    /// <summary>The same for every report, so a glance at the mailbox reveals nothing.</summary>
    public string Subject { get; set; } = "Secure message";

    [Range(1, 300)]
    public double TimeoutSeconds { get; set; } = 60;
}

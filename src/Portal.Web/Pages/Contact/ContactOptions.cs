using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Pages.Contact;

/// <summary>Settings under <c>Intake:</c> for the safe-contact form.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    public SealingOptions Sealing { get; set; } = new();

    public FormTokenOptions FormToken { get; set; } = new();

    public ProofOfWorkOptions ProofOfWork { get; set; } = new();

    public RateLimitOptions RateLimit { get; set; } = new();

    public RecaptchaOptions Recaptcha { get; set; } = new();
}

public sealed class SealingOptions
{
    /// <summary>The case system's public key: PEM text or a path to a PEM file. Without it, a development pair is made under the data directory.</summary>
    public string? PublicKey { get; set; }
}

public sealed class FormTokenOptions
{
    /// <summary>How long a form may stay open: people are interrupted, so hours, not minutes.</summary>
    [Range(0.25, 48)]
    public double MaxAgeHours { get; set; } = 6;

    /// <summary>No person completes the form faster than this.</summary>
    [Range(0, 5)]
    public double MinSeconds { get; set; } = 3;
}

public sealed class ProofOfWorkOptions
{
    /// <summary>The search space; the browser tries half of it on average.</summary>
    [Range(1000, 10_000_000)]
    public int MaxNumber { get; set; } = 50_000;
}

public sealed class RateLimitOptions
{
    [Range(1, 10_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(1, 1440)]
    public int WindowMinutes { get; set; } = 10;
}

/// <summary>
/// Google reCAPTCHA v3, off by default. Switching it on loads Google's script on the form page,
/// which tells Google that someone opened it: see the README before enabling.
/// </summary>
public sealed class RecaptchaOptions
{
    public bool Enabled { get; set; }

    public string? SiteKey { get; set; }

    public string? SecretKey { get; set; }

    [Url]
    public string VerifyUrl { get; set; } = "https://www.google.com/recaptcha/api/siteverify";

    [Range(0.0, 1.0)]
    public double MinimumScore { get; set; } = 0.5;

    /// <summary>The host name Google must report; defaults to the request's host.</summary>
    public string? Hostname { get; set; }

    /// <summary>How old a token may be when it reaches us.</summary>
    [Range(10, 600)]
    public int MaxTokenAgeSeconds { get; set; } = 120;
}

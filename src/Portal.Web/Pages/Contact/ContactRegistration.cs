using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Intake.Delivery;
using Portal.Intake.Protection;
using Portal.Intake.Sealing;
using Portal.Intake.Storage;
using Portal.Web.Content;

namespace Portal.Web.Pages.Contact;

public static class ContactRegistration
{
    public const string RatePolicy = "contact-submit";

    private static readonly Meter Meter = new("Portal.Intake");

    /// <summary>Submissions kept back because software, not a person, sent them (a filled honeypot, a forged token).</summary>
    public static readonly Counter<long> Quarantined = Meter.CreateCounter<long>("portal.intake.quarantined");

    /// <summary>The safe-contact form: intake store, sealing, form tokens, proof of work, rate limit, optional reCAPTCHA.</summary>
    public static IServiceCollection AddSafeContact(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeOptions>()
            .Bind(configuration.GetSection(IntakeOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !o.Recaptcha.Enabled || (!string.IsNullOrEmpty(o.Recaptcha.SiteKey) && !string.IsNullOrEmpty(o.Recaptcha.SecretKey)),
                "Intake:Recaptcha:SiteKey and SecretKey are required when Intake:Recaptcha:Enabled is true.")
            .ValidateOnStart();

        services.AddDbContext<IntakeDb>((sp, options) =>
            ContentStoreRegistration.ConfigureDatabase(options, sp.GetRequiredService<IOptions<PortalOptions>>().Value));
        services.AddScoped<IntakeStore>();
        services.AddSingleton<IntakeWriter>();
        services.AddDelivery(configuration, sp => sp.GetRequiredService<IOptions<PortalOptions>>().Value.ResolvedDataDirectory);
        services.AddSingleton<IntakeKeys>();
        services.AddSingleton(sp => sp.GetRequiredService<IntakeKeys>().Sealer);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IntakeOptions>>().Value.FormToken;
            return new FormTokens(sp.GetRequiredService<IntakeKeys>().FormTokenKey, sp.GetRequiredService<TimeProvider>(),
                TimeSpan.FromHours(o.MaxAgeHours), TimeSpan.FromSeconds(o.MinSeconds));
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IntakeOptions>>().Value;
            return new ProofOfWork(sp.GetRequiredService<IntakeKeys>().ProofOfWorkKey, sp.GetRequiredService<TimeProvider>(),
                o.ProofOfWork.MaxNumber, TimeSpan.FromHours(o.FormToken.MaxAgeHours));
        });
        services.AddMemoryCache();
        services.AddSingleton<ConfirmationStore>();
        services.AddSingleton<AddressHasher>();
        services.AddHttpClient<RecaptchaVerifier>(c => c.Timeout = TimeSpan.FromSeconds(10));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RatePolicy, context =>
            {
                // Reading the form is never limited; sending it is, per client address, in memory only.
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("read");
                }

                var limits = context.RequestServices.GetRequiredService<IOptions<IntakeOptions>>().Value.RateLimit;
                var key = context.RequestServices.GetRequiredService<AddressHasher>().Hash(context.Connection.RemoteIpAddress);
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit,
                    Window = TimeSpan.FromMinutes(limits.WindowMinutes),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }
}

/// <summary>
/// The keys the web role holds: the case system's public key (never the private one), and the
/// form-token and proof-of-work signing keys shared by every node through the database.
/// </summary>
public sealed class IntakeKeys
{
    private ReportSealer? _sealer;

    public ReportSealer Sealer => _sealer ?? throw new InvalidOperationException("Intake keys are not loaded yet.");

    public byte[] FormTokenKey { get; private set; } = [];

    public byte[] ProofOfWorkKey { get; private set; } = [];

    public async Task LoadAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var portal = services.GetRequiredService<IOptions<PortalOptions>>().Value;
        var intake = services.GetRequiredService<IOptions<IntakeOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Intake");

        var publicKey = string.IsNullOrWhiteSpace(intake.Sealing.PublicKey)
            ? CaseSystemKeys.EnsureDevelopmentKeys(portal.ResolvedDataDirectory, logger)
            : CaseSystemKeys.LoadPublicKey(intake.Sealing.PublicKey);
        _sealer = new ReportSealer(publicKey);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDb>();
        await Schema.EnsureTablesAsync(db, "intake_reports", ct);
        FormTokenKey = await SecretAsync(db, "form-token", ct);
        ProofOfWorkKey = await SecretAsync(db, "proof-of-work", ct);
    }

    private static async Task<byte[]> SecretAsync(IntakeDb db, string name, CancellationToken ct)
    {
        if (await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, ct) is { } existing)
        {
            return existing.Value;
        }

        db.Secrets.Add(new IntakeSecret { Name = name, Value = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node made it first; use theirs.
            db.ChangeTracker.Clear();
        }

        return (await db.Secrets.AsNoTracking().SingleAsync(s => s.Name == name, ct)).Value;
    }
}

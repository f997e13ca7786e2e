using Microsoft.EntityFrameworkCore;

namespace Portal.Intake.Storage;

/// <summary>Report states: accepted reports are delivered; quarantined ones (a filled honeypot, a forged token) never are.</summary>
public static class ReportStatus
{
    public const string Accepted = "accepted";
    public const string Quarantined = "quarantined";
}

/// <summary>A report as stored: only the sealed envelope, which this server cannot open.</summary>
public sealed class SealedReport
{
    public Guid Id { get; set; }

    /// <summary>Unix milliseconds (UTC); numbers keep ordering and comparison portable across SQLite and PostgreSQL.</summary>
    public long ReceivedAtMs { get; set; }

    public bool Urgent { get; set; }

    public required string Verification { get; set; }

    public required string Status { get; set; }

    public string? QuarantineReason { get; set; }

    /// <summary>Compact JWE sealed to the case system's public key.</summary>
    public required string Envelope { get; set; }
}

public static class OutboxState
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string DeadLettered = "dead-lettered";
}

/// <summary>The delivery to-do for one accepted report, written in the same transaction as the report.</summary>
public sealed class OutboxMessage
{
    public Guid ReportId { get; set; }

    public bool Urgent { get; set; }

    public required string State { get; set; }

    public int Attempts { get; set; }

    public long CreatedAtMs { get; set; }

    public long NextAttemptAtMs { get; set; }

    public long? LastAttemptAtMs { get; set; }

    /// <summary>What went wrong last time, never any report content.</summary>
    public string? LastError { get; set; }

    public long? DeliveredAtMs { get; set; }

    public long? DeadLetteredAtMs { get; set; }

    /// <summary>Set when a worker claims the row; the worker records its result only if the claim is still its own.</summary>
    public string? ClaimToken { get; set; }
}

/// <summary>One try at handing a report to the case system: when, by which worker, and what happened (never content).</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; set; }

    public Guid ReportId { get; set; }

    public int Attempt { get; set; }

    public long AtMs { get; set; }

    public int DurationMs { get; set; }

    public bool Delivered { get; set; }

    public string? Error { get; set; }

    public required string Worker { get; set; }
}

/// <summary>A single-use value already spent: a form nonce (with the report it made) or a proof-of-work challenge.</summary>
public sealed class UsedToken
{
    /// <summary>SHA-256 of kind and value, hex; the value itself is not kept.</summary>
    public required string Hash { get; set; }

    public required string Kind { get; set; }

    public Guid? ReportId { get; set; }

    public long ExpiresAtMs { get; set; }
}

/// <summary>Keys shared by every web node (form-token and proof-of-work signing). Never the report key.</summary>
public sealed class IntakeSecret
{
    public required string Name { get; set; }

    public required byte[] Value { get; set; }
}

public sealed class IntakeDb(DbContextOptions<IntakeDb> options) : DbContext(options)
{
    public DbSet<SealedReport> Reports => Set<SealedReport>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<DeliveryAttempt> Attempts => Set<DeliveryAttempt>();

    public DbSet<UsedToken> UsedTokens => Set<UsedToken>();

    public DbSet<IntakeSecret> Secrets => Set<IntakeSecret>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SealedReport>(e =>
        {
            e.ToTable("intake_reports");
            e.HasKey(x => x.Id);
            e.Property(x => x.Verification).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.QuarantineReason).HasMaxLength(40);
        });
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("intake_outbox");
            e.HasKey(x => x.ReportId);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.LastError).HasMaxLength(500);
            e.Property(x => x.ClaimToken).HasMaxLength(32).IsConcurrencyToken();
            e.HasIndex(x => new { x.State, x.NextAttemptAtMs });
            e.HasOne<SealedReport>().WithOne().HasForeignKey<OutboxMessage>(x => x.ReportId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<DeliveryAttempt>(e =>
        {
            e.ToTable("intake_delivery_attempts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Error).HasMaxLength(500);
            e.Property(x => x.Worker).HasMaxLength(100);
            e.HasIndex(x => x.ReportId);
            e.HasOne<SealedReport>().WithMany().HasForeignKey(x => x.ReportId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<UsedToken>(e =>
        {
            e.ToTable("intake_used_tokens");
            e.HasKey(x => x.Hash);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.HasIndex(x => x.ExpiresAtMs);
        });
        modelBuilder.Entity<IntakeSecret>(e =>
        {
            e.ToTable("intake_secrets");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(50);
        });
    }
}

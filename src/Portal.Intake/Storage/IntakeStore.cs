using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Intake.Storage;

public sealed record AcceptResult(Guid ReportId, bool Duplicate, bool PowAccepted);

/// <summary>
/// Writes a sealed report, its outbox row and the single-use values it spent in one transaction,
/// so a report is either fully accepted (and will be delivered) or not there at all.
/// </summary>
/// <remarks>
/// The database context of the request is resolved only when a lookup or a quarantine needs it:
/// an accepted report is written by <see cref="IntakeWriter"/> in its own scope.
/// </remarks>
public sealed class IntakeStore(IServiceProvider services, IntakeWriter writer, TimeProvider clock)
{
    private IntakeDb? _db;

    private IntakeDb Db => _db ??= services.GetRequiredService<IntakeDb>();

    public const string FormNonce = "form";
    public const string PowChallenge = "pow";

    public static string TokenHash(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + value)));

    /// <summary>The report a form nonce already produced, if any (a double submit).</summary>
    public async Task<Guid?> FindByNonceAsync(string nonce, CancellationToken ct = default)
    {
        var hash = TokenHash(FormNonce, nonce);
        return await Db.UsedTokens.AsNoTracking().Where(t => t.Hash == hash).Select(t => t.ReportId).SingleOrDefaultAsync(ct);
    }

    public async Task<bool> IsSpentAsync(string kind, string value, CancellationToken ct = default)
    {
        var hash = TokenHash(kind, value);
        return await Db.UsedTokens.AsNoTracking().AnyAsync(t => t.Hash == hash, ct);
    }

    /// <param name="seal">Seals the report, told whether the proof of work counts (it may not, if spent meanwhile).</param>
    public async Task<AcceptResult> AcceptAsync(
        Guid reportId,
        bool urgent,
        string nonce,
        string? powChallenge,
        DateTimeOffset keepTokensUntil,
        Func<bool, (string Envelope, string Verification)> seal,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(seal);
        // Optimistic: the writer checks every single-use value in the same transaction and reseals
        // without the proof of work in the rare case it was spent meanwhile.
        var usePow = powChallenge is not null;
        var (envelope, verification) = seal(usePow);
        return await writer.AcceptAsync(
            new PendingReport(reportId, urgent, TokenHash(FormNonce, nonce), usePow ? TokenHash(PowChallenge, powChallenge!) : null,
                keepTokensUntil.ToUnixTimeMilliseconds(), envelope, verification, () => seal(false)),
            ct);
    }

    /// <summary>Keeps a submission that a person did not make (sealed, never delivered), for counting and review.</summary>
    public async Task QuarantineAsync(string envelope, string reason, CancellationToken ct = default)
    {
        Db.Reports.Add(new SealedReport
        {
            Id = Guid.NewGuid(),
            ReceivedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Urgent = false,
            Verification = "none",
            Status = ReportStatus.Quarantined,
            QuarantineReason = reason,
            Envelope = envelope,
        });
        await Db.SaveChangesAsync(ct);
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Portal.Intake.Storage;

public sealed record AcceptResult(Guid ReportId, bool Duplicate, bool PowAccepted);

/// <summary>
/// Writes a sealed report, its outbox row and the single-use values it spent in one transaction,
/// so a report is either fully accepted (and will be delivered) or not there at all.
/// </summary>
public sealed class IntakeStore(IntakeDb db, TimeProvider clock)
{
    public const string FormNonce = "form";
    public const string PowChallenge = "pow";

    public static string TokenHash(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + value)));

    /// <summary>The report a form nonce already produced, if any (a double submit).</summary>
    public async Task<Guid?> FindByNonceAsync(string nonce, CancellationToken ct = default)
    {
        var hash = TokenHash(FormNonce, nonce);
        return await db.UsedTokens.AsNoTracking().Where(t => t.Hash == hash).Select(t => t.ReportId).SingleOrDefaultAsync(ct);
    }

    public async Task<bool> IsSpentAsync(string kind, string value, CancellationToken ct = default)
    {
        var hash = TokenHash(kind, value);
        return await db.UsedTokens.AsNoTracking().AnyAsync(t => t.Hash == hash, ct);
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
        var usePow = powChallenge is not null && !await IsSpentAsync(PowChallenge, powChallenge, ct);
        for (var attempt = 0; ; attempt++)
        {
            var (envelope, verification) = seal(usePow);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            db.Reports.Add(new SealedReport
            {
                Id = reportId,
                ReceivedAtMs = now,
                Urgent = urgent,
                Verification = verification,
                Status = ReportStatus.Accepted,
                Envelope = envelope,
            });
            db.Outbox.Add(new OutboxMessage
            {
                ReportId = reportId,
                Urgent = urgent,
                State = OutboxState.Pending,
                CreatedAtMs = now,
                NextAttemptAtMs = now,
            });
            var expires = keepTokensUntil.ToUnixTimeMilliseconds();
            db.UsedTokens.Add(new UsedToken { Hash = TokenHash(FormNonce, nonce), Kind = FormNonce, ReportId = reportId, ExpiresAtMs = expires });
            if (usePow)
            {
                db.UsedTokens.Add(new UsedToken { Hash = TokenHash(PowChallenge, powChallenge!), Kind = PowChallenge, ExpiresAtMs = expires });
            }

            try
            {
                await db.SaveChangesAsync(ct);
                return new AcceptResult(reportId, false, usePow);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                db.ChangeTracker.Clear();
                // Another request with the same form got there first: that report is this one.
                if (await FindByNonceAsync(nonce, ct) is { } existing)
                {
                    return new AcceptResult(existing, true, false);
                }

                // The same proof of work was spent by another form meanwhile: accept without it.
                usePow = false;
            }
        }
    }

    /// <summary>Keeps a submission that a person did not make (sealed, never delivered), for counting and review.</summary>
    public async Task QuarantineAsync(string envelope, string reason, CancellationToken ct = default)
    {
        db.Reports.Add(new SealedReport
        {
            Id = Guid.NewGuid(),
            ReceivedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Urgent = false,
            Verification = "none",
            Status = ReportStatus.Quarantined,
            QuarantineReason = reason,
            Envelope = envelope,
        });
        await db.SaveChangesAsync(ct);
    }
}

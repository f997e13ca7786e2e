using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Backoffice;

/// <summary>Who started an audited action.</summary>
public static class AuditTriggers
{
    public const string Person = "person";
    public const string Scheduler = "scheduler";
    public const string Import = "import";
    public const string Command = "command";
}

/// <summary>
/// One line of the audit log: who did what, to which page or helpline, in which language, which
/// version. Written in the same transaction as the change it records; never changed or deleted
/// (the database refuses updates and deletes on the table).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset AtUtc { get; set; }

    /// <summary>A staff user id, or "scheduler", "import", "command".</summary>
    public required string Actor { get; set; }

    /// <summary>The staff member's e-mail address at the time, or the same as <see cref="Actor"/>.</summary>
    public required string ActorName { get; set; }

    public required string Trigger { get; set; }

    /// <summary>e.g. sign-in, sign-in-failed, lockout, enrol-authenticator, save-draft, submit, approve, publish, unpublish, rollback.</summary>
    public required string Action { get; set; }

    /// <summary>e.g. "page:policy", "helpline:refuge", "user:…", "settings".</summary>
    public string? Target { get; set; }

    public string? Culture { get; set; }

    public string? Audience { get; set; }

    public long? VersionId { get; set; }

    /// <summary>A short description with no personal data of the public.</summary>
    public string? Detail { get; set; }
}

/// <summary>Adds audit entries; there is deliberately no way to change or remove one.</summary>
public sealed class AuditLog(PortalDb db, TimeProvider clock)
{
    /// <summary>Adds an entry to the pending changes: it commits with the caller's SaveChanges.</summary>
    public AuditEntry Add(string actor, string actorName, string trigger, string action, string? target = null,
        string? culture = null, string? audience = null, long? versionId = null, string? detail = null)
    {
        var entry = new AuditEntry
        {
            AtUtc = clock.GetUtcNow(),
            Actor = actor,
            ActorName = actorName,
            Trigger = trigger,
            Action = action,
            Target = target,
            Culture = culture,
            Audience = audience,
            VersionId = versionId,
            Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
        };
        db.Audit.Add(entry);
        return entry;
    }

    /// <summary>Adds and commits an entry on its own (sign-in events).</summary>
    public async Task WriteAsync(string actor, string actorName, string trigger, string action, string? target = null, string? detail = null, CancellationToken ct = default)
    {
        Add(actor, actorName, trigger, action, target, detail: detail);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Makes the table append-only in the database itself, so not even a bug or a hand-written query
    /// through the application's connection can rewrite history.
    /// </summary>
    public static async Task ProtectAsync(PortalDb db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """, ct);
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """, ct);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;
                DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
                """, ct);
        }
    }
}

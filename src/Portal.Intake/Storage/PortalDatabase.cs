using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Intake.Storage;

/// <summary>Settings under <c>Portal:</c> that every role reads: where files go and which database holds the data.</summary>
public class StorageSettings
{
    public const string Section = "Portal";

    /// <summary>Where the portal writes every file of its own: database, keys, case inbox.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);
}

public sealed class DatabaseOptions
{
    /// <summary>Sqlite (default, a file in the data directory) or PostgreSQL.</summary>
    [RegularExpression("^(Sqlite|PostgreSQL)$", ErrorMessage = "Portal:Database:Provider must be Sqlite or PostgreSQL.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Required for PostgreSQL; for SQLite, defaults to portal.db in the data directory.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>One database for every role (web, worker, commands): SQLite in the data directory by default, or PostgreSQL.</summary>
public static class PortalDatabase
{
    public static void Configure(DbContextOptionsBuilder options, StorageSettings storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Database.Provider == "PostgreSQL")
        {
            var cs = storage.Database.ConnectionString
                ?? throw new InvalidOperationException("Portal:Database:ConnectionString is required when Portal:Database:Provider is PostgreSQL.");
            options.UseNpgsql(cs);
        }
        else
        {
            options.UseSqlite(SqliteConnectionString(storage));
            options.AddInterceptors(SqlitePragmas.Instance);
        }
    }

    public static string SqliteConnectionString(StorageSettings storage) =>
        storage.Database.ConnectionString ?? new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(storage.ResolvedDataDirectory, "portal.db"),
            Pooling = true,
        }.ToString();

    /// <summary>Write-ahead logging, so readers never wait for the writer; set once, kept in the file.</summary>
    public static async Task UseWriteAheadLogAsync(DbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}

/// <summary>
/// Every SQLite connection waits for locks instead of failing, enforces foreign keys, commits with
/// synchronous=FULL so a committed write survives a power cut, and overwrites deleted content.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Portal.Web.Content;

public static class ContentStoreRegistration
{
    /// <summary>The EF Core content store on SQLite (default) or PostgreSQL, and the published-site snapshot.</summary>
    public static IServiceCollection AddContentStore(this IServiceCollection services)
    {
        services.AddDbContext<PortalDb>((sp, options) =>
        {
            var portal = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
            ConfigureDatabase(options, portal);
        });
        services.AddSingleton<SiteContent>();
        return services;
    }

    public static void ConfigureDatabase(DbContextOptionsBuilder options, PortalOptions portal)
    {
        if (portal.Database.Provider == "PostgreSQL")
        {
            var cs = portal.Database.ConnectionString
                ?? throw new InvalidOperationException("Portal:Database:ConnectionString is required when Portal:Database:Provider is PostgreSQL.");
            options.UseNpgsql(cs);
        }
        else
        {
            options.UseSqlite(SqliteConnectionString(portal));
            options.AddInterceptors(SqlitePragmas.Instance);
        }
    }

    public static string SqliteConnectionString(PortalOptions portal) =>
        portal.Database.ConnectionString ?? new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(portal.ResolvedDataDirectory, "portal.db"),
            Pooling = true,
        }.ToString();
}

/// <summary>
/// Every SQLite connection waits for locks instead of failing, enforces foreign keys, and commits
/// with synchronous=FULL so a committed write survives a power cut. WAL is set once at start-up.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

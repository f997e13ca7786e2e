using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Intake.Storage;

/// <summary>
/// Creates a context's tables when they are missing, so several contexts (and processes) can share
/// one database whichever starts first. EnsureCreated would skip a database that has any tables.
/// </summary>
public static class Schema
{
    // REVIEW: table creation until the schema settles; switch to per-provider migrations before the first production release.
    public static async Task EnsureTablesAsync(DbContext db, string sentinelTable, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(ct))
        {
            try
            {
                await creator.CreateAsync(ct);
            }
            catch (DbException)
            {
                // Another process may have created it first; if not, this fails again below.
                if (!await creator.ExistsAsync(ct))
                {
                    throw;
                }
            }
        }

        if (await TableExistsAsync(db, sentinelTable, ct))
        {
            return;
        }

        try
        {
            await creator.CreateTablesAsync(ct);
        }
        catch (DbException)
        {
            // Another process may have created them first.
            if (!await TableExistsAsync(db, sentinelTable, ct))
            {
                throw;
            }
        }
    }

    private static async Task<bool> TableExistsAsync(DbContext db, string table, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }

        try
        {
            await using var command = connection.CreateCommand();
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@name";
            parameter.Value = table;
            command.Parameters.Add(parameter);
            command.CommandText = db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite"
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name"
                : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}

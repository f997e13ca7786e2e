using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Portal.Web.Content;

/// <summary>
/// Brings a database made by an earlier release up to the current model by creating the tables it
/// lacks (with their indexes), as EF Core would write them for this provider. Existing tables are
/// never altered.
/// </summary>
public static class ContentSchema
{
    // REVIEW: covers added tables only, until per-provider migrations replace table creation.
    public static async Task<IReadOnlyList<string>> AddMissingTablesAsync(PortalDb db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var model = db.GetService<IDesignTimeModel>().Model;
        var operations = db.GetService<IMigrationsModelDiffer>().GetDifferences(null, model.GetRelationalModel());
        var missing = new List<string>();
        foreach (var table in operations.OfType<CreateTableOperation>())
        {
            if (!await TableExistsAsync(db, table.Name, ct))
            {
                missing.Add(table.Name);
            }
        }

        if (missing.Count == 0)
        {
            return missing;
        }

        var create = operations.Where(o => o switch
        {
            CreateTableOperation t => missing.Contains(t.Name),
            CreateIndexOperation i => missing.Contains(i.Table),
            _ => false,
        }).ToList();
        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(create, model))
        {
            await db.Database.ExecuteSqlRawAsync(command.CommandText, ct);
        }

        return missing;
    }

    private static async Task<bool> TableExistsAsync(PortalDb db, string table, CancellationToken ct)
    {
        var sql = db.Database.IsSqlite()
            ? "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {0}"
            : "SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {0}";
        return await db.Database.SqlQueryRaw<int>(sql, table).SingleAsync(ct) > 0;
    }
}

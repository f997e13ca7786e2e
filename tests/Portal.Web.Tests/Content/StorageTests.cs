using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Content;

[Collection(SharedPortal.Name)]
public sealed class StorageTests(PortalFactory portal)
{
    [Fact]
    public async Task Sqlite_RunsInWalModeWithFullSync()
    {
        _ = portal.CreatePlainClient();
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        async Task<string> Pragma(string name)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
        }

        Assert.Equal("wal", await Pragma("journal_mode"));
        Assert.Equal("2", await Pragma("synchronous")); // FULL
        Assert.Equal("1", await Pragma("foreign_keys"));
        Assert.Equal("1", await Pragma("secure_delete"));
    }

    [Fact]
    public void DataDirectory_HoldsTheDatabase()
    {
        _ = portal.CreatePlainClient();

        Assert.True(File.Exists(Path.Combine(portal.DataDirectory, "portal.db")));
    }
}

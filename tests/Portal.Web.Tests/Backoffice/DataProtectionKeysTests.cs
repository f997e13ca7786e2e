using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

/// <summary>Data-protection keys kept in the database: what one node protects, another node opens.</summary>
public sealed class DataProtectionKeysTests
{
    private const string Purpose = "Portal.Web.Tests.DataProtectionKeys";
    private const string Payload = "a staff session that must survive a second node and an upgrade";

    [Fact]
    public async Task ProtectedOnOneNode_IsUnprotectedOnAnotherSharingTheSqliteDatabase()
    {
        using var first = new NodePortal();
        var protectedText = Protect(first);
        using var second = new NodePortal(first.Settings);

        Assert.Equal(Payload, Unprotect(second, protectedText));
        Assert.Equal(1, await KeyCountAsync(second));
        Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "keys")));
        Assert.False(Directory.Exists(Path.Combine(second.DataDirectory, "keys")));
        await AssertKeysNotLoggedAsync(first, first, second);
    }

    [Fact]
    public async Task ProtectedOnOneNode_IsUnprotectedOnAnotherSharingThePostgreSqlDatabase()
    {
        var connectionString = PostgresDatabase.Create();
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Portal:Database:Provider"] = "PostgreSQL",
                ["Portal:Database:ConnectionString"] = connectionString,
            };
            using var first = new NodePortal(settings);
            var protectedText = Protect(first);
            using var second = new NodePortal(settings);

            Assert.Equal(Payload, Unprotect(second, protectedText));
            Assert.Equal(1, await KeyCountAsync(second));
            await AssertKeysNotLoggedAsync(first, first, second);

            // A database from an earlier release gets the table at the next start.
            Assert.Equal(["data_protection_keys"], await BackofficeForms.WithDbAsync(second, async db =>
            {
                await db.Database.ExecuteSqlRawAsync("DROP TABLE data_protection_keys");
                return await ContentSchema.AddMissingTablesAsync(db);
            }));
        }
        finally
        {
            PostgresDatabase.Drop(connectionString);
        }
    }

    [Fact]
    public async Task KeyFilesFromAnEarlierRelease_AreImportedOnce_AndOpenWhatTheyProtected()
    {
        using var portal = new NodePortal();
        var keys = Path.Combine(portal.DataDirectory, "keys");
        string protectedText;
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("DaPortal").PersistKeysToFileSystem(new DirectoryInfo(keys));
        await using (var before = services.BuildServiceProvider())
        {
            protectedText = before.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect(Payload);
        }

        Assert.Single(Directory.GetFiles(keys, "*.xml"));

        Assert.Equal(Payload, Unprotect(portal, protectedText));
        Assert.Equal(1, await KeyCountAsync(portal));
        Assert.Equal(0, await BackofficeForms.WithDbAsync(portal, db => DatabaseXmlRepository.ImportFilesAsync(db, keys)));
        Assert.Equal(1, await KeyCountAsync(portal));
        Assert.Contains(portal.Logs.Lines, l => l.Contains("Copied 1 data-protection key files into the database.", StringComparison.Ordinal));
        await AssertKeysNotLoggedAsync(portal, portal);
    }

    [Fact]
    public async Task AddMissingTables_CreatesTheKeyTableInADatabaseFromAnEarlierRelease()
    {
        var dir = Directory.CreateTempSubdirectory("daportal-upgrade-").FullName;
        await using var db = await Content.RoundTripTests.ImportedDatabaseAsync(Repository.Root, Path.Combine(dir, "portal.db"));
        await db.Database.ExecuteSqlRawAsync("DROP TABLE data_protection_keys");

        Assert.Equal(["data_protection_keys"], await ContentSchema.AddMissingTablesAsync(db));

        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-test", Xml = "<key />" });
        await db.SaveChangesAsync();
        Assert.Empty(await ContentSchema.AddMissingTablesAsync(db));
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    private static string Protect(PortalFactory node) =>
        node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect(Payload);

    private static string Unprotect(PortalFactory node, string protectedText) =>
        node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(protectedText);

    private static Task<int> KeyCountAsync(PortalFactory node) =>
        BackofficeForms.WithDbAsync(node, db => db.DataProtectionKeys.CountAsync());

    /// <summary>The secret part of every stored key appears in no log line of any node.</summary>
    private static async Task AssertKeysNotLoggedAsync(PortalFactory store, params PortalFactory[] nodes)
    {
        var rows = await BackofficeForms.WithDbAsync(store, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());
        var secrets = rows.SelectMany(x => XElement.Parse(x).Descendants("value")).Select(v => v.Value.Trim()).Where(v => v.Length > 0).ToList();
        Assert.NotEmpty(secrets);
        foreach (var node in nodes)
        {
            var all = node.Logs.All;
            Assert.All(secrets, s => Assert.DoesNotContain(s, all, StringComparison.Ordinal));
        }
    }

    /// <summary>A node of its own (data directory, host); with <paramref name="store"/>, on that node's database.</summary>
    private sealed class NodePortal : PortalFactory
    {
        public NodePortal(IDictionary<string, string?>? store = null)
            : base(store)
        {
        }

        /// <summary>Settings that put another node on this node's database.</summary>
        public Dictionary<string, string?> Settings => new()
        {
            ["Portal:Database:Provider"] = "Sqlite",
            ["Portal:Database:ConnectionString"] = "Data Source=" + Path.Combine(DataDirectory, "portal.db") + ";Pooling=True",
        };
    }
}

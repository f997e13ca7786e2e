using System.Net;
using Npgsql;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Content;

/// <summary>The same site, imported into and served from a real PostgreSQL server.</summary>
public sealed class PostgresTests(PostgresPortal postgres, PortalFactory sqlite)
    : IClassFixture<PostgresPortal>, IClassFixture<PortalFactory>
{
    [Fact]
    public async Task EveryPageInEveryLanguage_IsTheSameAsOnSqlite()
    {
        var pg = postgres.CreatePlainClient();
        var lite = sqlite.CreatePlainClient();
        foreach (var lang in Site.Languages)
        {
            foreach (var page in Site.Pages)
            {
                var (pgResponse, pgDoc) = await postgres.GetPageAsync("/" + lang + page, pg);
                var (_, liteDoc) = await sqlite.GetPageAsync("/" + lang + page, lite);

                Assert.Equal(HttpStatusCode.OK, pgResponse.StatusCode);
                // Form tokens and challenges are unique per page view.
                foreach (var hidden in pgDoc.QuerySelectorAll("input[type=hidden]").Concat(liteDoc.QuerySelectorAll("input[type=hidden]")))
                {
                    hidden.RemoveAttribute("value");
                }

                Assert.Equal(liteDoc.QuerySelector("main")!.InnerHtml, pgDoc.QuerySelector("main")!.InnerHtml);
                Assert.Equal(liteDoc.Title, pgDoc.Title);
            }
        }
    }

    [Fact]
    public async Task Content_IsStoredInPostgres()
    {
        _ = postgres.CreatePlainClient(); // starts the portal, which imports the content
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM page_versions", connection);

        var versions = (long)(await command.ExecuteScalarAsync())!;

        Assert.True(versions >= 8 * 6, $"only {versions} page versions in PostgreSQL");
    }
}

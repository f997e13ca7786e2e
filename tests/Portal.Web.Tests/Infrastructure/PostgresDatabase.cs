using Npgsql;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// A fresh database on the PostgreSQL server the test script starts on loopback
/// (connection in PORTAL_TEST_POSTGRES), dropped afterwards.
/// </summary>
public static class PostgresDatabase
{
    public const string Variable = "PORTAL_TEST_POSTGRES";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests with scripts/test, which starts PostgreSQL on 127.0.0.1 and sets it.");

    public static string Create()
    {
        var name = "daportal_test_" + Guid.NewGuid().ToString("n")[..12];
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            command.ExecuteNonQuery();
        }

        builder.Database = name;
        return builder.ConnectionString;
    }

    public static void Drop(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }
}

/// <summary>The portal on PostgreSQL instead of SQLite.</summary>
public sealed class PostgresPortal : PortalFactory
{
    private readonly string _connectionString;

    public PostgresPortal()
        : this(PostgresDatabase.Create())
    {
    }

    private PostgresPortal(string connectionString)
        : base(new Dictionary<string, string?>
        {
            ["Portal:Database:Provider"] = "PostgreSQL",
            ["Portal:Database:ConnectionString"] = connectionString,
        })
    {
        _connectionString = connectionString;
    }

    public string ConnectionString => _connectionString;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            PostgresDatabase.Drop(_connectionString);
        }
    }
}

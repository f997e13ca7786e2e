using Npgsql;

namespace Portal.SystemTests.Infrastructure;

/// <summary>A fresh database on the PostgreSQL server the test script starts on loopback (PORTAL_TEST_POSTGRES).</summary>
public sealed class Postgres : IAsyncDisposable
{
    public const string Variable = "PORTAL_TEST_POSTGRES";

    private Postgres(string connectionString)
    {
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    private static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{Variable} is not set. Run the tests with scripts/test, which starts PostgreSQL on 127.0.0.1 and sets it.");

    public static async Task<Postgres> CreateAsync()
    {
        var name = "daportal_system_" + Guid.NewGuid().ToString("n")[..12];
        await using (var connection = new NpgsqlConnection(Server))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        return new Postgres(new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString);
    }

    public Dictionary<string, string?> Settings => new()
    {
        ["Portal__Database__Provider"] = "PostgreSQL",
        ["Portal__Database__ConnectionString"] = ConnectionString,
    };

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Portal.Intake.Delivery;
using Portal.Intake.Storage;

namespace Portal.Intake.Tests.Relay;

/// <summary>A case system that answers as told and remembers what it was sent.</summary>
internal sealed class ScriptedConnector : IReportConnector
{
    public ConcurrentQueue<OutgoingReport> Received { get; } = new();

    /// <summary>Decides each answer; default: delivered.</summary>
    public Func<OutgoingReport, DeliveryOutcome> Answer { get; set; } = _ => DeliveryOutcome.Success;

    public string Name => "Scripted";

    public Task<DeliveryOutcome> DeliverAsync(OutgoingReport report, CancellationToken ct)
    {
        Received.Enqueue(report);
        return Task.FromResult(Answer(report));
    }
}

/// <summary>Log lines kept in memory, to check what the relay writes (and that it writes no content).</summary>
internal sealed class ListLogger : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));

    public void Dispose()
    {
    }
}

/// <summary>
/// The relay over a real database (a SQLite file, or a fresh PostgreSQL database on the server the
/// test script starts), a fake clock, and a scripted case system.
/// </summary>
internal sealed class RelayHarness : IAsyncDisposable
{
    public const string PostgresVariable = "PORTAL_TEST_POSTGRES";

    private readonly string _folder;
    private readonly string? _postgresDatabase;

    private RelayHarness(ServiceProvider services, string folder, string? postgresDatabase)
    {
        Services = services;
        _folder = folder;
        _postgresDatabase = postgresDatabase;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Clock => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();

    public ScriptedConnector Connector => (ScriptedConnector)Services.GetRequiredService<IReportConnector>();

    public OutboxRelay Relay => Services.GetRequiredService<OutboxRelay>();

    public ListLogger Logs => Services.GetRequiredService<ListLogger>();

    public string Folder => _folder;

    public static async Task<RelayHarness> StartAsync(string provider = "Sqlite", Dictionary<string, string?>? settings = null, string? sharedPostgres = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "daportal-relay-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        string? database = null;
        var storage = new StorageSettings { DataDirectory = folder };
        if (provider == "PostgreSQL")
        {
            database = sharedPostgres ?? CreatePostgresDatabase();
            storage.Database = new DatabaseOptions { Provider = "PostgreSQL", ConnectionString = database };
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Intake:Delivery:Relay:Jitter"] = "0",
            ["Intake:Delivery:Relay:Enabled"] = "false",
        }.Concat(settings ?? [])).Build();

        var services = new ServiceCollection();
        var logs = new ListLogger();
        services.AddSingleton(logs);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero)));
        services.AddDbContext<IntakeDb>(o => PortalDatabase.Configure(o, storage));
        services.AddDelivery(configuration, _ => folder);
        services.AddSingleton<IReportConnector, ScriptedConnector>();
        var provided = services.BuildServiceProvider(validateScopes: true);
        await using (var scope = provided.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IntakeDb>();
            await Schema.EnsureTablesAsync(db, "intake_reports");
            await PortalDatabase.UseWriteAheadLogAsync(db);
        }

        return new RelayHarness(provided, folder, sharedPostgres is null ? database : null);
    }

    public static string CreatePostgresDatabase()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{PostgresVariable} is not set. Run the tests with scripts/test, which starts PostgreSQL on 127.0.0.1 and sets it.");
        var name = "daportal_relay_" + Guid.NewGuid().ToString("n")[..12];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public static void DropPostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Adds accepted reports as the intake writer does: report and outbox row together.</summary>
    public async Task<Guid[]> AddReportsAsync(int count, bool urgent = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDb>();
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = Guid.NewGuid();
            db.Reports.Add(new SealedReport
            {
                Id = ids[i],
                ReceivedAtMs = NowMs,
                Urgent = urgent,
                Verification = "pow",
                Status = ReportStatus.Accepted,
                Envelope = "sealed." + ids[i].ToString("N"),
            });
            db.Outbox.Add(new OutboxMessage
            {
                ReportId = ids[i],
                Urgent = urgent,
                State = OutboxState.Pending,
                CreatedAtMs = NowMs,
                NextAttemptAtMs = NowMs,
            });
        }

        await db.SaveChangesAsync();
        return ids;
    }

    public async Task<OutboxMessage> RowAsync(Guid id)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDb>();
        return await db.Outbox.AsNoTracking().SingleAsync(o => o.ReportId == id);
    }

    public async Task<T> WithDbAsync<T>(Func<IntakeDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<IntakeDb>());
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            DropPostgresDatabase(_postgresDatabase);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

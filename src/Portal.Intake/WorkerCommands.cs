using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Intake.Delivery;
using Portal.Intake.Storage;

namespace Portal.Intake;

/// <summary>
/// Commands that work on the shared database: <c>worker</c> runs the relay on its own, <c>status</c>
/// prints the delivery counts, <c>replay-dead-letters</c> queues dead letters again. Settings come
/// from the environment (<c>Portal__DataDirectory</c>, <c>Intake__Delivery__Connector</c>, …) or
/// <c>--Portal:Key=value</c> / <c>--Intake:Key=value</c> arguments, as for the web role.
/// </summary>
public static class WorkerCommands
{
    public static async Task<int> WorkerAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
            ApplicationName = "Portal.Intake",
        });
        // This process exists to run the relay, whatever a shared environment says for the web role.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Intake:Delivery:Relay:Enabled"] = "true" });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        var storage = Storage(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDbContext<IntakeDb>(o => PortalDatabase.Configure(o, storage));
        builder.Services.AddDelivery(builder.Configuration, _ => storage.ResolvedDataDirectory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        using var host = builder.Build();
        await PrepareAsync(host.Services, storage);
        await host.RunAsync();
        return 0;
    }

    public static async Task<int> StatusAsync(string[] args)
    {
        await using var services = await ServicesAsync(args);
        await using var scope = services.CreateAsyncScope();
        var status = await scope.ServiceProvider.GetRequiredService<OutboxStore>().StatusAsync();
        Console.Out.WriteLine(JsonSerializer.Serialize(status, JsonOptions));
        return 0;
    }

    public static async Task<int> ReplayAsync(string[] args)
    {
        Guid? id = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--id" && i + 1 < args.Length)
            {
                id = Guid.TryParse(args[++i], out var parsed) ? parsed : throw new ArgumentException($"'{args[i]}' is not a report id.");
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        await using var services = await ServicesAsync([.. rest]);
        await using var scope = services.CreateAsyncScope();
        var count = await scope.ServiceProvider.GetRequiredService<OutboxStore>().ReplayDeadLettersAsync(id);
        Console.Out.WriteLine(count == 1 ? "1 dead letter queued for delivery again." : $"{count} dead letters queued for delivery again.");
        return 0;
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static async Task<ServiceProvider> ServicesAsync(string[] args)
    {
        var unknown = args.FirstOrDefault(a => !a.StartsWith("--Portal:", StringComparison.Ordinal) && !a.StartsWith("--Intake:", StringComparison.Ordinal));
        if (unknown is not null)
        {
            throw new ArgumentException($"Unknown option '{unknown}'. Settings are given as --Portal:Key=value or --Intake:Key=value.");
        }

        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var storage = Storage(configuration);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<IntakeDb>(o => PortalDatabase.Configure(o, storage));
        services.AddScoped<OutboxStore>();
        var provider = services.BuildServiceProvider();
        await PrepareAsync(provider, storage);
        return provider;
    }

    private static StorageSettings Storage(IConfiguration configuration)
    {
        var storage = new StorageSettings();
        configuration.GetSection(StorageSettings.Section).Bind(storage);
        return storage;
    }

    private static async Task PrepareAsync(IServiceProvider services, StorageSettings storage)
    {
        Directory.CreateDirectory(storage.ResolvedDataDirectory);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDb>();
        await Schema.EnsureTablesAsync(db, "intake_reports");
        await PortalDatabase.UseWriteAheadLogAsync(db);
    }
}

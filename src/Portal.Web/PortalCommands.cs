using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web;

/// <summary>
/// Command-line verbs: <c>export --out DIR</c> writes the database back to content/ and translations/;
/// <c>import</c> fills an empty database from the shipped content.
/// </summary>
public static class PortalCommands
{
    private static readonly string[] Commands = ["export", "import", "help"];

    public static bool IsCommand(string arg) => Commands.Contains(arg);

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args.Skip(1).Where(a => a.StartsWith("--Portal", StringComparison.Ordinal) || a.StartsWith("--Portal:", StringComparison.Ordinal)).ToArray())
            .Build();
        var portal = new PortalOptions();
        configuration.GetSection(PortalOptions.Section).Bind(portal);

        var options = new DbContextOptionsBuilder<PortalDb>();
        ContentStoreRegistration.ConfigureDatabase(options, portal);
        Directory.CreateDirectory(portal.ResolvedDataDirectory);
        await using var db = new PortalDb(options.Options);

        try
        {
            switch (args[0])
            {
                case "export":
                {
                    var output = Option(args, "--out") ?? Directory.GetCurrentDirectory();
                    if (!await db.Database.CanConnectAsync() || !await db.Settings.AnyAsync())
                    {
                        Console.Error.WriteLine("There is no content in the database to export. Start the portal once, or run 'import'.");
                        return 1;
                    }

                    var written = await ContentExport.ExportAsync(db, Path.GetFullPath(output));
                    Console.WriteLine($"Exported {written.Count} files to {Path.GetFullPath(output)}.");
                    return 0;
                }

                case "import":
                {
                    await Portal.Intake.Storage.Schema.EnsureTablesAsync(db, "documents");
                    var result = await ContentImport.ImportAsync(db, portal.ResolvedContentDirectory, portal.ResolvedTranslationsDirectory, DateTimeOffset.UtcNow);
                    Console.WriteLine($"Imported {result.Pages} pages ({result.Variants} variants), {result.Helplines} helplines, {result.Languages} languages.");
                    return 0;
                }

                default:
                    Console.WriteLine("""
                        Usage: dotnet run --project src/Portal.Web -- <command>
                          (no command)        run the portal
                          export --out DIR    write the published content to DIR/content and DIR/translations
                          import              fill an empty database from the shipped content
                        Settings come from appsettings.json, environment (Portal__DataDirectory=…) or --Portal:Key=value.
                        """);
                    return 0;
            }
        }
        catch (ContentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

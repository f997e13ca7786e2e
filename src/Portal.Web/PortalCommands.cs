using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web;

/// <summary>
/// Command-line verbs: <c>export --out DIR</c> writes the database back to content/ and translations/;
/// <c>import</c> fills an empty database from the shipped content.
/// </summary>
public static class PortalCommands
{
    private static readonly string[] Commands = ["export", "import", "create-admin", "help"];

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

                    var written = await ContentExport.ExportAsync(db, Path.GetFullPath(output), portal.ResolvedTranslationsDirectory);
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

                case "create-admin":
                    await Portal.Intake.Storage.Schema.EnsureTablesAsync(db, "documents");
                    return await CreateAdminAsync(args, portal);

                default:
                    Console.WriteLine("""
                        Usage: dotnet run --project src/Portal.Web -- <command>
                          (no command)        run the portal
                          export --out DIR    write the published content to DIR/content and DIR/translations
                          import              fill an empty database from the shipped content
                          export-static --out DIR [--live-url URL] [--base-url URL] [--listen ADDRESS]
                                              write the public site as static files with an nginx server block;
                                              the contact page links to the form at the live URL (default Portal:PublicBaseUrl)
                          create-admin --email ADDRESS [--name NAME] [--password-stdin]
                                              create a back-office administrator; prints a one-time password
                                              (or reads one from standard input); they enrol an authenticator app at first sign-in
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

    private static async Task<int> CreateAdminAsync(string[] args, PortalOptions portal)
    {
        var email = Option(args, "--email");
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            Console.Error.WriteLine("create-admin needs --email ADDRESS.");
            return 2;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<PortalDb>(o => ContentStoreRegistration.ConfigureDatabase(o, portal));
        services.AddHttpContextAccessor();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddBackoffice();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        await Backoffice.AuditLog.ProtectAsync(db);
        await Backoffice.StaffAccounts.EnsureRolesAsync(db);
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Backoffice.StaffUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            Console.Error.WriteLine($"An account for {email} already exists.");
            return 1;
        }

        var fromStdin = args.Contains("--password-stdin");
        var password = fromStdin ? (Console.In.ReadLine() ?? "").TrimEnd('\r', '\n') : Backoffice.StaffAccounts.NewPassword();
        var user = new Backoffice.StaffUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = Option(args, "--name") ?? email,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            Console.Error.WriteLine(string.Join(" ", created.Errors.Select(e => e.Description)));
            return 1;
        }

        await users.AddToRoleAsync(user, Backoffice.StaffRoles.Administrator);
        scope.ServiceProvider.GetRequiredService<Backoffice.AuditLog>().Add("command", "create-admin", Backoffice.AuditTriggers.Command, "create-user", "user:" + user.Id, detail: "Administrator " + email);
        await db.SaveChangesAsync();
        Console.WriteLine($"Created administrator {email}.");
        if (!fromStdin)
        {
            Console.WriteLine($"One-time password: {password}");
        }

        Console.WriteLine("At first sign-in (/backoffice/sign-in) they must set up an authenticator app.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

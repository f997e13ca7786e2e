using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Localization;

namespace Portal.Web.Content;

/// <summary>First-start work: create the data folder and schema, import the shipped content into an empty database, load the snapshot.</summary>
public static class ContentStartup
{
    public static async Task InitialiseAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var portal = services.GetRequiredService<IOptions<PortalOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Content");
        Directory.CreateDirectory(portal.ResolvedDataDirectory);

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await Portal.Intake.Storage.Schema.EnsureTablesAsync(db, "documents", ct);
            await ContentSchema.AddMissingTablesAsync(db, ct);
            var keys = await Backoffice.DatabaseXmlRepository.ImportFilesAsync(db, Path.Combine(portal.ResolvedDataDirectory, "keys"), ct);
            if (keys > 0)
            {
                logger.LogInformation("Copied {Count} data-protection key files into the database.", keys);
            }

            if (db.Database.IsSqlite())
            {
                await Portal.Intake.Storage.PortalDatabase.UseWriteAheadLogAsync(db, ct);
            }

            await Backoffice.AuditLog.ProtectAsync(db, ct);
            await Backoffice.StaffAccounts.EnsureRolesAsync(db, ct);

            if (!await db.Settings.AnyAsync(ct))
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await ContentImport.ImportAsync(db, portal.ResolvedContentDirectory, portal.ResolvedTranslationsDirectory, TimeProvider.System.GetUtcNow(), ct);
                logger.LogInformation(
                    "Imported {Pages} pages ({Variants} variants), {Helplines} helplines and {Languages} languages in {Elapsed} ms.",
                    result.Pages, result.Variants, result.Helplines, result.Languages,
                    (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        var content = services.GetRequiredService<SiteContent>();
        await content.ReloadAsync(ct);
        var snapshot = content.Current;
        services.GetRequiredService<UiCatalogHolder>().Shipped = UiBase.Load(
            portal.ResolvedTranslationsDirectory,
            snapshot.Settings.DefaultLanguage,
            snapshot.Languages.Select(l => l.Tag));
    }
}

using Microsoft.EntityFrameworkCore;
using Portal.Intake.Storage;
using Microsoft.Extensions.Options;

namespace Portal.Web.Content;

public static class ContentStoreRegistration
{
    /// <summary>The EF Core content store on SQLite (default) or PostgreSQL, and the published-site snapshot.</summary>
    public static IServiceCollection AddContentStore(this IServiceCollection services)
    {
        services.AddDbContext<PortalDb>((sp, options) =>
        {
            var portal = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
            ConfigureDatabase(options, portal);
        });
        services.AddSingleton<SiteContent>();
        return services;
    }

    public static void ConfigureDatabase(DbContextOptionsBuilder options, PortalOptions portal) =>
        PortalDatabase.Configure(options, portal);
}

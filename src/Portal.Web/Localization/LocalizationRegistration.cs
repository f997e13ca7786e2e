using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Localization.Routing;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;
using Portal.Web.Content;

namespace Portal.Web.Localization;

public static class LocalizationRegistration
{
    /// <summary>PO-backed strings and the <c>culture</c> route constraint.</summary>
    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddSingleton<UiCatalogHolder>();
        services.AddSingleton<PoStringLocalizer>();
        services.AddSingleton<IStringLocalizer>(sp => sp.GetRequiredService<PoStringLocalizer>());
        services.AddSingleton<IStringLocalizerFactory, PoStringLocalizerFactory>();
        services.AddTransient(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        services.Configure<RouteOptions>(o => o.ConstraintMap["culture"] = typeof(CultureRouteConstraint));
        return services;
    }

    /// <summary>
    /// The culture comes from the first URL segment only: no cookie and no Accept-Language here
    /// (Accept-Language is used once, by the redirect from <c>/</c>).
    /// </summary>
    public static IApplicationBuilder UsePortalLocalization(this IApplicationBuilder app, SiteSnapshot snapshot)
    {
        var cultures = snapshot.Languages.Select(l => l.Culture).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(snapshot.DefaultLanguage.Culture),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = false,
            FallBackToParentUICultures = false,
            ApplyCurrentCultureToResponseHeaders = true,
        };
        options.RequestCultureProviders = [new RouteDataRequestCultureProvider { RouteDataStringKey = "lang", UIRouteDataStringKey = "lang", Options = options }];
        return app.UseRequestLocalization(options);
    }
}

/// <summary>Matches a first URL segment that is one of the site's languages, exactly as site.yaml spells it.</summary>
public sealed class CultureRouteConstraint(SiteContent content) : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string tag &&
        content.Current.Languages.Any(l => string.Equals(l.Tag, tag, StringComparison.Ordinal));
}

/// <summary>Chooses the site language that best fits an Accept-Language header.</summary>
public static class LanguageNegotiation
{
    public static SiteLanguage Choose(SiteSnapshot snapshot, IList<StringWithQualityHeaderValue>? accept)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (accept is null || accept.Count == 0)
        {
            return snapshot.DefaultLanguage;
        }

        // Highest quality first; equal qualities keep header order (OrderBy is stable).
        foreach (var item in accept.Where(a => (a.Quality ?? 1) > 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var wanted = item.Value.Value;
            if (string.IsNullOrEmpty(wanted))
            {
                continue;
            }

            if (wanted == "*")
            {
                return snapshot.DefaultLanguage;
            }

            var exact = snapshot.Languages.FirstOrDefault(l => string.Equals(l.Tag, wanted, StringComparison.OrdinalIgnoreCase));
            if (exact is not null)
            {
                return exact;
            }

            var primary = wanted.Split('-')[0];
            var sameLanguage = snapshot.Languages.FirstOrDefault(l =>
                string.Equals(l.Tag.Split('-')[0], primary, StringComparison.OrdinalIgnoreCase));
            if (sameLanguage is not null)
            {
                return sameLanguage;
            }
        }

        return snapshot.DefaultLanguage;
    }
}

using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Content;

namespace Portal.Web.Backoffice;

public static class BackofficeRegistration
{
    public const string PathPrefix = "/backoffice";

    /// <summary>How long a session lasts without activity, and at most.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    /// <summary>
    /// Staff sign-in (ASP.NET Core Identity with a mandatory authenticator app), roles and policies.
    /// Cookies exist only for the back office: a <c>__Host-</c> session cookie and antiforgery cookie,
    /// set only by back-office responses.
    /// </summary>
    public static IServiceCollection AddBackoffice(this IServiceCollection services)
    {
        services.AddIdentityCore<StaffUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswordValidator>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "__Host-staff";
                o.Cookie.Path = "/";
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.IsEssential = true;
                o.ExpireTimeSpan = IdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = PathPrefix + "/sign-in";
                o.LogoutPath = PathPrefix + "/sign-out";
                o.AccessDeniedPath = PathPrefix + "/forbidden";
                o.ReturnUrlParameter = "returnUrl";
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateSessionAsync,
                    OnRedirectToAccessDenied = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    },
                };
            })
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme, o =>
            {
                o.Cookie.Name = "__Host-staff-2fa";
                o.Cookie.Path = "/";
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            });
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // A refreshed session keeps how and when the person signed in.
            o.OnRefreshingPrincipal = context =>
            {
                var keep = context.CurrentPrincipal?.Claims.Where(c => c.Type is StaffClaims.Strength or StaffClaims.SignedInAt).ToList() ?? [];
                if (context.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    identity.AddClaims(keep.Select(c => new Claim(c.Type, c.Value)));
                }

                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Staff, p => p.RequireAuthenticatedUser().RequireClaim(StaffClaims.Strength, "mfa"))
            .AddPolicy(StaffPolicies.Enrolling, p => p.RequireAuthenticatedUser())
            .AddPolicy(StaffPolicies.Administer, p => p.RequireClaim(StaffClaims.Strength, "mfa").RequireRole(StaffRoles.Administrator))
            .AddPolicy(StaffPolicies.Publish, p => p.RequireClaim(StaffClaims.Strength, "mfa").RequireRole(StaffRoles.Publisher, StaffRoles.Administrator))
            .AddPolicy(StaffPolicies.Edit, p => p.RequireClaim(StaffClaims.Strength, "mfa").RequireRole(StaffRoles.Editor, StaffRoles.Publisher, StaffRoles.Translator, StaffRoles.Reviewer, StaffRoles.Administrator))
            .AddPolicy(StaffPolicies.ViewAudit, p => p.RequireClaim(StaffClaims.Strength, "mfa").RequireRole(StaffRoles.Administrator, StaffRoles.Publisher));

        services.AddAntiforgery(o =>
        {
            // Scoped to the back office, so browsers never send it with a public request. Secure over
            // HTTPS; plain HTTP is only for development on this machine (the session cookie is
            // always Secure, which browsers accept on localhost).
            o.Cookie.Name = "staff-af";
            o.Cookie.Path = PathPrefix;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = null;
            o.FormFieldName = "__staff-af";
        });
        services.AddScoped<AuditLog>();
        services.AddScoped<StaffSignIn>();
        services.AddScoped<PageWorkflow>();
        services.AddScoped<Portal.Web.Translation.Exchange.ExchangeImport>();
        services.AddSingleton<PreviewLinks>();
        services.AddSingleton<PageScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<PageScheduler>());
        services.AddSingleton<ContentRevisionWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ContentRevisionWatcher>());
        return services;
    }

    /// <summary>Authentication runs for back-office requests only, so nothing about a session ever touches a public response.</summary>
    public static IApplicationBuilder UseBackofficeAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase),
            b => b.UseAuthentication().UseAuthorization());
        // Staff sign-in is read for the back office only. Without these marks (the ones UseAuthentication
        // and UseAuthorization leave on the main pipeline) the host would add both again in front of
        // every request, public pages included.
        app.Properties["__AuthenticationMiddlewareSet"] = true;
        app.Properties["__AuthorizationMiddlewareSet"] = true;
        return app;
    }

    /// <summary>Ends a session 12 hours after sign-in however active it is, and re-checks the security stamp.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var signedIn = context.Principal?.FindFirstValue(StaffClaims.SignedInAt);
        if (signedIn is null || !long.TryParse(signedIn, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            || clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(at) > AbsoluteTimeout)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }
}

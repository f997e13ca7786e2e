namespace Portal.Web.Safety;

/// <summary>
/// Origins one response may add to the policy (the reCAPTCHA option on the form page, when an
/// operator switches it on). Every other response keeps the strict policy.
/// </summary>
public sealed record ContentSecurityPolicyAdditions(string Script, string Frame, string Connect);

/// <summary>
/// One place that stamps the no-trace and hardening headers on every response (pages, static files,
/// redirects and errors alike), just before the headers are sent.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    // Only what the pages use: our own script, worker, stylesheet and images. No inline code anywhere.
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; worker-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The headers every public response carries (the static mirror's nginx block repeats them).</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> PublicHeaders =
    [
        // The public site keeps no state in the browser: nothing may be cached or stored.
        ("Cache-Control", "no-store"),
        ("Pragma", "no-cache"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", ContentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()"),
    ];

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var ctx = (HttpContext)state;
            var h = ctx.Response.Headers;
            foreach (var (name, value) in PublicHeaders)
            {
                h[name] = value;
            }

            if (ctx.Features.Get<ContentSecurityPolicyAdditions>() is { } extra)
            {
                h.ContentSecurityPolicy = ContentSecurityPolicy.Replace("script-src 'self'", "script-src 'self' " + extra.Script, StringComparison.Ordinal)
                    + "; frame-src " + extra.Frame + "; connect-src " + extra.Connect;
            }

            if (ctx.Request.IsHttps)
            {
                h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            h.Remove("Server");
            h.Remove("X-Powered-By");
            // The public site never sets a cookie.
            if (!ctx.Request.Path.StartsWithSegments("/backoffice"))
            {
                h.Remove("Set-Cookie");
            }

            return Task.CompletedTask;
        }, context);

        return next(context);
    }
}

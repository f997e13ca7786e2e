using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Portal.Web;
using Portal.Web.Backoffice;
using Portal.Web.Caching;
using Portal.Web.Content;
using Portal.Web.Localization;
using Portal.Web.Mirror;
using Portal.Web.Operations;
using Portal.Web.Pages.Contact;
using Portal.Web.Safety;

// Commands (export, import) run instead of the web server when named as the first argument.
if (args.Length > 0 && PortalCommands.IsCommand(args[0]))
{
    return await PortalCommands.RunAsync(args);
}

// export-static renders the public site through this same pipeline, on a loopback port.
var staticExport = StaticExportCommand.Parse(args);
var builder = WebApplication.CreateBuilder(staticExport?.HostArgs ?? args);
if (staticExport is not null && !staticExport.Configure(builder))
{
    return 2;
}

// Settings, validated at start-up so a misconfigured deployment fails with a sentence.
builder.Services.AddOptions<PortalOptions>()
    .Bind(builder.Configuration.GetSection(PortalOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();

// Static assets from the project's wwwroot when running from a build rather than a publish (tests,
// `dotnet run` in any environment); a published build has them in its own wwwroot.
builder.WebHost.UseStaticWebAssets();

// No Server header; nothing about the stack is advertised.
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

// Logs never carry request paths with personal data, addresses or form values: the built-in
// request logging stays off and only warnings from the framework are kept.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
// Keys are stored unencrypted in the database by design (its access control protects them); the warning says nothing new.
builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

// Content store (EF Core on SQLite or PostgreSQL) and the published-site snapshot.
builder.Services.AddContentStore();

// Interface strings from gettext PO files, culture from the URL.
builder.Services.AddPortalLocalization();

// The request for safe contact: sealing, intake store, form protection.
builder.Services.AddSafeContact(builder.Configuration);
builder.Services.Configure<DeliveryStatusOptions>(builder.Configuration.GetSection("Intake:Status"));
builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
{
    o.ValueCountLimit = 300;
    o.KeyLengthLimit = 100;
    o.ValueLengthLimit = FormBodyLimit.Limit;
});

// Public site pages.
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PageCache>();
builder.Services.AddBackoffice();
builder.Services.AddHttpContextAccessor();
builder.Services.AddRazorPages(o =>
{
    // The public site carries no antiforgery cookie; forms that need protection use their own signed
    // token. The back office (signed-in staff) keeps ASP.NET Core's antiforgery check.
    o.Conventions.AddFolderApplicationModelConvention("/", model =>
    {
        if (!model.ViewEnginePath.StartsWith("/Backoffice/", StringComparison.Ordinal))
        {
            model.Filters.Add(new Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryTokenAttribute());
        }
    });
    // Every back-office page needs a fully signed-in member of staff unless it says otherwise itself
    // (sign-in pages allow anyone; enrolment allows a password-only session; others ask for a role).
    o.Conventions.AddFolderApplicationModelConvention("/Backoffice", model =>
    {
        var type = model.HandlerType;
        if (!type.IsDefined(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), inherit: true)
            && !type.IsDefined(typeof(Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute), inherit: true))
        {
            model.EndpointMetadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(StaffPolicies.Staff));
        }
    });
}).AddMvcOptions(o =>
{
    // Handlers read forms themselves, with their own limits; model binding never parses a posted body.
    var formReaders = o.ValueProviderFactories.Where(f => f is Microsoft.AspNetCore.Mvc.ModelBinding.FormValueProviderFactory
        or Microsoft.AspNetCore.Mvc.ModelBinding.JQueryFormValueProviderFactory
        or Microsoft.AspNetCore.Mvc.ModelBinding.FormFileValueProviderFactory).ToList();
    formReaders.ForEach(f => o.ValueProviderFactories.Remove(f));
});
builder.Services.AddRouting(o => o.LowercaseUrls = false);

// Write Welsh, Polish, Romanian, Urdu and Arabic text as characters, not as numeric entities.
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

// Data-protection keys live in the database (SQLite or PostgreSQL), so every node reads every node's cookies.
builder.Services.AddDataProtection().SetApplicationName("DaPortal");
builder.Services.AddOptions<KeyManagementOptions>()
    .Configure<IServiceScopeFactory>((o, scopes) => o.XmlRepository = new DatabaseXmlRepository(scopes));

// Text responses compressed (Brotli, then gzip). Pages carry no secrets; a page that ever
// reflects a secret next to attacker-chosen input must opt out (BREACH).
builder.Services.AddResponseCompression(o =>
{
    o.EnableForHttps = true;
    o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
    o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
    o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"];
});
builder.Services.AddSingleton<Microsoft.AspNetCore.ResponseCompression.IResponseCompressionProvider, BreachSafeCompressionProvider>();
builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);

var app = builder.Build();

// First start: schema, import of the shipped content, snapshot and UI catalogues.
await ContentStartup.InitialiseAsync(app.Services);
await app.Services.GetRequiredService<IntakeKeys>().LoadAsync(app.Services);

// Headers for every response, errors and static files included.
app.UseMiddleware<SecurityHeadersMiddleware>();

// Published pages served from memory, precompressed, before anything else runs.
if (app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.PageCache)
{
    app.UseMiddleware<PageCacheMiddleware>();
}

// Errors re-execute a status page in the reader's language; unhandled exceptions become a 500 page.
app.UseExceptionHandler("/error/500");
app.UseStatusCodePagesWithReExecute("/error/{0}");

app.UseMiddleware<FormBodyLimit>();
app.UseResponseCompression();
app.UseRouting();
app.UseBackofficeAuthentication();
app.UsePortalLocalization(app.Services.GetRequiredService<SiteContent>().Current);
app.UseRateLimiter();
// Stylesheets, scripts and pictures: fingerprinted names, compressed at build and publish time.
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapDeliveryHealth();

if (staticExport is not null)
{
    return await staticExport.RunAsync(app);
}

app.Run();
return 0;

/// <summary>Visible to the test host.</summary>
public partial class Program;

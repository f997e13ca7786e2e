using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

/// <summary>Steps of the page workflow through the real back-office forms.</summary>
public static class PageEditing
{
    public static string EditorPath(string slug, string culture, string audience = "standard") =>
        $"/backoffice/pages/{slug}/{culture}/{audience}";

    public static Dictionary<string, string> Draft(string title, string body, string? translationState = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["action"] = "save",
            ["title"] = title,
            ["nav_title"] = "",
            ["description"] = "A description.",
            ["body"] = body,
        };
        if (translationState is not null)
        {
            fields["translation_state"] = translationState;
        }

        return fields;
    }

    public static Task<HttpResponseMessage> SaveAsync(StaffMember staff, string slug, string culture, string title, string body, string audience = "standard", string? translationState = null) =>
        Staff.PostFormAsync(staff.Client, EditorPath(slug, culture, audience), Draft(title, body, translationState));

    public static Task<HttpResponseMessage> ActAsync(StaffMember staff, string slug, string culture, string action, string audience = "standard", Dictionary<string, string>? extra = null)
    {
        var fields = new Dictionary<string, string>(extra ?? []) { ["action"] = action };
        return Staff.PostFormAsync(staff.Client, EditorPath(slug, culture, audience), fields);
    }

    public static async Task<HttpResponseMessage> OkAsync(Task<HttpResponseMessage> step)
    {
        var response = await step;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await MessageAsync(response)}");
        return response;
    }

    public static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (await Staff.DocumentAsync(response)).QuerySelector("[data-message]")?.TextContent.Trim() ?? "";

    public static async Task<List<AuditEntry>> AuditAsync(PortalFactory portal, string slug)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return (await db.Audit.AsNoTracking().Where(a => a.Target == "page:" + slug).ToListAsync()).OrderBy(a => a.Id).ToList();
    }

    public static async Task<List<PageVersion>> VersionsAsync(PortalFactory portal, string slug, string culture, string audience = "standard")
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return await db.PageVersions.AsNoTracking()
            .Where(v => v.Slug == slug && v.Culture == culture && v.Audience == audience)
            .OrderBy(v => v.Number).ToListAsync();
    }

    public static async Task<PageVariant?> VariantAsync(PortalFactory portal, string slug, string culture, string audience = "standard")
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return await db.PageVariants.AsNoTracking().SingleOrDefaultAsync(v => v.Slug == slug && v.Culture == culture && v.Audience == audience);
    }

    public static async Task<string> PublicTextAsync(PortalFactory portal, string path)
    {
        var (response, document) = await portal.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return document.QuerySelector("main")?.TextContent ?? "";
    }
}

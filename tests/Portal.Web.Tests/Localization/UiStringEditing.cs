using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Content;
using Portal.Web.Localization;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Localization;

/// <summary>Helpers for the interface-string screens: paths, saving through the real form, reading the public page.</summary>
public static class UiStringEditing
{
    public static string Hash(string msgid, string? context = null) => UiKeys.Hash(new UiKey(context, msgid));

    public static string EditPath(string culture, string msgid) => $"/backoffice/strings/{culture}/{Hash(msgid)}";

    /// <summary>Fills the edit form's inputs (form-0, form-1, …) and posts it with the page's antiforgery token.</summary>
    public static Task<HttpResponseMessage> SaveAsync(StaffMember member, string culture, string msgid, params string[] forms) =>
        BackofficeForms.SubmitAsync(member.Client, EditPath(culture, msgid), "form[data-string-form]", fields =>
        {
            for (var i = 0; i < forms.Length; i++)
            {
                fields.With($"form-{i}", forms[i]);
            }
        });

    public static async Task SavedAsync(StaffMember member, string culture, string msgid, params string[] forms)
    {
        var response = await SaveAsync(member, culture, msgid, forms);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"{EditPath(culture, msgid)}?saved=1", response.Headers.Location!.OriginalString);
    }

    /// <summary>The text of the public page's skip link, as a reader gets it.</summary>
    public static async Task<string> SkipLinkAsync(PortalFactory portal, string culture)
    {
        var (response, document) = await portal.GetPageAsync($"/{culture}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return document.QuerySelector("a.app-skip-link")!.TextContent.Trim();
    }

    public static async Task<IHtmlDocument> PageAsync(StaffMember member, string path)
    {
        var response = await member.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Staff.DocumentAsync(response);
    }

    public static async Task<List<UiStringOverride>> OverridesAsync(PortalFactory portal)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDb>().UiStrings.AsNoTracking().OrderBy(s => s.Id).ToListAsync();
    }
}

using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

/// <summary>Reads a form's current values from a page and posts it back with changes, as a browser would.</summary>
public static class BackofficeForms
{
    /// <summary>The fields a browser would send for the form matching <paramref name="selector"/>.</summary>
    public static List<KeyValuePair<string, string>> Values(IHtmlDocument document, string selector)
    {
        var form = document.QuerySelector(selector) ?? throw new InvalidOperationException($"No form {selector}.");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input, textarea, select"))
        {
            var name = element.GetAttribute("name");
            if (name is null)
            {
                continue;
            }

            switch (element)
            {
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                    {
                        values.Add(new(name, input.Value));
                    }

                    break;
                case IHtmlInputElement input:
                    values.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement textarea:
                    values.Add(new(name, textarea.Value));
                    break;
                case IHtmlSelectElement select:
                    values.Add(new(name, select.Value ?? ""));
                    break;
            }
        }

        return values;
    }

    /// <summary>Replaces every value of <paramref name="name"/> with <paramref name="values"/>.</summary>
    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string name, params string[] values)
    {
        fields.RemoveAll(f => f.Key == name);
        fields.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
        return fields;
    }

    /// <summary>GETs <paramref name="formPage"/>, fills the form from it, applies <paramref name="change"/> and posts it to the form's action.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string formPage, string selector, Action<List<KeyValuePair<string, string>>> change)
    {
        var page = await client.GetAsync(formPage);
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        var fields = Values(document, selector);
        change(fields);
        var action = document.QuerySelector(selector)!.GetAttribute("action") ?? formPage;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>POSTs fields with the antiforgery token taken from <paramref name="tokenPage"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> fields, string? tokenPage = null)
    {
        var page = await client.GetAsync(tokenPage ?? path);
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        var token = document.QuerySelector("input[name='__staff-af']")?.GetAttribute("value");
        var values = fields.ToList();
        if (token is not null)
        {
            values.Add(new("__staff-af", token));
        }

        return await client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    public static IEnumerable<string> ErrorMessages(IDocument document) =>
        document.QuerySelectorAll(".app-error-summary li").Select(e => e.TextContent.Trim());

    public static async Task<List<AuditEntry>> AuditAsync(PortalFactory portal, string target)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return await db.Audit.AsNoTracking().Where(e => e.Target == target).OrderBy(e => e.Id).ToListAsync();
    }

    public static async Task<T> WithDbAsync<T>(PortalFactory portal, Func<PortalDb, Task<T>> work)
    {
        using var scope = portal.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }
}

using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Pages.Contact;

/// <summary>Fills in and sends the safe-contact form the way a browser would, with a controllable clock.</summary>
public sealed class ContactClient(PortalFactory portal)
{
    public HttpClient Http { get; } = portal.CreatePlainClient();

    public static List<KeyValuePair<string, string>> ValidAnswers(string marker = "") =>
    [
        new("danger", "no"),
        new("about", "self"),
        new("method", "phone"),
        new("method", "text"),
        new("phone", "07700 900982"),
        new("safe-time", "mon-morning"),
        new("safe-time", "wed-evening"),
        new("if-someone-else", "say-nothing"),
        new("message", marker + "message"),
        new("consent", "yes"),
    ];

    /// <summary>Opens the form and returns its hidden fields (token, challenge, honeypot).</summary>
    public async Task<(IHtmlDocument Page, List<KeyValuePair<string, string>> Hidden)> OpenAsync(string lang = "en-GB")
    {
        var html = await Http.GetStringAsync($"/{lang}/contact");
        var doc = new HtmlParser().ParseDocument(html);
        var hidden = doc.QuerySelectorAll("form[data-app-contact-form] input[type=hidden], form[data-app-contact-form] input[name=website]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .ToList();
        return (doc, hidden);
    }

    public async Task<HttpResponseMessage> SendAsync(string lang, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await Http.PostAsync($"/{lang}/contact", content);
    }

    /// <summary>Opens the form, waits as a person would, and sends the answers.</summary>
    public async Task<HttpResponseMessage> OpenAndSendAsync(string lang, IEnumerable<KeyValuePair<string, string>> answers)
    {
        var (_, hidden) = await OpenAsync(lang);
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        return await SendAsync(lang, hidden.Concat(answers));
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    public static bool IsSeeOther(HttpResponseMessage r) => r.StatusCode == HttpStatusCode.SeeOther;
}

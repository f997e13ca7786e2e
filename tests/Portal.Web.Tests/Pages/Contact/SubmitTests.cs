using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Pages.Contact;

public sealed class SubmitTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private readonly ContactClient _client = new(portal);

    private static List<KeyValuePair<string, string>> Without(List<KeyValuePair<string, string>> answers, params string[] names) =>
        answers.Where(a => !names.Contains(a.Key)).ToList();

    private static List<KeyValuePair<string, string>> With(List<KeyValuePair<string, string>> answers, params (string Key, string Value)[] more) =>
        [.. answers, .. more.Select(m => KeyValuePair.Create(m.Key, m.Value))];

    private Reports.Row OnlyNewRow(HashSet<Guid> before) => Assert.Single(Reports.All(portal), r => !before.Contains(r.Id));

    private HashSet<Guid> Existing() => Reports.All(portal).Select(r => r.Id).ToHashSet();

    [Fact]
    public async Task Get_Form_CarriesNoCookieAndEveryFieldHasAutocompleteOff()
    {
        var response = await _client.Http.GetAsync("/cy/contact");
        var doc = ContactClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.False(response.Headers.Contains("Set-Cookie"));
        var fields = doc.QuerySelectorAll("form input:not([type=hidden]), form textarea, form select").ToList();
        Assert.True(fields.Count > 40);
        Assert.All(fields, f => Assert.Equal("off", f.GetAttribute("autocomplete")));
        Assert.Equal("off", doc.QuerySelector("form")!.GetAttribute("autocomplete"));
        Assert.All(doc.QuerySelectorAll("form label[for]"), l => Assert.NotNull(doc.GetElementById(l.GetAttribute("for")!)));
    }

    [Fact]
    public async Task TheFormShownAgain_EchoingWhatWasSent_IsNeverCompressed_WhileTheFreshFormIs()
    {
        // BREACH: the token must not be compressed together with what the sender typed.
        var client = portal.CreatePlainClient();
        using var get = new HttpRequestMessage(HttpMethod.Get, "/cy/contact");
        get.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
        var fresh = await client.SendAsync(get);
        Assert.Equal("br", Assert.Single(fresh.Content.Headers.ContentEncoding));

        var (_, hidden) = await _client.OpenAsync("cy");
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/cy/contact")
        {
            Content = new FormUrlEncodedContent(hidden.Concat(Without(ContactClient.ValidAnswers("echoed-"), ["consent"]))),
        };
        post.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
        var shownAgain = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.BadRequest, shownAgain.StatusCode);
        Assert.Empty(shownAgain.Content.Headers.ContentEncoding);
        Assert.Contains("echoed-", await shownAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ValidAnswers_Redirects303ToConfirmationNamingMethodsAndDate()
    {
        var before = Existing();

        var response = await _client.OpenAndSendAsync("en-GB", ContactClient.ValidAnswers());

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/en-GB/contact/sent/[0-9a-f]{32}$", location);
        var page = await _client.Http.GetStringAsync(location);
        Assert.Contains("a phone call", page, StringComparison.Ordinal);
        Assert.Contains("a text message", page, StringComparison.Ordinal);
        Assert.DoesNotContain("an email", page, StringComparison.Ordinal);
        // Tuesday 24 November 2026 10:30: contact by the next working day.
        Assert.Contains("Wednesday 25 November 2026", page, StringComparison.Ordinal);

        var row = OnlyNewRow(before);
        Assert.Equal("accepted", row.Status);
        Assert.True(row.HasOutbox);
        var report = Reports.Open(portal, row);
        Assert.Equal(row.Id, report.Id);
        Assert.Equal("+447700900982", report.Contact.Phone);
        Assert.Equal("unverified", report.Verification);
        Assert.Equal(new DateOnly(2026, 11, 25), report.ContactBy);
    }

    [Fact]
    public async Task Post_InPolish_ConfirmationIsInPolishWithPolishDate()
    {
        var response = await _client.OpenAndSendAsync("pl", ContactClient.ValidAnswers());
        var doc = ContactClient.Parse(await _client.Http.GetStringAsync(response.Headers.Location));

        Assert.Equal("pl", doc.DocumentElement.GetAttribute("lang"));
        Assert.Contains("listopada 2026", doc.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(doc.QuerySelector("meta[name=robots][content=noindex]"));
    }

    [Fact]
    public async Task Post_SafeDefaults_UntickedIsNotSafe_DetailsForDisallowedMethodsAreDropped()
    {
        var before = Existing();
        var answers = new List<KeyValuePair<string, string>>
        {
            new("danger", "yes"), new("about", "self"), new("method", "email"), new("email", "someone@example.org"),
            new("phone", "07700 900982"), new("trusted-person", "my sister"), new("in-person-place", "the library"),
            new("safe-time", "fri-afternoon"), new("consent", "yes"),
        };

        var response = await _client.OpenAndSendAsync("en-GB", answers);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var report = Reports.Open(portal, OnlyNewRow(before));
        Assert.True(report.Urgent);
        Assert.True(report.Contact.Methods.Email);
        Assert.False(report.Contact.Methods.PhoneCall || report.Contact.Methods.Voicemail || report.Contact.Methods.TextMessage ||
            report.Contact.Methods.WithheldNumber || report.Contact.Methods.TrustedPerson || report.Contact.Methods.InPerson);
        Assert.Null(report.Contact.Phone);
        Assert.Null(report.Contact.TrustedPerson);
        Assert.Null(report.Contact.InPersonPlace);
        Assert.Equal("say-nothing", report.Contact.IfSomeoneElseAnswers);
        Assert.Equal("no-preference", report.Needs.StaffGender);
        Assert.Equal([new Portal.Intake.Reports.SafeWindow("fri", "12:00", "17:00")], report.Contact.SafeTimes);
        var page = await _client.Http.GetStringAsync(response.Headers.Location);
        Assert.Contains("999", page, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], (string, string)[], string, string> ConditionalCases => new()
    {
        { "danger", ["danger"], [], "danger", "Tell us if you are in danger right now" },
        { "no method", ["method", "phone"], [], "method", "Choose at least one way it is safe to contact you" },
        { "phone missing", ["phone"], [], "phone", "Enter a phone number we can use" },
        { "phone wrong", ["phone"], [("phone", "12345")], "phone", "Enter a phone number in the right format" },
        { "email missing", [], [("method", "email")], "email", "Enter an email address" },
        { "email wrong", [], [("method", "email"), ("email", "name@@example")], "email", "Enter an email address in the right format" },
        { "trusted", [], [("method", "trusted")], "trusted-person", "Tell us who we can contact you through" },
        { "in person", [], [("method", "in-person")], "in-person-place", "Tell us where we can meet you" },
        { "no time", ["safe-time"], [], "safe-time", "Choose at least one day and time" },
        { "someone else", ["about"], [("about", "someone-else")], "about-knows", "Tell us if they know you are contacting us" },
        { "professional", ["about"], [("about", "professional")], "referrer-organisation", "Enter the name of your organisation" },
        { "professional consent", ["about"], [("about", "professional"), ("referrer-organisation", "Support charity"), ("referrer-role", "Worker")], "referral-consent", "Tell us if the person has agreed" },
        { "cover reason", ["if-someone-else"], [("if-someone-else", "cover-reason")], "cover-reason", "Enter what we can say" },
        { "children", [], [("children-count", "lots")], "children-count", "Enter the number of children" },
        { "too long", ["message"], [("message", new string('a', 2001))], "message", "must be 2000 characters or fewer" },
        { "bidi override", [], [("name", "ab\u202Ecd")], "name", "characters we cannot accept" },
        { "consent", ["consent"], [], "consent", "Tick the box" },
    };

    [Theory]
    [MemberData(nameof(ConditionalCases))]
    public async Task Post_MissingOrWrongAnswer_ShowsErrorSummaryAndInlineError_KeepsEveryValue_StoresNothing(
        string name, string[] remove, (string, string)[] add, string field, string message)
    {
        _ = name;
        var before = Existing();
        var answers = With(Without(ContactClient.ValidAnswers("kept-"), remove), add);

        var response = await _client.OpenAndSendAsync("en-GB", answers);
        var doc = ContactClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Error:", doc.Title, StringComparison.Ordinal);
        var summaryLink = doc.QuerySelectorAll(".app-error-summary a").FirstOrDefault(a => a.GetAttribute("href") == "#" + field);
        Assert.NotNull(summaryLink);
        Assert.Contains(message, summaryLink.TextContent, StringComparison.Ordinal);
        Assert.NotNull(doc.GetElementById(field));
        Assert.Contains(message, doc.GetElementById(field + "-error")!.TextContent, StringComparison.Ordinal);
        if (remove.Contains("message"))
        {
            Assert.Equal(new string('a', 2001), doc.GetElementById("message")!.TextContent);
        }
        else
        {
            Assert.Equal("kept-message", doc.GetElementById("message")!.TextContent);
        }

        if (!remove.Contains("consent"))
        {
            Assert.True(doc.GetElementById("consent")!.HasAttribute("checked"));
        }

        Assert.Equal(before, Existing());
    }

    [Fact]
    public async Task Post_ErrorsInUrdu_AreInUrduRightToLeft()
    {
        var response = await _client.OpenAndSendAsync("ur", Without(ContactClient.ValidAnswers(), "method", "phone"));
        var doc = ContactClient.Parse(await response.Content.ReadAsStringAsync());
        var (_, english) = await portal.GetPageAsync("/en-GB/contact");

        Assert.Equal("rtl", doc.DocumentElement.GetAttribute("dir"));
        var error = doc.GetElementById("method-error")!.TextContent;
        Assert.DoesNotContain("Choose at least one", error, StringComparison.Ordinal);
        Assert.Matches(@"\p{IsArabic}", error);
        _ = english;
    }

    [Fact]
    public async Task Post_SameFormTwice_MakesOneReport_AndTheSameConfirmation()
    {
        var before = Existing();
        var (_, hidden) = await _client.OpenAsync();
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var fields = hidden.Concat(ContactClient.ValidAnswers()).ToList();

        var first = await _client.SendAsync("en-GB", fields);
        var second = await _client.SendAsync("en-GB", fields);

        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        OnlyNewRow(before);
    }

    [Fact]
    public async Task Post_ManyFormsAtOnce_EachSentTwice_MakesOneReportPerForm()
    {
        var before = Existing();
        var forms = new List<List<KeyValuePair<string, string>>>();
        for (var i = 0; i < 20; i++)
        {
            var (_, hidden) = await _client.OpenAsync();
            forms.Add([.. hidden, .. ContactClient.ValidAnswers($"batch{i}-")]);
        }

        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var responses = await Task.WhenAll(forms.Concat(forms).Select(f => _client.SendAsync("en-GB", f)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(responses[i].Headers.Location, responses[i + 20].Headers.Location);
        }

        var added = Reports.All(portal).Where(r => !before.Contains(r.Id)).ToList();
        Assert.Equal(20, added.Count);
        Assert.All(added, r => Assert.True(r.HasOutbox));
        Assert.Equal(20, added.Select(r => Reports.Open(portal, r).About.Message).Distinct().Count());
    }

    [Fact]
    public async Task Post_SoonerThanAPersonCould_ShowsFormAgainWithValues_ThenSendsWhenRepeated()
    {
        var before = Existing();
        var (_, hidden) = await _client.OpenAsync();
        portal.Clock.Advance(TimeSpan.FromSeconds(1));

        var tooFast = await _client.SendAsync("en-GB", hidden.Concat(ContactClient.ValidAnswers("fast-")));
        var doc = ContactClient.Parse(await tooFast.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, tooFast.StatusCode);
        Assert.Contains("take a moment", doc.QuerySelector(".app-error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("fast-message", doc.GetElementById("message")!.TextContent);
        Assert.Equal(before, Existing());

        portal.Clock.Advance(TimeSpan.FromSeconds(5));
        var again = await _client.SendAsync("en-GB", Resend(doc));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
    }

    [Fact]
    public async Task Post_FormOpenTooLong_ShowsFormAgainWithFreshToken_AndValuesKept()
    {
        var (_, hidden) = await _client.OpenAsync();
        portal.Clock.Advance(TimeSpan.FromHours(7));

        var expired = await _client.SendAsync("en-GB", hidden.Concat(ContactClient.ValidAnswers("late-")));
        var doc = ContactClient.Parse(await expired.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Contains("open for a long time", doc.QuerySelector(".app-error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("late-message", doc.GetElementById("message")!.TextContent);
        Assert.NotEqual(hidden.Single(h => h.Key == "form-token").Value, doc.QuerySelector("input[name=form-token]")!.GetAttribute("value"));

        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.SeeOther, (await _client.SendAsync("en-GB", Resend(doc))).StatusCode);
    }

    /// <summary>What a browser sends back from a re-shown form: hidden fields plus the answers kept in it.</summary>
    private static List<KeyValuePair<string, string>> Resend(AngleSharp.Html.Dom.IHtmlDocument doc)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var input in doc.QuerySelectorAll("form input, form textarea"))
        {
            var name = input.GetAttribute("name");
            var type = input.GetAttribute("type");
            if (name is null || ((type is "radio" or "checkbox") && !input.HasAttribute("checked")))
            {
                continue;
            }

            fields.Add(new(name, input.LocalName == "textarea" ? input.TextContent : input.GetAttribute("value") ?? ""));
        }

        return fields;
    }

    [Theory]
    [InlineData("honeypot")]
    [InlineData("forged")]
    [InlineData("other language")]
    public async Task Post_FromSoftware_IsQuarantinedNotDelivered_AndLooksSent(string how)
    {
        var before = Existing();
        var (_, hidden) = await _client.OpenAsync();
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var fields = hidden.Select(h => how switch
        {
            "honeypot" when h.Key == "website" => KeyValuePair.Create(h.Key, "https://spam.example"),
            "forged" when h.Key == "form-token" => KeyValuePair.Create(h.Key, h.Value[..^4] + "AAAA"),
            _ => h,
        }).Concat(ContactClient.ValidAnswers()).ToList();

        var response = await _client.SendAsync(how == "other language" ? "pl" : "en-GB", fields);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.EndsWith("/contact/sent", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var row = OnlyNewRow(before);
        Assert.Equal("quarantined", row.Status);
        Assert.Equal(how == "honeypot" ? "honeypot" : "form-token", row.Reason);
        Assert.False(row.HasOutbox);
    }

    [Fact]
    public async Task Post_WithSolvedProofOfWork_IsVerified_AndTheSolutionCannotBeReused()
    {
        var before = Existing();
        var (_, hidden) = await _client.OpenAsync();
        var challenge = JsonDocument.Parse(hidden.Single(h => h.Key == "pow-challenge").Value).RootElement;
        var salt = challenge.GetProperty("salt").GetString()!;
        var target = challenge.GetProperty("challenge").GetString()!;
        var number = Enumerable.Range(0, challenge.GetProperty("maxnumber").GetInt32() + 1)
            .First(n => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + n))) == target);
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var solved = hidden.Select(h => h.Key == "pow-number" ? KeyValuePair.Create(h.Key, number.ToString(System.Globalization.CultureInfo.InvariantCulture)) : h).ToList();

        await _client.SendAsync("en-GB", solved.Concat(ContactClient.ValidAnswers()));
        var (_, second) = await _client.OpenAsync();
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var reused = second.Select(h => solved.Single(s => s.Key == h.Key) is var old && h.Key.StartsWith("pow", StringComparison.Ordinal) ? old : h);
        await _client.SendAsync("en-GB", reused.Concat(ContactClient.ValidAnswers()));

        var rows = Reports.All(portal).Where(r => !before.Contains(r.Id)).Select(r => Reports.Open(portal, r)).ToList();
        Assert.Equal(["proof-of-work", "unverified"], rows.Select(r => r.Verification).Order());
    }

    [Fact]
    public async Task Post_WrongProofOfWork_IsStillAccepted_AsUnverified()
    {
        var before = Existing();
        var (_, hidden) = await _client.OpenAsync();
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var wrong = hidden.Select(h => h.Key == "pow-number" ? KeyValuePair.Create(h.Key, "123456789") : h);

        var response = await _client.SendAsync("en-GB", wrong.Concat(ContactClient.ValidAnswers()));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("unverified", Reports.Open(portal, OnlyNewRow(before)).Verification);
    }

    [Theory]
    [InlineData("unknown field", "favourite-colour", "blue")]
    [InlineData("duplicated single field", "danger", "yes")]
    [InlineData("value outside the choices", "staff-gender", "robot")]
    [InlineData("unknown method", "method", "carrier-pigeon")]
    public async Task Post_NotOurForm_Is400WithExplanation_AndStoresNothing(string name, string key, string value)
    {
        _ = name;
        var before = Existing();

        var response = await _client.OpenAndSendAsync("en-GB", With(ContactClient.ValidAnswers("odd-"), (key, value)));
        var doc = ContactClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not recognised", doc.QuerySelector(".app-error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("odd-message", doc.GetElementById("message")!.TextContent);
        Assert.Equal(before, Existing());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_Over64KB_Is413WithFriendlyPage_AndStoresNothing(bool chunked)
    {
        var before = Existing();
        var (_, hidden) = await _client.OpenAsync("ro");
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var body = new FormUrlEncodedContent(hidden.Concat(With(ContactClient.ValidAnswers(), ("accessibility", new string('x', 70_000)))));
        HttpContent content = body;
        if (chunked)
        {
            var bytes = await body.ReadAsByteArrayAsync();
            content = new StreamContent(new MemoryStream(bytes));
            content.Headers.ContentType = body.Headers.ContentType;
        }

        var response = await _client.Http.PostAsync("/ro/contact", content);
        var doc = ContactClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("ro", doc.DocumentElement.GetAttribute("lang"));
        Assert.NotEmpty(doc.QuerySelector("h1")!.TextContent);
        Assert.Equal(before, Existing());
    }

    [Fact]
    public async Task Post_NotAForm_Is415()
    {
        var response = await _client.Http.PostAsync("/en-GB/contact", new StringContent("{\"danger\":\"yes\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_ThursdayBeforeEaster_ContactByTheTuesdayAfter()
    {
        var before = Existing();
        // Thursday 2 April 2026, 16:00 BST; Good Friday and Easter Monday are bank holidays.
        portal.Clock.AdjustTime(new DateTimeOffset(2026, 4, 2, 15, 0, 0, TimeSpan.Zero));

        var response = await _client.OpenAndSendAsync("en-GB", ContactClient.ValidAnswers());
        var page = await _client.Http.GetStringAsync(response.Headers.Location);

        Assert.Contains("Tuesday 7 April 2026", page, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 4, 7), Reports.Open(portal, OnlyNewRow(before)).ContactBy);
        portal.Clock.AdjustTime(new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero));
    }
}

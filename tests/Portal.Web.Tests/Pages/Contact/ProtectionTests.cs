using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Pages.Contact;

public sealed class TightRateLimitPortal : PortalFactory
{
    public TightRateLimitPortal()
        : base(new Dictionary<string, string?> { ["Intake:RateLimit:PermitLimit"] = "3", ["Intake:RateLimit:WindowMinutes"] = "10" })
    {
    }
}

public sealed class RateLimitTests(TightRateLimitPortal portal) : IClassFixture<TightRateLimitPortal>
{
    [Fact]
    public async Task Post_MoreThanTheLimit_Is429InReadersLanguage_ReadingStillWorks()
    {
        var client = new ContactClient(portal);
        for (var i = 0; i < 3; i++)
        {
            var allowed = await client.OpenAndSendAsync("pl", ContactClient.ValidAnswers());
            Assert.Equal(HttpStatusCode.SeeOther, allowed.StatusCode);
        }

        var refused = await client.OpenAndSendAsync("pl", ContactClient.ValidAnswers());
        var doc = ContactClient.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("pl", doc.DocumentElement.GetAttribute("lang"));
        Assert.Contains("999", doc.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.NotEqual("Too many attempts", doc.QuerySelector("h1")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/pl/contact")).StatusCode);
        Assert.DoesNotContain("127.0.0.1", portal.Logs.All, StringComparison.Ordinal);
    }
}

/// <summary>A stand-in for Google's siteverify on 127.0.0.1 that answers what a test tells it to and records what it was sent.</summary>
public sealed class FakeSiteVerify : IAsyncDisposable
{
    private readonly WebApplication _app;

    public FakeSiteVerify()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/siteverify", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            lock (Received)
            {
                Received.Add(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            }

            return Results.Content(Answer(), "application/json");
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/siteverify";
    }

    public string Url { get; }

    public List<Dictionary<string, string>> Received { get; } = [];

    public Func<string> Answer { get; set; } = () => "{}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class RecaptchaPortal : PortalFactory
{
    public RecaptchaPortal()
        : this(new FakeSiteVerify())
    {
    }

    private RecaptchaPortal(FakeSiteVerify google)
        : base(new Dictionary<string, string?>
        {
            ["Intake:Recaptcha:Enabled"] = "true",
            ["Intake:Recaptcha:SiteKey"] = "test-site-key",
            ["Intake:Recaptcha:SecretKey"] = "test-secret",
            ["Intake:Recaptcha:VerifyUrl"] = google.Url,
            ["Intake:Recaptcha:Hostname"] = "localhost",
        })
    {
        Google = google;
    }

    public FakeSiteVerify Google { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Google.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

public sealed class RecaptchaTests(RecaptchaPortal portal) : IClassFixture<RecaptchaPortal>
{
    private string Verdict(bool success = true, string action = "contact", string hostname = "localhost", double score = 0.9, TimeSpan? age = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["success"] = success,
            ["action"] = action,
            ["hostname"] = hostname,
            ["score"] = score,
            ["challenge_ts"] = (portal.Clock.GetUtcNow() - (age ?? TimeSpan.FromSeconds(5))).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        });

    public static TheoryData<string, string> Cases => new()
    {
        { "good", "recaptcha" },
        { "failed", "unverified" },
        { "low score", "unverified" },
        { "other action", "unverified" },
        { "other host", "unverified" },
        { "old token", "unverified" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post_WithRecaptcha_ChecksEveryPartOfTheVerdict_AndNeverTurnsAPersonAway(string verdict, string expected)
    {
        portal.Google.Answer = () => verdict switch
        {
            "failed" => Verdict(success: false),
            "low score" => Verdict(score: 0.2),
            "other action" => Verdict(action: "login"),
            "other host" => Verdict(hostname: "evil.example"),
            "old token" => Verdict(age: TimeSpan.FromMinutes(10)),
            _ => Verdict(),
        };
        var client = new ContactClient(portal);
        var before = Reports.All(portal).Select(r => r.Id).ToHashSet();
        var (_, hidden) = await client.OpenAsync();
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        var fields = hidden.Select(h => h.Key == "recaptcha-token" ? KeyValuePair.Create(h.Key, "token-" + verdict) : h);

        var response = await client.SendAsync("en-GB", fields.Concat(ContactClient.ValidAnswers()));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var row = Assert.Single(Reports.All(portal), r => !before.Contains(r.Id));
        Assert.Equal(expected, Reports.Open(portal, row).Verification);
        var sent = portal.Google.Received.Last();
        Assert.Equal("test-secret", sent["secret"]);
        Assert.Equal("token-" + verdict, sent["response"]);
        Assert.False(sent.ContainsKey("remoteip"));
    }

    [Fact]
    public async Task Get_WithRecaptcha_LoadsGoogleScriptOnTheFormPageOnly()
    {
        var client = portal.CreatePlainClient();
        var form = await client.GetAsync("/en-GB/contact");
        var home = await client.GetAsync("/en-GB");

        Assert.Contains("https://www.google.com/recaptcha/api.js?render=test-site-key", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("https://www.google.com/recaptcha/", form.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("google", await home.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("google", home.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.OrdinalIgnoreCase);
    }
}

[Collection(SharedPortal.Name)]
public sealed class RecaptchaOffTests(PortalFactory portal)
{
    [Fact]
    public async Task Get_ByDefault_FormPageHasNoThirdParty()
    {
        var response = await portal.CreatePlainClient().GetAsync("/en-GB/contact");
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("google", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("recaptcha-token", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}

/// <summary>Marker strings in every field never reach disk or logs in the clear, and are all in the sealed report.</summary>
public sealed class NoPlaintextTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Post_MarkersInEveryField_AreNowhereUnderTheDataDirectoryNorInLogs_ButInTheOpenedReport()
    {
        var markers = new Dictionary<string, string>
        {
            ["referrer-organisation"] = "QZXorgmarker", ["referrer-role"] = "QZXrolemarker",
            ["trusted-person"] = "QZXtrustedmarker", ["in-person-place"] = "QZXplacemarker", ["never-times"] = "QZXnevermarker",
            ["cover-reason"] = "QZXcovermarker", ["code-word"] = "QZXcodemarker", ["preferred-language"] = "QZXlanguagemarker",
            ["accessibility"] = "QZXaccessmarker", ["children-ages"] = "QZXagesmarker", ["name"] = "QZXnamemarker",
            ["tenancy-ref"] = "QZXref123", ["message"] = "QZXmessagemarker ünïcödé اردو",
            ["email"] = "qzxemailmarker@example.org", ["phone"] = "07700 900417",
        };
        var answers = new List<KeyValuePair<string, string>>
        {
            new("danger", "yes"), new("about", "professional"), new("referral-consent", "yes"),
            new("method", "phone"), new("method", "email"), new("method", "trusted"), new("method", "in-person"),
            new("safe-time", "sat-evening"), new("if-someone-else", "cover-reason"), new("children-count", "2"),
            new("interpreter", "yes"), new("staff-gender", "woman"), new("consent", "yes"),
        };
        answers.AddRange(markers.Select(m => KeyValuePair.Create(m.Key, m.Value)));
        var client = new ContactClient(portal);

        var response = await client.OpenAndSendAsync("ur", answers);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var confirmation = await client.Http.GetStringAsync(response.Headers.Location);

        var needles = markers.Values.Select(v => v.Split(' ')[0]).Append("7700900417").Append("ünïcödé").ToList();

        // Let the relay hand the report to the (default, folder) case inbox too, so that copy is checked.
        var inbox = Path.Combine(portal.DataDirectory, "case-inbox");
        for (var i = 0; i < 200 && !(Directory.Exists(inbox) && Directory.GetFiles(inbox, "*.jwe").Length > 0); i++)
        {
            await Task.Delay(50);
        }

        var files = Directory.GetFiles(portal.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("portal.db-wal", StringComparison.Ordinal) || f.EndsWith("portal.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith(inbox, StringComparison.Ordinal) && f.EndsWith(".jwe", StringComparison.Ordinal));
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(file);
            }
            catch (FileNotFoundException)
            {
                // A temporary file renamed into place while we looked: its final name is in the list or the next delivery.
                continue;
            }

            foreach (var needle in needles)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(needle)), $"{needle} found in {file}");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(needle)), $"{needle} (UTF-16) found in {file}");
            }
        }

        var logs = portal.Logs.All;
        Assert.NotEmpty(logs);
        Assert.All(needles, n => Assert.DoesNotContain(n, logs, StringComparison.Ordinal));
        Assert.All(needles, n => Assert.DoesNotContain(n, response.Headers.Location!.OriginalString, StringComparison.Ordinal));
        Assert.All(needles, n => Assert.DoesNotContain(n, confirmation, StringComparison.Ordinal));

        var row = Assert.Single(Reports.All(portal));
        var opened = Encoding.UTF8.GetString(Reports.OpenBytes(portal, row.Envelope));
        Assert.All(markers.Values.Where(v => !v.StartsWith("077", StringComparison.Ordinal)), v => Assert.Contains(v, opened, StringComparison.Ordinal));
        Assert.Contains("+447700900417", opened, StringComparison.Ordinal);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Intake.Protection;
using Portal.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Web.Tests.Pages.Contact;

public sealed class FuzzPortal : PortalFactory
{
    public FuzzPortal()
        : base(new Dictionary<string, string?> { ["Intake:RateLimit:PermitLimit"] = "1000000" })
    {
    }

    // Ten thousand requests at trace level would spend most of the run formatting log lines.
    protected override Microsoft.Extensions.Logging.LogLevel CaptureLevel => Microsoft.Extensions.Logging.LogLevel.Information;
}

/// <summary>
/// Throws generated bad input at the form: wrong types, huge strings, control and bidirectional
/// characters, invalid UTF-8, repeated and unknown fields, script tags, broken bodies. Nothing
/// may fail with a 500; a refusal stores nothing and says why.
/// </summary>
public sealed class FuzzTests(FuzzPortal portal, ITestOutputHelper output) : IClassFixture<FuzzPortal>
{
    private const int Cases = 10_000;

    private static readonly string[] Nasty =
    [
        "", " ", "\t", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE intake_reports; --",
        "\u0000", "\u0007bell", "a\u202Eb", "\u2066iso\u2069", "\u200F\u200E", "\uFEFF", "\uD800", "\uDFFF", "😀",
        "اردو", "ﷺ", "Zalgo Z̵̡̢͎a̶l̷g̸o̶", "%00", "%C3%28", "%FF%FE", "\r\n\r\n", "../../etc/passwd", "${jndi:ldap://x}",
        "{{7*7}}", "-1", "0", "99999999999999999999", "1e9", "NaN", "true", "null", "[]", "{}", "yes", "no", "on",
    ];

    private static readonly string[] OddMethods = ["phone", "fax", "", "PHONE", "in-person "];

    private static readonly string[] FieldNames =
    [
        "danger", "about", "about-knows", "referrer-organisation", "referrer-role", "referral-consent", "method", "phone",
        "email", "trusted-person", "in-person-place", "safe-time", "never-times", "if-someone-else", "cover-reason",
        "code-word", "preferred-language", "interpreter", "bsl", "relay-uk", "staff-gender", "accessibility",
        "children-count", "children-ages", "name", "tenancy-ref", "message", "consent",
    ];

    [Fact]
    public async Task Post_TenThousandBadInputs_NeverFail_RefusalsStoreNothingAndExplain()
    {
        var client = portal.CreatePlainClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/en-GB/contact")).StatusCode);
        var tokens = portal.Services.GetRequiredService<FormTokens>();
        var random = new Random(20261124);
        var langs = Site.Languages;
        var statuses = new Dictionary<int, int>();
        using var db = new SqliteConnection($"Data Source={Path.Combine(portal.DataDirectory, "portal.db")};Pooling=False");
        db.Open();
        long Count()
        {
            using var c = db.CreateCommand();
            c.CommandText = "SELECT count(*) FROM intake_reports";
            return (long)c.ExecuteScalar()!;
        }

        for (var i = 0; i < Cases; i++)
        {
            var lang = langs[random.Next(langs.Length)];
            var token = tokens.Issue(lang);
            portal.Clock.Advance(TimeSpan.FromSeconds(4));
            var (content, description) = Generate(random, token);
            var before = Count();

            var response = await client.PostAsync("/" + lang + "/contact", content);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            var after = Count();

            if (status >= 500)
            {
                Assert.Fail($"case {i} ({description}) gave {status}: " + portal.Logs.Lines.LastOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal)));
            }

            if (status >= 400)
            {
                Assert.True(after == before, $"case {i} ({description}) was refused with {status} but stored something");
                // The form again with its error summary, or a status page: a heading and a message, not indexed.
                var explained = body.Contains("class=\"app-error-summary\"", StringComparison.Ordinal) ||
                    (body.Contains("<h1 class=\"app-heading-xl\">", StringComparison.Ordinal) && body.Contains("<meta name=\"robots\" content=\"noindex\">", StringComparison.Ordinal));
                Assert.True(explained, $"case {i} ({description}) was refused with {status} without an explanation");
            }
            else
            {
                Assert.True(status == 303, $"case {i} ({description}) gave {status}");
                Assert.True(after - before <= 1, $"case {i} ({description}) stored {after - before} reports");
            }
        }

        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(statuses.Keys.Count(k => k >= 400) >= 2, "the generator should reach several kinds of refusal");
    }

    private static List<KeyValuePair<string, string>> Valid(string token) =>
        [new("form-token", token), new("website", ""), .. ContactClient.ValidAnswers()];

    private static (HttpContent Content, string Description) Generate(Random random, string token)
    {
        switch (random.Next(12))
        {
            case 0:
            {
                // A raw body that is not a well-formed form, under a form content type.
                var bytes = new byte[random.Next(0, 3000)];
                random.NextBytes(bytes);
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new("application/x-www-form-urlencoded");
                return (content, "random bytes");
            }

            case 1:
            {
                // Percent-encoded invalid UTF-8 in a real field.
                var field = FieldNames[random.Next(FieldNames.Length)];
                var text = "form-token=" + Uri.EscapeDataString(token) + "&consent=yes&" + field + "=" +
                    new[] { "%C3%28", "%FF", "%ED%A0%80", "%F8%88%80%80%80", "%C0%AF", "%E2%82" }[random.Next(6)];
                var content = new ByteArrayContent(Encoding.ASCII.GetBytes(text));
                content.Headers.ContentType = new("application/x-www-form-urlencoded");
                return (content, "invalid UTF-8 in " + field);
            }

            case 2:
            {
                var content = new StringContent("{\"danger\":\"yes\",\"form-token\":\"" + token + "\"}", Encoding.UTF8, random.Next(2) == 0 ? "application/json" : "text/plain");
                return (content, "not a form");
            }

            default:
            {
                var fields = Valid(token);
                var mutations = random.Next(1, 4);
                var described = new List<string>();
                for (var m = 0; m < mutations; m++)
                {
                    described.Add(Mutate(random, fields));
                }

                return (new FormUrlEncodedContent(fields), string.Join("; ", described));
            }
        }
    }

    private static string Mutate(Random random, List<KeyValuePair<string, string>> fields)
    {
        var field = FieldNames[random.Next(FieldNames.Length)];
        switch (random.Next(8))
        {
            case 0:
                fields.RemoveAll(f => f.Key == field);
                return "drop " + field;
            case 1:
            {
                var name = new[] { "x", "", "<script>", "form-token ", "DANGER", "danger[]", "a\u0000b", new string('k', 200) }[random.Next(8)];
                fields.Add(new(name, "1"));
                return "unknown field";
            }

            case 2:
                fields.Add(new(field, Nasty[random.Next(Nasty.Length)]));
                return "repeat " + field;
            case 3:
            {
                var size = random.Next(2) == 0 ? random.Next(100, 5000) : random.Next(60_000, 80_000);
                fields.RemoveAll(f => f.Key == field);
                fields.Add(new(field, new string((char)random.Next(0x20, 0x7F), size)));
                return $"huge {field} ({size})";
            }

            case 4:
            {
                var value = Nasty[random.Next(Nasty.Length)];
                fields.RemoveAll(f => f.Key == field);
                fields.Add(new(field, value));
                return $"nasty {field}";
            }

            case 5:
            {
                // Characters across the whole Basic Multilingual Plane, controls and bidi marks included.
                var chars = Enumerable.Range(0, random.Next(1, 40)).Select(_ => (char)random.Next(0, 0xFFFF)).ToArray();
                fields.RemoveAll(f => f.Key == field);
                fields.Add(new(field, new string(chars)));
                return "random text in " + field;
            }

            case 6:
                fields.RemoveAll(f => f.Key == "form-token");
                fields.Add(new("form-token", new[] { "", "x", "a.b", "AAAA.AAAA", new string('A', 600) }[random.Next(5)]));
                return "broken token";
            default:
                fields.Add(new("method", OddMethods[random.Next(OddMethods.Length)]));
                return "odd method";
        }
    }
}

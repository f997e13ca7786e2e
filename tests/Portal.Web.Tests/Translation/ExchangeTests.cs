using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Portal.Web.Backoffice;
using Portal.Web.Tests.Backoffice;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Translation.Exchange;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Translation;

/// <summary>
/// Agency exchange through the real back office: the missing and stale units of a language go out as
/// XLIFF 2.0 (valid against the OASIS schema) or PO, and come back checked: an outdated English or a
/// placeholder that did not survive is refused with a report, and nothing refused is saved.
/// </summary>
public sealed class ExchangeTests : IDisposable
{
    private const string ExchangePath = "/backoffice/translations/exchange";
    private const string FirstPrivacyParagraph = "how we keep it safe and what your rights are";
    private const string DpoParagraph = "You can contact our Data Protection Officer by e-mail at dpo@larchwood-homes.example.";
    private static readonly XNamespace X = XliffFormat.Namespace;

    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    private async Task PublishEnglishChangeAsync(string slug, string from, string to)
    {
        var editor = await Staff.SignedInAsync(_portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(_portal, StaffRoles.Publisher);
        var english = (await VersionsAsync(_portal, slug, "en-GB")).Last();
        Assert.Contains(from, english.Body, StringComparison.Ordinal);
        await OkAsync(SaveAsync(editor, slug, "en-GB", english.Title, english.Body.Replace(from, to, StringComparison.Ordinal)));
        await OkAsync(ActAsync(editor, slug, "en-GB", "submit"));
        await OkAsync(ActAsync(publisher, slug, "en-GB", "approve"));
        await OkAsync(ActAsync(publisher, slug, "en-GB", "publish"));
    }

    /// <summary>The shipped translations are machine drafts; a translator's save through the split view makes one translated.</summary>
    private async Task MarkTranslatedAsync(string slug, string culture = "pl")
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, culture, StaffRoles.Translator);
        var response = await BackofficeForms.SubmitAsync(translator.Client, $"/backoffice/translations/{slug}/{culture}/standard", "main form[method='post']",
            f => f.With("action", "save").With("translation_state", "translated"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("translated", (await VersionsAsync(_portal, slug, culture)).Last().TranslationState);
    }

    private static async Task<string> ExportAsync(StaffMember staff, string culture, string format)
    {
        var response = await staff.Client.GetAsync($"{ExchangePath}?handler=export&culture={culture}&format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> ImportAsync(StaffMember staff, string culture, string content, string fileName = "back.xlf")
    {
        var page = new HtmlParser().ParseDocument(await (await staff.Client.GetAsync(ExchangePath)).Content.ReadAsStringAsync());
        var token = page.QuerySelector("input[name='__staff-af']")?.GetAttribute("value");
        Assert.NotNull(token);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__staff-af" },
            { new StringContent(culture), "culture" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await staff.Client.PostAsync(ExchangePath, form);
    }

    private static async Task<IHtmlDocument> ReportAsync(HttpResponseMessage response) => await Staff.DocumentAsync(response);

    private static string? Outcome(IHtmlDocument report, string unitId) =>
        report.QuerySelector($"[data-unit='{unitId}']")?.GetAttribute("data-outcome");

    private static string Reason(IHtmlDocument report, string unitId) =>
        report.QuerySelector($"[data-unit='{unitId}'] td:last-child")?.TextContent.Trim() ?? "";

    private static XElement Unit(XDocument xliff, string unitId) =>
        xliff.Descendants(X + "unit").Single(u => (string?)u.Attribute("id") == unitId);

    private static XElement UnitWithSource(XDocument xliff, string text) =>
        xliff.Descendants(X + "unit").First(u => u.Element(X + "segment")!.Element(X + "source")!.Value.Contains(text, StringComparison.Ordinal));

    /// <summary>Fills a unit's target from its source, placeholders and all, with its words marked as translated.</summary>
    private static XElement Fill(XElement unit, string prefix = "PL ")
    {
        var segment = unit.Element(X + "segment")!;
        segment.Element(X + "target")?.Remove();
        var target = new XElement(X + "target", new XText(prefix), segment.Element(X + "source")!.Nodes().Select(n => n is XElement e ? new XElement(e) : (object)new XText(((XText)n).Value)));
        segment.Add(target);
        segment.SetAttributeValue("state", "translated");
        return target;
    }

    private static async Task<string> CellAsync(StaffMember staff, string variant)
    {
        var grid = await Staff.DocumentAsync(await staff.Client.GetAsync("/backoffice/translations"));
        return grid.QuerySelector($"[data-cell='{variant}']")?.GetAttribute("data-state") ?? "(none)";
    }

    [Fact]
    public async Task TheXliffExport_ValidatesAgainstTheOasisXliff20Schema_InALeftToRightAndARightToLeftLanguage()
    {
        await PublishEnglishChangeAsync("privacy", FirstPrivacyParagraph, "how we protect it and what your rights are");
        var editor = await Staff.SignedInAsync(_portal, StaffRoles.Editor);
        var schemas = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        schemas.Add(XliffFormat.Namespace, Path.Combine(AppContext.BaseDirectory, "Translation", "Schemas", "xliff_core_2.0.xsd"));
        schemas.Compile();

        foreach (var culture in new[] { "pl", "ar" })
        {
            var text = await ExportAsync(editor, culture, "xliff");
            var document = XDocument.Parse(text);
            var errors = new List<string>();
            document.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
            Assert.Empty(errors);
            Assert.Equal(culture, (string?)document.Root!.Attribute("trgLang"));
            Assert.Equal(culture == "ar" ? "rtl" : "ltr", (string?)document.Root.Element(X + "file")!.Attribute("trgDir"));
            var units = document.Descendants(X + "unit").ToList();
            Assert.True(units.Count > 50, $"{units.Count} units");
            // Protected pieces cannot be deleted or copied, and carry their text in originalData.
            var phones = document.Descendants(X + "ph").ToList();
            Assert.NotEmpty(phones);
            Assert.All(phones, ph => Assert.Equal(("no", "no"), ((string?)ph.Attribute("canDelete"), (string?)ph.Attribute("canCopy"))));
            Assert.Contains(phones, ph => (string?)ph.Attribute("disp") == "0808 2000 247");
        }

        // This validation is not a formality: a unit without its required id is caught.
        var broken = XDocument.Parse(await ExportAsync(editor, "pl", "xliff"));
        broken.Descendants(X + "unit").First().Attribute("id")!.Remove();
        var found = new List<string>();
        broken.Validate(schemas, (_, e) => found.Add(e.Message));
        Assert.NotEmpty(found);
    }

    [Fact]
    public async Task OnlyMissingAndStaleUnitsGoOut_WithIdsThatStayTheSame_AndTheStaleOneCarriesWhatItWasMadeFrom()
    {
        await MarkTranslatedAsync("privacy");
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        var before = XDocument.Parse(await ExportAsync(translator, "pl", "xliff"));
        // Privacy is translated from the current English: nothing of it goes out.
        Assert.DoesNotContain(before.Descendants(X + "unit"), u => ((string)u.Attribute("id")!).StartsWith("page:privacy:", StringComparison.Ordinal));
        // The Polish home page is a machine draft: all of it goes out, paragraphs and title.
        Assert.Contains(before.Descendants(X + "unit"), u => (string?)u.Attribute("id") == "page:home:standard:title");

        await PublishEnglishChangeAsync("privacy", FirstPrivacyParagraph, "how we protect it and what your rights are");
        var after = XDocument.Parse(await ExportAsync(translator, "pl", "xliff"));
        var privacy = after.Descendants(X + "unit").Where(u => ((string)u.Attribute("id")!).StartsWith("page:privacy:standard:", StringComparison.Ordinal)).ToList();
        var stale = Assert.Single(privacy);
        Assert.Matches("^page:privacy:standard:b[0-9]+$", (string)stale.Attribute("id")!);
        Assert.Contains("how we protect it", stale.Element(X + "segment")!.Element(X + "source")!.Value, StringComparison.Ordinal);
        Assert.Equal("initial", (string?)stale.Element(X + "segment")!.Attribute("state"));
        var notes = stale.Element(X + "notes")!.Elements(X + "note").ToDictionary(n => (string)n.Attribute("category")!, n => n.Value);
        Assert.Equal("stale", notes["reason"]);
        Assert.Contains(FirstPrivacyParagraph, notes["previous-source"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(notes["previous-translation"]));

        // The same paragraph keeps its id in every export, and every other unit too.
        var again = XDocument.Parse(await ExportAsync(translator, "pl", "xliff"));
        Assert.Equal(after.Descendants(X + "unit").Select(u => (string)u.Attribute("id")!), again.Descendants(X + "unit").Select(u => (string)u.Attribute("id")!));
        var homeIds = before.Descendants(X + "unit").Select(u => (string)u.Attribute("id")!).Where(i => i.StartsWith("page:home:", StringComparison.Ordinal));
        Assert.Equal(homeIds, after.Descendants(X + "unit").Select(u => (string)u.Attribute("id")!).Where(i => i.StartsWith("page:home:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ExportFillImport_MovesTheUnitsToTranslated_AndThePublishedPageShowsThem()
    {
        await MarkTranslatedAsync("privacy");
        await PublishEnglishChangeAsync("privacy", FirstPrivacyParagraph, "how we protect it and what your rights are");
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        Assert.Equal("stale", await CellAsync(translator, "privacy/pl/standard"));

        var xliff = XDocument.Parse(await ExportAsync(translator, "pl", "xliff"));
        var stale = xliff.Descendants(X + "unit").Single(u => ((string)u.Attribute("id")!).StartsWith("page:privacy:standard:", StringComparison.Ordinal));
        var unitId = (string)stale.Attribute("id")!;
        Fill(stale, "Agencja sprawdziła ten akapit. ");
        var samaritans = Unit(xliff, "helpline:samaritans:description");
        Fill(samaritans, "Całodobowe wsparcie: ");

        var response = await ImportAsync(translator, "pl", xliff.ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await ReportAsync(response);
        Assert.Equal("accepted", Outcome(report, unitId));
        Assert.Equal("accepted", Outcome(report, "helpline:samaritans:description"));
        Assert.Equal("skipped", Outcome(report, "page:home:standard:title"));
        Assert.Contains("2 taken, 0 refused", report.QuerySelector("[data-totals]")!.TextContent, StringComparison.Ordinal);

        // The page's draft is translated from the current English; the rest of its text is kept.
        Assert.Equal("translated", await CellAsync(translator, "privacy/pl/standard"));
        var draft = (await VersionsAsync(_portal, "privacy", "pl")).Last();
        Assert.Contains("Agencja sprawdziła ten akapit.", draft.Body, StringComparison.Ordinal);
        Assert.Equal("translated", draft.TranslationState);
        var previous = (await VersionsAsync(_portal, "privacy", "pl")).SkipLast(1).Last();
        Assert.Equal(previous.Body.Split("\n\n").Length, draft.Body.Split("\n\n").Length);
        Assert.Equal(previous.Body.Split("\n\n").Skip(1), draft.Body.Split("\n\n").Skip(1));
        Assert.Contains(await AuditAsync(_portal, "privacy"), a => a.Action == "save-draft");
        Assert.Contains(await BackofficeForms.AuditAsync(_portal, "translations:pl"), a => a.Action == "import-translations");

        // Helpline words take effect at once; page words after review and publishing.
        Assert.Contains("Całodobowe wsparcie:", await PublicTextAsync(_portal, "/pl/services"), StringComparison.Ordinal);
        Assert.DoesNotContain("Agencja sprawdziła", await PublicTextAsync(_portal, "/pl/privacy"), StringComparison.Ordinal);
        var reviewer = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Reviewer);
        await OkAsync(ActAsync(translator, "privacy", "pl", "submit"));
        await OkAsync(ActAsync(reviewer, "privacy", "pl", "approve"));
        await OkAsync(ActAsync(reviewer, "privacy", "pl", "publish"));
        Assert.Contains("Agencja sprawdziła ten akapit.", await PublicTextAsync(_portal, "/pl/privacy"), StringComparison.Ordinal);

        // Nothing is left to send for that page.
        var next = XDocument.Parse(await ExportAsync(translator, "pl", "xliff"));
        Assert.DoesNotContain(next.Descendants(X + "unit"), u => ((string)u.Attribute("id")!).StartsWith("page:privacy:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATamperedPlaceholder_IsRefusedWithTheReason_AndNothingOfItIsSaved()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        var xliff = XDocument.Parse(await ExportAsync(translator, "pl", "xliff"));
        var units = xliff.Descendants(X + "unit").ToList();
        bool Has(XElement unit, string display) => unit.Descendants(X + "ph").Any(p => (string?)p.Attribute("disp") == display);
        var helpline = units.First(u => Has(u, "0808 2000 247"));
        var deleted = units.First(u => u != helpline && Has(u, "999"));
        var typedOver = Unit(xliff, "page:home:standard:title");
        var dataChanged = units.First(u => u != helpline && u != deleted && u.Element(X + "originalData") is { } d && d.Elements(X + "data").Any(e => e.Value.Contains('0', StringComparison.Ordinal)));

        // 1. The helpline number placeholder deleted from the target.
        Fill(helpline).Descendants(X + "ph").Where(p => (string?)p.Attribute("disp") == "0808 2000 247").Remove();
        // 2. A placeholder swapped for one that is not in the English.
        foreach (var ph in Fill(deleted).Descendants(X + "ph"))
        {
            ph.SetAttributeValue("id", "99");
        }

        // 3. A phone number typed into the words that the English does not have.
        Fill(typedOver, "Zadzwoń 0800 111 222 ");
        // 4. The original data of a phone number edited in the file.
        Fill(dataChanged);
        var data = dataChanged.Element(X + "originalData")!.Elements(X + "data").First(d => d.Value.Contains('0', StringComparison.Ordinal));
        data.Value = data.Value.Replace('0', '9');

        var versionsBefore = (await VersionsAsync(_portal, "home", "pl")).Count;
        var response = await ImportAsync(translator, "pl", xliff.ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = await ReportAsync(response);
        var ids = new[] { helpline, deleted, typedOver, dataChanged }.Select(u => (string)u.Attribute("id")!).ToList();
        Assert.All(ids, id => Assert.Equal("rejected", Outcome(report, id)));
        Assert.Contains("0808 2000 247", Reason(report, ids[0]), StringComparison.Ordinal);
        Assert.Contains("not in the English", Reason(report, ids[1]), StringComparison.Ordinal);
        Assert.Contains("0800 111 222", Reason(report, ids[2]), StringComparison.Ordinal);
        Assert.Contains("original data", Reason(report, ids[3]), StringComparison.Ordinal);
        Assert.Contains("0 taken, 4 refused", report.QuerySelector("[data-totals]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(versionsBefore, (await VersionsAsync(_portal, "home", "pl")).Count);
    }

    [Fact]
    public async Task AUnitWhoseEnglishChangedSinceTheExport_IsRefused_WhileTheOthersAreTaken()
    {
        await MarkTranslatedAsync("privacy");
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        await PublishEnglishChangeAsync("privacy", FirstPrivacyParagraph, "how we protect it and what your rights are");
        await PublishEnglishChangeAsync("privacy", DpoParagraph, "You can e-mail our Data Protection Officer at dpo@larchwood-homes.example.");
        var xliff = XDocument.Parse(await ExportAsync(translator, "pl", "xliff"));
        var first = UnitWithSource(xliff, "how we protect it");
        var dpo = UnitWithSource(xliff, "You can e-mail our Data Protection Officer");
        Fill(first);
        Fill(dpo, "Napisz do nas: ");
        // The address is a placeholder in the export.
        Assert.Contains(dpo.Descendants(X + "ph"), p => (string?)p.Attribute("disp") == "dpo@larchwood-homes.example");

        // The English of one of them changes again after the export.
        await PublishEnglishChangeAsync("privacy", "You can e-mail our Data Protection Officer", "Write to our Data Protection Officer");
        var response = await ImportAsync(translator, "pl", xliff.ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await ReportAsync(response);
        Assert.Equal("rejected", Outcome(report, (string)dpo.Attribute("id")!));
        Assert.Contains("The English has changed since this file was exported", Reason(report, (string)dpo.Attribute("id")!), StringComparison.Ordinal);
        Assert.Equal("accepted", Outcome(report, (string)first.Attribute("id")!));
        var draft = (await VersionsAsync(_portal, "privacy", "pl")).Last();
        Assert.DoesNotContain("Napisz do nas", draft.Body, StringComparison.Ordinal);
        // One paragraph is still to do, so the page stays stale.
        Assert.Equal("stale", await CellAsync(translator, "privacy/pl/standard"));
    }

    [Fact]
    public async Task ThePoExport_MarksStaleParagraphsFuzzy_AndItsImportChecksTheProtectedPiecesToo()
    {
        await MarkTranslatedAsync("privacy");
        await PublishEnglishChangeAsync("privacy", FirstPrivacyParagraph, "how we protect it and what your rights are");
        await PublishEnglishChangeAsync("privacy", DpoParagraph, "You can e-mail our Data Protection Officer at dpo@larchwood-homes.example.");
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        var po = await ExportAsync(translator, "pl", "po");
        Assert.Contains("\"Language: pl\\n\"", po, StringComparison.Ordinal);
        var entries = po.Split("\n\n").Where(e => e.Contains("msgctxt \"page:privacy:standard:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Contains("#, fuzzy", e, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("#| msgid", StringComparison.Ordinal) && e.Contains(FirstPrivacyParagraph, StringComparison.Ordinal));

        // Fill both: one keeps the address, the other changes it.
        string Filled(string entry, string translation) =>
            string.Join('\n', entry.Split('\n').Where(l => !l.StartsWith("#,", StringComparison.Ordinal) && !l.StartsWith("#|", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("msgstr", StringComparison.Ordinal)))
            + "\nmsgstr \"" + translation + "\"";
        var first = entries.Single(e => e.Contains("how we protect it", StringComparison.Ordinal));
        var dpo = entries.Single(e => e.Contains("e-mail our Data Protection Officer", StringComparison.Ordinal));
        var header = po.Split("\n\n")[0];
        var back = header + "\n\n" + Filled(first, "Wyjaśniamy, jak chronimy dane, także w [formularzu](/contact).") + "\n\n" + Filled(dpo, "Napisz do inspektora: iod@example.com.") + "\n";

        var response = await ImportAsync(translator, "pl", back, "back.po");
        var report = await ReportAsync(response);
        var firstId = first.Split('\n').Single(l => l.StartsWith("msgctxt", StringComparison.Ordinal))[9..^1];
        var dpoId = dpo.Split('\n').Single(l => l.StartsWith("msgctxt", StringComparison.Ordinal))[9..^1];
        Assert.True(Outcome(report, firstId) == "accepted", firstId + ": " + Outcome(report, firstId) + " " + Reason(report, firstId));
        Assert.Equal("rejected", Outcome(report, dpoId));
        Assert.Contains("dpo@larchwood-homes.example", Reason(report, dpoId), StringComparison.Ordinal);
        Assert.Contains("iod@example.com", Reason(report, dpoId), StringComparison.Ordinal);
        var draft = (await VersionsAsync(_portal, "privacy", "pl")).Last();
        Assert.Contains("Wyjaśniamy, jak chronimy dane, także w [formularzu](/contact).", draft.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("iod@example.com", draft.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranslatorsExchangeOnlyTheirLanguages_AndAFileThatIsNotOneIsRefusedWith400()
    {
        var translator = await Staff.SignedInWithLanguagesAsync(_portal, "pl", StaffRoles.Translator);
        Assert.Equal(HttpStatusCode.Forbidden, (await translator.Client.GetAsync($"{ExchangePath}?handler=export&culture=cy&format=xliff")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await translator.Client.GetAsync($"{ExchangePath}?handler=export&culture=pl&format=docx")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await translator.Client.GetAsync($"{ExchangePath}?handler=export&culture=en-GB&format=po")).StatusCode);
        var page = await Staff.DocumentAsync(await translator.Client.GetAsync(ExchangePath));
        Assert.Equal(["pl"], page.QuerySelectorAll("[data-exports] [data-language]").Select(r => r.GetAttribute("data-language")));

        var welsh = await ExportAsync(await Staff.SignedInAsync(_portal, StaffRoles.Editor), "cy", "xliff");
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(translator, "cy", welsh)).StatusCode);

        var wrongLanguage = await ImportAsync(translator, "pl", welsh);
        Assert.Equal(HttpStatusCode.BadRequest, wrongLanguage.StatusCode);
        Assert.Contains("for the language “cy”, not “pl”", (await ReportAsync(wrongLanguage)).QuerySelector("[data-problem]")!.TextContent, StringComparison.Ordinal);

        var notXml = await ImportAsync(translator, "pl", "<xliff version=\"2.0\"><file>", "broken.xlf");
        Assert.Equal(HttpStatusCode.BadRequest, notXml.StatusCode);
        Assert.Contains("not well-formed", (await ReportAsync(notXml)).QuerySelector("[data-problem]")!.TextContent, StringComparison.Ordinal);

        var entity = await ImportAsync(translator, "pl", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><xliff/>", "entity.xlf");
        Assert.Equal(HttpStatusCode.BadRequest, entity.StatusCode);
        Assert.DoesNotContain(_portal.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }
}

using Portal.Web.Localization;

namespace Portal.Web.Tests.Localization;

public sealed class PoCatalogTests
{
    private const string Polish = """
        # Polish
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=UTF-8\n"
        "Language: pl\n"
        "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

        #: Pages/Shared/_Layout.cshtml
        msgid "Exit this page"
        msgstr "Opuść tę stronę"

        msgctxt "button"
        msgid "Back"
        msgstr "Wstecz"

        msgid "Back"
        msgstr "Powrót"

        msgid "{0} helpline"
        msgid_plural "{0} helplines"
        msgstr[0] "{0} infolinia"
        msgstr[1] "{0} infolinie"
        msgstr[2] "{0} infolinii"

        #, fuzzy
        msgid "Open now"
        msgstr "Stara wersja"

        #, c-format, fuzzy
        msgctxt "status"
        msgid "Closed now"
        msgstr "Stara"

        msgid "Untranslated"
        msgstr ""

        msgid ""
        "A long "
        "message\twith \"quotes\"\n"
        msgstr ""
        "Długa "
        "wiadomość\tz \"cudzysłowem\"\n"

        #~ msgid "Obsolete"
        #~ msgstr "Przestarzałe"
        """;

    [Fact]
    public void Parse_ReadsHeadersContextsAndMultilineStrings()
    {
        var catalog = PoCatalog.Parse(Polish);

        Assert.Equal("pl", catalog.Headers["Language"]);
        Assert.Equal("Opuść tę stronę", catalog.Translate("Exit this page"));
        Assert.Equal("Wstecz", catalog.Translate("Back", "button"));
        Assert.Equal("Powrót", catalog.Translate("Back"));
        Assert.Equal("Długa wiadomość\tz \"cudzysłowem\"\n", catalog.Translate("A long message\twith \"quotes\"\n"));
    }

    [Fact]
    public void Parse_IgnoresFuzzyUntranslatedAndObsoleteEntries()
    {
        var catalog = PoCatalog.Parse(Polish);

        Assert.Null(catalog.Translate("Open now"));
        Assert.Null(catalog.Translate("Closed now", "status"));
        Assert.Null(catalog.Translate("Untranslated"));
        Assert.Null(catalog.Translate("Obsolete"));
    }

    [Theory]
    [InlineData(0, "0 infolinii")]
    [InlineData(1, "1 infolinia")]
    [InlineData(2, "2 infolinie")]
    [InlineData(3, "3 infolinie")]
    [InlineData(5, "5 infolinii")]
    [InlineData(11, "11 infolinii")]
    [InlineData(12, "12 infolinii")]
    [InlineData(22, "22 infolinie")]
    [InlineData(25, "25 infolinii")]
    [InlineData(100, "100 infolinii")]
    [InlineData(102, "102 infolinie")]
    public void TranslatePlural_Polish_ChoosesFormByRule(int n, string expected)
    {
        var catalog = PoCatalog.Parse(Polish);

        var form = catalog.TranslatePlural("{0} helpline", "{0} helplines", n)!;

        Assert.Equal(expected, string.Format(System.Globalization.CultureInfo.InvariantCulture, form, n));
    }

    // Welsh: 6 forms (zero, one, two, few=3, many=6, other).
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(5, 5)]
    [InlineData(6, 4)]
    [InlineData(11, 5)]
    [InlineData(22, 5)]
    [InlineData(100, 5)]
    public void PluralRule_Welsh(int n, int expected)
    {
        var rule = PluralRule.Parse("nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;");

        Assert.Equal(expected, rule.Select(n));
    }

    // Arabic: zero, one, two, few (3–10), many (11–99), other.
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(5, 3)]
    [InlineData(10, 3)]
    [InlineData(11, 4)]
    [InlineData(22, 4)]
    [InlineData(99, 4)]
    [InlineData(100, 5)]
    [InlineData(102, 5)]
    [InlineData(103, 3)]
    [InlineData(111, 4)]
    public void PluralRule_Arabic(int n, int expected)
    {
        var rule = PluralRule.Parse("nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;");

        Assert.Equal(expected, rule.Select(n));
    }

    [Theory]
    [InlineData("nplurals=2; plural=(n != 1;")]
    [InlineData("nplurals=2;")]
    [InlineData("plural=n!=1;")]
    [InlineData("nplurals=2; plural=n ! 1;")]
    public void PluralRule_MalformedHeader_Throws(string header)
    {
        Assert.Throws<FormatException>(() => PluralRule.Parse(header));
    }

    [Theory]
    [InlineData("msgid \"a\"\nmsgstr \"b", 2)]
    [InlineData("msgid \"a\"\nmsgstr \"b\\q\"", 2)]
    [InlineData("msgid \"a\"\nbogus \"b\"", 2)]
    [InlineData("\"orphan\"", 1)]
    public void Parse_Malformed_ThrowsNamingTheLine(string text, int line)
    {
        var e = Assert.Throws<FormatException>(() => PoCatalog.Parse(text, "ui.po"));

        Assert.Contains($"ui.po, line {line}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("cy")]
    [InlineData("ar")]
    [InlineData("ro")]
    [InlineData("ur")]
    public void ShippedCatalogue_HasItsLanguagesPluralRule(string culture)
    {
        var catalog = PoCatalog.Load(Path.Combine(Infrastructure.Repository.Root, "translations", culture, "ui.po"));
        var expectedForms = culture switch { "pl" => 3, "cy" => 6, "ar" => 6, "ro" => 3, _ => 2 };

        Assert.Equal(expectedForms, catalog.Plurals.Count);
        Assert.All(catalog.Entries.Where(e => e.PluralId is not null), e => Assert.Equal(expectedForms, e.Translations.Count));
    }
}

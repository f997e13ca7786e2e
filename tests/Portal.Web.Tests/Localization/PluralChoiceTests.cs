using System.Globalization;
using Portal.Web.Localization;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Localization;

/// <summary>
/// The plural form chosen for 0, 1, 2, 3, 5, 11, 22 and 100 by the Plural-Forms header of each shipped
/// ui.po, against the CLDR categories (gettext form order: pl one/few/many; cy zero/one/two/few/many/other;
/// ar zero/one/two/few/many/other).
/// </summary>
public sealed class PluralChoiceTests
{
    public static TheoryData<string, long, string> Expectations() => new()
    {
        { "pl", 0, "many" }, { "pl", 1, "one" }, { "pl", 2, "few" }, { "pl", 3, "few" },
        { "pl", 5, "many" }, { "pl", 11, "many" }, { "pl", 22, "few" }, { "pl", 100, "many" },
        { "cy", 0, "zero" }, { "cy", 1, "one" }, { "cy", 2, "two" }, { "cy", 3, "few" },
        { "cy", 5, "other" }, { "cy", 11, "other" }, { "cy", 22, "other" }, { "cy", 100, "other" },
        { "ar", 0, "zero" }, { "ar", 1, "one" }, { "ar", 2, "two" }, { "ar", 3, "few" },
        { "ar", 5, "few" }, { "ar", 11, "many" }, { "ar", 22, "many" }, { "ar", 100, "other" },
    };

    private static readonly Dictionary<string, string[]> Categories = new()
    {
        ["pl"] = ["one", "few", "many"],
        ["cy"] = ["zero", "one", "two", "few", "many", "other"],
        ["ar"] = ["zero", "one", "two", "few", "many", "other"],
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public void ShippedPluralForms_ChooseTheCldrCategory(string culture, long n, string category)
    {
        var document = PoDocument.Load(Path.Combine(Repository.Root, "translations", culture, "ui.po"));

        var index = document.Plurals.Select(n);

        Assert.Equal(Categories[culture].Length, document.Plurals.Count);
        Assert.Equal(category, Categories[culture][index]);
    }

    [Theory]
    [MemberData(nameof(Expectations))]
    public void EffectiveStrings_ShowTheShippedFormForTheNumber(string culture, long n, string category)
    {
        var translations = Path.Combine(Repository.Root, "translations");
        var strings = new UiStrings(UiBase.Load(translations, "en-GB", ["en-GB", culture]), [], ["en-GB", culture]);
        var entry = PoDocument.Load(Path.Combine(translations, culture, "ui.po")).Messages.Single(m => m.Id == "{0} helpline");

        var (text, found) = strings.Plural(culture, "{0} helpline", "{0} helplines", n);

        Assert.True(found);
        Assert.Equal(entry.Strings[Array.IndexOf(Categories[culture], category)], text);
    }

    [Theory]
    [InlineData(0, "{0} helplines")]
    [InlineData(1, "{0} helpline")]
    [InlineData(2, "{0} helplines")]
    [InlineData(100, "{0} helplines")]
    public void English_UsesSingularForOneOnly(long n, string expected)
    {
        var strings = new UiStrings(UiBase.Load(Path.Combine(Repository.Root, "translations"), "en-GB", ["en-GB"]), [], ["en-GB"]);

        Assert.Equal(expected, strings.Plural("en-GB", "{0} helpline", "{0} helplines", n).Text);
    }

    [Fact]
    public void Examples_ListTheFirstNumbersOfEachForm()
    {
        var welsh = PoDocument.Load(Path.Combine(Repository.Root, "translations", "cy", "ui.po")).Plurals;

        var examples = UiStrings.Examples(welsh).Select(e => string.Join(",", e.Select(n => n.ToString(CultureInfo.InvariantCulture))));

        Assert.Equal(["0", "1", "2", "3", "6", "4,5,7,8,9,10"], examples);
        Assert.Equal([1, 1, 1, 1, 1, 196], UiStrings.FormUse(welsh));
    }
}

using System.Text.RegularExpressions;
using Portal.Web.Localization;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Localization;

/// <summary>
/// Reads every S["…"] and S.Plural(n, "…", "…") in the site's views and page models, and fails if
/// a language's ui.po lacks a current (non-fuzzy) translation of any of them.
/// </summary>
public sealed partial class UiStringCoverageTests
{
    public static IEnumerable<object[]> TranslatedCultures() =>
        Site.Languages.Where(l => l != "en-GB").Select(l => new object[] { l });

    internal static (HashSet<string> Singular, HashSet<(string, string)> Plural) UsedStrings()
    {
        var singular = new HashSet<string>(StringComparer.Ordinal);
        var plural = new HashSet<(string, string)>();
        var source = Path.Combine(Repository.Root, "src", "Portal.Web");
        var files = Directory.GetFiles(source, "*.cshtml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match m in Lookup().Matches(text))
            {
                singular.Add(Regex.Unescape(m.Groups[1].Value));
            }

            foreach (Match m in PluralLookup().Matches(text))
            {
                plural.Add((Regex.Unescape(m.Groups[1].Value), Regex.Unescape(m.Groups[2].Value)));
            }
        }

        // Messages the form's checks return, shown through S[...] by the page.
        var intake = Directory.GetFiles(Path.Combine(Repository.Root, "src", "Portal.Intake", "Form"), "*.cs")
            .Append(Path.Combine(source, "Pages", "Contact", "Index.cshtml.cs"));
        foreach (var file in intake)
        {
            var text = File.ReadAllText(file);
            foreach (Match m in Message().Matches(text))
            {
                singular.Add(Regex.Unescape(m.Groups[1].Value));
            }
        }

        return (singular, plural);
    }

    [Fact]
    public void Views_UseFormMessages()
    {
        var (singular, _) = UsedStrings();

        Assert.Contains("Enter a phone number we can use", singular);
        Assert.Contains("This answer must be {0} characters or fewer", singular);
        Assert.Contains(Portal.Intake.Form.ContactForm.UnrecognisedProblem, singular);
        Assert.Contains("Please take a moment to check your answers, then send the form again.", singular);
    }

    [Fact]
    public void Views_UseStrings()
    {
        var (singular, plural) = UsedStrings();

        // Guards the scanner itself: if it found nothing, the coverage test below would pass vacuously.
        Assert.Contains("Exit this page", singular);
        Assert.Contains("Skip to main content", singular);
        Assert.Contains(("{0} helpline", "{0} helplines"), plural);
        Assert.True(singular.Count > 40, $"found only {singular.Count} strings");
    }

    [Theory]
    [MemberData(nameof(TranslatedCultures))]
    public void Catalogue_TranslatesEveryStringTheViewsUse(string culture)
    {
        var catalog = PoCatalog.Load(Path.Combine(Repository.Root, "translations", culture, "ui.po"));
        var (singular, plural) = UsedStrings();

        var missing = singular.Where(s => catalog.Translate(s) is null)
            .Concat(plural.Where(p => catalog.TranslatePlural(p.Item1, p.Item2, 1) is null).Select(p => p.Item1))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, $"{culture}/ui.po lacks:\n" + string.Join("\n", missing));
    }

    [Theory]
    [MemberData(nameof(TranslatedCultures))]
    public void Catalogue_KeepsFormatPlaceholders(string culture)
    {
        var catalog = PoCatalog.Load(Path.Combine(Repository.Root, "translations", culture, "ui.po"));

        foreach (var entry in catalog.Entries)
        {
            var expected = Placeholder().Matches(entry.Id).Select(m => m.Value).Order().ToList();
            foreach (var translation in entry.Translations)
            {
                var actual = Placeholder().Matches(translation).Select(m => m.Value).Distinct().Order().ToList();
                Assert.True(expected.Distinct().SequenceEqual(actual) || (entry.PluralId is not null && actual.Count == 0),
                    $"{culture}: '{translation}' does not keep the placeholders of '{entry.Id}'");
            }
        }
    }

    [GeneratedRegex("""\bS\[\s*"((?:[^"\\]|\\.)*)"\s*[\],]""")]
    private static partial Regex Lookup();

    [GeneratedRegex("""\bS\.Plural\(\s*[^,]+,\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*\)""")]
    private static partial Regex PluralLookup();

    [GeneratedRegex(@"(?:new FieldError\([^,]+,|ShowAgain\(|Problem\s*=|Require\([^,]+,|const string Bad =)\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Message();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}

using System.Xml.Linq;
using Portal.Web.Translation.Exchange;

namespace Portal.Web.Tests.Translation;

/// <summary>What a translator may not change in a paragraph, and the checks on what comes back.</summary>
public sealed class ProtectedTextTests
{
    private static readonly XNamespace X = XliffFormat.Namespace;

    [Fact]
    public void PhoneNumbersAddressesPhoneLinksAndFences_ArePlaceholders_WhileLinkWordsStayTranslatable()
    {
        const string text = "::: emergency\nCall [999](tel:999) or 0808 2000 247, e-mail help@example.org, read <https://example.org/a> or [our helplines page](/services).\n:::";
        var parts = ProtectedText.Parse(text);

        Assert.Equal(text, ProtectedText.Join(parts));
        var placeholders = ProtectedText.Flatten(parts).OfType<PlaceholderPart>().Select(p => (p.Kind, p.Data)).ToList();
        Assert.Equal(
            [("fence", "::: emergency"), ("link", "[999](tel:999)"), ("phone", "0808 2000 247"), ("address", "help@example.org"), ("address", "<https://example.org/a>"), ("fence", ":::")],
            placeholders);
        var link = Assert.Single(ProtectedText.Flatten(parts).OfType<LinkPart>());
        Assert.Equal(("[", "](/services)"), (link.Start, link.End));
        Assert.Equal("our helplines page", ProtectedText.Join(link.Inner));
    }

    [Fact]
    public void APhoneNumberInsideLinkWords_IsProtectedToo_AndPicturesKeepTheirName()
    {
        var parts = ProtectedText.Parse("![A mobile phone](picture:phone) Ring [the line on 0800 123 456](https://example.org/line).");
        var links = ProtectedText.Flatten(parts).OfType<LinkPart>().ToList();
        Assert.Equal(["image", "link"], links.Select(l => l.Kind));
        Assert.Equal("](picture:phone)", links[0].End);
        Assert.Equal("0800 123 456", Assert.Single(links[1].Inner.OfType<PlaceholderPart>()).Data);
    }

    [Theory]
    [InlineData("Zadzwoń pod [999](tel:999) lub 0808 2000 247.", true)]
    [InlineData("Zadzwoń lub 0808 2000 247.", false)]                      // a phone link left out
    [InlineData("Zadzwoń pod [999](tel:999) lub 0808 2000 248.", false)]   // a number changed
    [InlineData("Zadzwoń pod [999](tel:999), [999](tel:999) lub 0808 2000 247.", false)] // repeated
    [InlineData("Zadzwoń pod [999](tel:999) lub 0808 2000 247 albo 0800 111 222.", false)] // added
    [InlineData("Zadzwoń pod [999](tel:112) lub 0808 2000 247.", false)]   // the address of a link changed
    public void ATranslation_MustCarryExactlyTheProtectedPiecesOfTheEnglish(string translation, bool ok)
    {
        var problems = ProtectedText.CompareProtected("Call [999](tel:999) or 0808 2000 247.", translation);
        Assert.Equal(ok, problems.Count == 0);
    }

    [Fact]
    public void AnXliffUnit_RoundTrips_AndAReorderedPlaceholderIsFine_ButAMissingOneIsNot()
    {
        const string source = "For help call [0808 2000 247](tel:08082000247), or see [our helplines page](/services).";
        var unit = new ExchangeUnit("page:home:standard:b3", "Page home, paragraph 3", source, UnitReasons.Missing, null, null);
        var document = XDocument.Parse(XliffFormat.Write([unit], "en-GB", "pl", false));
        var element = document.Descendants(X + "unit").Single();
        var segment = element.Element(X + "segment")!;
        var sourceElement = segment.Element(X + "source")!;
        var ph = sourceElement.Element(X + "ph")!;
        var pc = sourceElement.Element(X + "pc")!;
        Assert.Equal("our helplines page", pc.Value);

        // The translator moves the link before the number: allowed.
        segment.Add(new XElement(X + "target", "Zobacz ", new XElement(pc.Name, pc.Attributes(), "naszą stronę"), " albo dzwoń ", new XElement(ph), "."));
        var returned = XliffFormat.Check(element, source);
        Assert.Null(returned.Problem);
        Assert.Equal("Zobacz [naszą stronę](/services) albo dzwoń [0808 2000 247](tel:08082000247).", returned.TargetText);

        segment.Element(X + "target")!.Element(X + "ph")!.Remove();
        var missing = XliffFormat.Check(element, source);
        Assert.Null(missing.TargetText);
        Assert.Contains("leaves out “0808 2000 247”", missing.Problem, StringComparison.Ordinal);

        // The same file against an English that has changed since.
        var outdated = XliffFormat.Check(element, source.Replace("For help", "For free help", StringComparison.Ordinal));
        Assert.Contains("The English has changed", outdated.Problem, StringComparison.Ordinal);
    }
}

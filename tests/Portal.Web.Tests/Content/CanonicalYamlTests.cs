using Portal.Web.Content;

namespace Portal.Web.Tests.Content;

public sealed class CanonicalYamlTests
{
    [Fact]
    public void Write_SortsKeysAndWritesBlockSequences()
    {
        var yaml = CanonicalYaml.Write(new Dictionary<string, object?>
        {
            ["zeta"] = "last",
            ["alpha"] = new List<object> { "x", "z" },
            ["empty"] = new List<object>(),
            ["skipped"] = null,
            ["nested"] = new Dictionary<string, object?> { ["b"] = 2, ["a"] = true },
            ["items"] = new List<object> { new Dictionary<string, object?> { ["k"] = "v", ["j"] = new List<object> { "mon" } } },
        });

        Assert.Equal("alpha:\n- x\n- z\nempty: []\nitems:\n- j:\n  - mon\n  k: v\nnested:\n  a: true\n  b: 2\nzeta: last\n", yaml);
    }

    [Theory]
    [InlineData("plain words", "plain words")]
    [InlineData("09:00", "\"09:00\"")]
    [InlineData("0808 2000 247", "\"0808 2000 247\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("Our policy: easy read", "\"Our policy: easy read\"")]
    [InlineData("say \"hi\"", "say \"hi\"")]
    [InlineData("- dash", "\"- dash\"")]
    [InlineData("", "\"\"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    [InlineData("Cymraeg – Polski", "Cymraeg – Polski")]
    [InlineData("اردو", "اردو")]
    [InlineData("https://www.bbc.co.uk/weather", "https://www.bbc.co.uk/weather")]
    public void Scalar_QuotesOnlyWhereNeeded(string value, string expected)
    {
        Assert.Equal(expected, CanonicalYaml.Scalar(value));
    }

    [Theory]
    [InlineData("09:00")]
    [InlineData("0808 2000 247")]
    [InlineData("Our policy: easy read")]
    [InlineData("no")]
    [InlineData("tab\there \"and\" back\\slash")]
    [InlineData("# not a comment")]
    public void Scalar_ReadsBackAsTheSameString(string value)
    {
        var yaml = CanonicalYaml.Write(new Dictionary<string, object?> { ["title"] = value });

        var parsed = ContentText.ParseYaml<FrontMatter>(yaml, "test");

        Assert.Equal(value, parsed.Title);
    }
}

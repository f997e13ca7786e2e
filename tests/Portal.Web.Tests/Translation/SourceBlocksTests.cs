using Portal.Web.Translation;

namespace Portal.Web.Tests.Translation;

public sealed class SourceBlocksTests
{
    private const string Version1 = """
        # Our policy

        We will contact you within one working day.

        Call us on 0800 000 0000.

        - one
        - two

        ::: emergency
        In danger now? Call 999.
        :::
        """;

    [Fact]
    public void Split_GivesOneEntryPerTopLevelBlock()
    {
        var blocks = SourceBlocks.Split(Version1);

        Assert.Equal(5, blocks.Count);
        Assert.Equal("# Our policy", blocks[0]);
        Assert.Equal("- one\n- two", blocks[3]);
        Assert.StartsWith("::: emergency", blocks[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_IgnoresWhitespaceAndUnicodeComposition()
    {
        Assert.Equal(SourceBlocks.Hash("Cymraeg  a\n Saesneg "), SourceBlocks.Hash("Cymraeg a Saesneg"));
        Assert.Equal(SourceBlocks.Hash("caf\u00e9"), SourceBlocks.Hash("cafe\u0301"));
        Assert.NotEqual(SourceBlocks.Hash("0800 000 0000"), SourceBlocks.Hash("0800 000 0001"));
    }

    [Fact]
    public void Ids_StayWithTheirBlocks_WhenBlocksAreAddedRemovedAndEditedInPlace()
    {
        var first = SourceBlocks.Track(Version1, []);
        Assert.Equal(["b1", "b2", "b3", "b4", "b5"], first.Select(b => b.Id));

        // A paragraph added at the top, the phone number changed in place, the list removed.
        var version2 = """
            # Our policy

            This page was updated in November.

            We will contact you within one working day.

            Call us on 0800 111 1111.

            ::: emergency
            In danger now? Call 999.
            :::
            """;
        var second = SourceBlocks.Track(version2, first);

        Assert.Equal(["b1", "b6", "b2", "b3", "b5"], second.Select(b => b.Id));
        Assert.Equal(first[2].Id, second[3].Id);
        Assert.NotEqual(first[2].Hash, second[3].Hash);
        Assert.Equal(first[1].Hash, second[2].Hash);
    }

    [Fact]
    public void Stale_IsWhereTheSourceMovedOnSinceTheTranslationWasMade()
    {
        var first = SourceBlocks.Track(Version1, []);
        var madeFrom = first.ToDictionary(b => b.Id, b => b.Hash);
        Assert.Empty(SourceBlocks.Stale(first, madeFrom));

        var second = SourceBlocks.Track(Version1.Replace("0800 000 0000", "0800 111 1111", StringComparison.Ordinal) + "\n\nA new closing paragraph.\n", first);
        var stale = SourceBlocks.Stale(second, madeFrom);

        Assert.Equal(["b3", "b6"], stale.Select(b => b.Id));

        // Re-wrapping a paragraph is not a change.
        var rewrapped = SourceBlocks.Track(Version1.Replace("within one working day.", "within one\nworking day.", StringComparison.Ordinal), first);
        Assert.Empty(SourceBlocks.Stale(rewrapped, madeFrom));
    }
}

using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Content;

public sealed class RoundTripTests
{
    private static readonly string[] ContentFolders = ["content", "translations"];

    internal static async Task<PortalDb> ImportedDatabaseAsync(string root, string dbPath)
    {
        var options = new DbContextOptionsBuilder<PortalDb>().UseSqlite($"Data Source={dbPath}").Options;
        var db = new PortalDb(options);
        await db.Database.EnsureCreatedAsync();
        await ContentImport.ImportAsync(db, Path.Combine(root, "content"), Path.Combine(root, "translations"), DateTimeOffset.UnixEpoch);
        return db;
    }

    [Fact]
    public async Task ImportThenExport_ReproducesEveryFileByteForByte()
    {
        var dir = Directory.CreateTempSubdirectory("daportal-roundtrip-").FullName;
        await using var db = await ImportedDatabaseAsync(Repository.Root, Path.Combine(dir, "portal.db"));
        var output = Path.Combine(dir, "export");

        var written = await ContentExport.ExportAsync(db, output, Path.Combine(Repository.Root, "translations"));

        // ui.pot is made from the code (scripts/update-pot), not exported.
        var sourceFiles = ContentFolders
            .SelectMany(static folder => Directory.GetFiles(Path.Combine(Repository.Root, folder), "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.EndsWith("/ui.pot", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(sourceFiles, written);
        Assert.True(written.Count > 100, $"only {written.Count} files");
        foreach (var file in written)
        {
            var expected = await File.ReadAllBytesAsync(Path.Combine(Repository.Root, file));
            var actual = await File.ReadAllBytesAsync(Path.Combine(output, file));
            Assert.True(expected.SequenceEqual(actual), $"{file} differs after import and export");
        }
    }

    [Fact]
    public async Task Export_IsCanonical_LfUtf8WithoutBomSortedKeys()
    {
        var dir = Directory.CreateTempSubdirectory("daportal-canonical-").FullName;
        await using var db = await ImportedDatabaseAsync(Repository.Root, Path.Combine(dir, "portal.db"));
        var output = Path.Combine(dir, "export");

        foreach (var file in await ContentExport.ExportAsync(db, output, Path.Combine(Repository.Root, "translations")))
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(output, file));
            Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), $"{file} has a BOM");
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'\n', bytes[^1]);
            Assert.NotEqual((byte)'\n', bytes[^2]);
        }
    }

    [Fact]
    public async Task Import_IntoDatabaseWithContent_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("daportal-twice-").FullName;
        await using var db = await ImportedDatabaseAsync(Repository.Root, Path.Combine(dir, "portal.db"));

        var e = await Assert.ThrowsAsync<ContentException>(() =>
            ContentImport.ImportAsync(db, Path.Combine(Repository.Root, "content"), Path.Combine(Repository.Root, "translations"), DateTimeOffset.UnixEpoch));

        Assert.Contains("already holds content", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("content/pages/policy/document.yaml", "layout: document\n", "layout: poster\n", "layout 'poster'")]
    [InlineData("content/pages/policy/document.yaml", "toc: true\n", "toc: true\ncolour: red\n", "colour")]
    [InlineData("content/helplines/samaritans.yaml", "- everyone\n", "- cats\n", "audiences")]
    [InlineData("content/helplines/respect-phoneline.yaml", "opens: \"09:00\"", "opens: \"9am\"", "'9am' is not a time")]
    [InlineData("translations/pl/pages/privacy.md", "state: machine-draft\n", "", "state")]
    [InlineData("content/site.yaml", "tag: ur\n", "tag: xx-Nope\n", "no culture data for 'xx-Nope'")]
    [InlineData("content/site.yaml", "tag: ur\n", "tag: Urdu language\n", "not a language tag")]
    [InlineData("content/site.yaml", "url: https://www.bbc.co.uk/weather\n", "url: javascript:alert(1)\n", "quick_exit.url")]
    [InlineData("content/pictures/phone.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><script>alert(1)</script>", "<script> is not allowed")]
    public async Task Import_InvalidFile_FailsNamingFileAndProblemAndWritesNothing(string file, string find, string replace, string expected)
    {
        var root = Repository.CopyContent();
        var path = Path.Combine(root, file);
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text.Replace(find, replace, StringComparison.Ordinal));
        var dbPath = Path.Combine(root, "portal.db");
        var options = new DbContextOptionsBuilder<PortalDb>().UseSqlite($"Data Source={dbPath}").Options;
        await using var db = new PortalDb(options);
        await db.Database.EnsureCreatedAsync();

        var e = await Assert.ThrowsAsync<ContentException>(() =>
            ContentImport.ImportAsync(db, Path.Combine(root, "content"), Path.Combine(root, "translations"), DateTimeOffset.UnixEpoch));

        Assert.Contains(Path.GetFileName(file), e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), e.Message);
        Assert.False(await db.Documents.AnyAsync());
        Assert.False(await db.Settings.AnyAsync());
    }
}

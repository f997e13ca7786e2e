using System.Text;
using Portal.Intake.Receiver;
using Portal.Intake.Tests.Sealing;

namespace Portal.Intake.Tests.Delivery;

public class CaseStoreTests
{
    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("0F8FAD5B-D9CB-469F-A165-70867728950E")]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJek")]
    [InlineData("a")]
    [InlineData("-")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void IsValidId_SafeTokens(string id)
    {
        Assert.True(CaseStore.IsValidId(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("x/..")]
    [InlineData("a\\b")]
    [InlineData("x.json")]
    [InlineData(" 0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e ")]
    [InlineData("{0f8fad5b-d9cb-469f-a165-70867728950e}")]
    [InlineData("a\0b")]
    [InlineData("é")]
    [InlineData("ａ")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void IsValidId_RefusesEverythingElse(string? id)
    {
        Assert.False(CaseStore.IsValidId(id));
    }

    [Fact]
    public void TryAdd_SameIdTwice_KeepsTheFirst()
    {
        using var directory = new TempDirectory();
        var store = new CaseStore(directory.File("store"));

        Assert.True(store.TryAdd("case-1", CaseStore.OpenedExtension, "first"u8));
        Assert.False(store.TryAdd("case-1", CaseStore.OpenedExtension, "second"u8));

        Assert.True(store.Contains("case-1"));
        Assert.Equal("first", File.ReadAllText(store.PathFor("case-1", CaseStore.OpenedExtension)));
        Assert.Equal([store.PathFor("case-1", CaseStore.OpenedExtension)], Directory.GetFiles(store.CasesDirectory));
    }

    [Fact]
    public void Contains_SeesSealedAndOpenedCases()
    {
        using var directory = new TempDirectory();
        var store = new CaseStore(directory.File("store"));

        store.TryAdd("sealed", CaseStore.SealedExtension, "a.b.c.d.e"u8);

        Assert.True(store.Contains("sealed"));
        Assert.False(store.Contains("other"));
    }

    [Fact]
    public void Open_RemovesInterruptedWrites_KeepsCases()
    {
        using var directory = new TempDirectory();
        var first = new CaseStore(directory.File("store"));
        first.TryAdd("kept", CaseStore.OpenedExtension, "{}"u8);
        var leftover = Path.Combine(first.CasesDirectory, ".half-written.0123456789abcdef.tmp");
        File.WriteAllText(leftover, "{\"na");

        var reopened = new CaseStore(directory.File("store"));

        Assert.False(File.Exists(leftover));
        Assert.True(reopened.Contains("kept"));
    }

    [Fact]
    public void PathFor_UnsafeId_Throws()
    {
        using var directory = new TempDirectory();
        var store = new CaseStore(directory.File("store"));

        Assert.Throws<ArgumentException>(() => store.PathFor("../x", CaseStore.OpenedExtension));
        Assert.Throws<ArgumentException>(() => store.TryAdd("../x", CaseStore.OpenedExtension, "{}"u8));
    }

    [Fact]
    public void TryAdd_DirectoryGone_ThrowsIOException_LeavesNothing()
    {
        using var directory = new TempDirectory();
        var store = new CaseStore(directory.File("store"));
        Directory.Delete(store.CasesDirectory);

        Assert.ThrowsAny<IOException>(() => store.TryAdd("case-1", CaseStore.OpenedExtension, Encoding.UTF8.GetBytes("{}")));
        Assert.False(Directory.Exists(store.CasesDirectory));
    }

    [Fact]
    public void Store_IsOwnerOnly()
    {
        using var directory = new TempDirectory();
        var store = new CaseStore(directory.File("store"));
        store.TryAdd("case-1", CaseStore.OpenedExtension, "{}"u8);

        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.CasesDirectory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PathFor("case-1", CaseStore.OpenedExtension)));
        }
    }

    [Fact]
    public void FlushFolder_FlushesADirectory_AndReportsAMissingOne()
    {
        using var directory = new TempDirectory();

        Portal.Intake.Delivery.DurableFile.FlushFolder(directory.Path);

        if (OperatingSystem.IsLinux())
        {
            Assert.Throws<IOException>(() => Portal.Intake.Delivery.DurableFile.FlushFolder(directory.File("missing")));
        }
    }
}

using System.Text;
using Portal.Intake.Sealing;

namespace Portal.Intake.Tests.Sealing;

/// <summary>Tests that redirect the process-wide Console run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection
{
    /// <summary>Runs an Intake command in-process and returns its exit code and what it wrote.</summary>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await IntakeProgram.Main(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}

/// <summary>The keygen and open commands, run in-process with Console redirected.</summary>
[Collection(nameof(ConsoleCollection))]
public class IntakeProgramTests
{
    private static Task<(int Exit, string Out, string Error)> Run(params string[] args) => ConsoleCollection.RunAsync(args);

    [Fact]
    public async Task Keygen_WritesBothFiles_PrivateOwnerOnly()
    {
        using var dir = new TempDirectory();

        var (exit, stdout, stderr) = await Run("keygen", "--out", dir.Path, "--bits", "2048");

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.True(File.Exists(dir.File("case-system-private.pem")));
        Assert.True(File.Exists(dir.File("case-system-public.pem")));
        using var publicKey = CaseSystemKeys.LoadPublicKey(dir.File("case-system-public.pem"));
        Assert.Contains(dir.File("case-system-private.pem"), stdout, StringComparison.Ordinal);
        Assert.Contains(dir.File("case-system-public.pem"), stdout, StringComparison.Ordinal);
        Assert.Contains(ReportSealer.ComputeKeyId(publicKey), stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", stdout, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("case-system-private.pem")));
        }
    }

    [Fact]
    public async Task Keygen_Twice_ExitsTwoWithOneLine()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run("keygen", "--out", dir.Path, "--bits", "2048")).Exit);

        var (exit, stdout, stderr) = await Run("keygen", "--out", dir.Path, "--bits", "2048");

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("already exists", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("keygen")]
    [InlineData("keygen", "--out")]
    [InlineData("keygen", "--out", "x", "--bits", "many")]
    [InlineData("keygen", "--out", "x", "--colour", "red")]
    [InlineData("open")]
    [InlineData("open", "file.jwe")]
    public async Task Command_BadArguments_ExitsTwo(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task Open_SealedFile_PrintsTheJsonOnly()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Run("keygen", "--out", dir.Path, "--bits", "2048")).Exit);
        const string json = """{"name":"Ann","message":"Dim ond ar ôl 6yh, os gwelwch yn dda"}""";
        using var publicKey = CaseSystemKeys.LoadPublicKey(dir.File("case-system-public.pem"));
        File.WriteAllText(dir.File("report.jwe"), "\n  " + new ReportSealer(publicKey).Seal(Encoding.UTF8.GetBytes(json)) + "  \n");

        var (exit, stdout, stderr) = await Run("open", dir.File("report.jwe"), "--key", dir.File("case-system-private.pem"));

        Assert.Equal(0, exit);
        Assert.Equal(json, stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Open_WrongKey_ExitsTwoAndPrintsNothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("report.jwe"), new ReportSealer(TestKeys.Shared).Seal("""{"a":1}"""u8));
        File.WriteAllText(dir.File("other.pem"), TestKeys.Other.ExportPkcs8PrivateKeyPem());

        var (exit, stdout, stderr) = await Run("open", dir.File("report.jwe"), "--key", dir.File("other.pem"));

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("PRIVATE KEY", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_NotAJwe_ExitsTwo()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("report.jwe"), "hello");
        File.WriteAllText(dir.File("key.pem"), TestKeys.Shared.ExportPkcs8PrivateKeyPem());

        var (exit, stdout, _) = await Run("open", dir.File("report.jwe"), "--key", dir.File("key.pem"));

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
    }

    [Theory]
    [InlineData]
    [InlineData("help")]
    public async Task Help_PrintsUsage(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);

        Assert.Equal(0, exit);
        Assert.Contains("keygen --out DIR", stdout, StringComparison.Ordinal);
        Assert.Contains("open FILE --key", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task UnknownCommand_PrintsUsageToStderrAndExitsTwo()
    {
        var (exit, stdout, stderr) = await Run("frobnicate");

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }
}

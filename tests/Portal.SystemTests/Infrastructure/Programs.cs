using System.Reflection;

namespace Portal.SystemTests.Infrastructure;

/// <summary>Where the built programs are: each project's own output folder, same configuration as these tests.</summary>
public static class Programs
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(Programs).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Web => Output("src/Portal.Web", "Portal.Web.dll");

    public static string Intake => Output("src/Portal.Intake", "Portal.Intake.dll");

    private static string Output(string project, string dll)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution first (scripts/test does).");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DaPortal.sln not found above " + AppContext.BaseDirectory);
    }
}

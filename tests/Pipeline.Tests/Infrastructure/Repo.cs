namespace Pipeline.Tests.Infrastructure;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the silos and gateway under test come from the same build as the tests.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    public static string SqlDirectory => Path.Combine(Root, "sql");

    public static string TestSiloDll => BuildOutput("tests/TestSilo", "TestSilo.dll");

    public static string GatewayDll => BuildOutput("ApiGateway", "ApiGateway.dll");

    private static string BuildOutput(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution first (scripts/test.sh does).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find Pipeline.sln above " + AppContext.BaseDirectory);
    }
}

namespace PostfixConfig.Tests.Support;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PostfixConfig.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PostfixConfig.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Examples => Path.Combine(Root, "examples");

    public static string Templates => Path.Combine(Root, "templates");

    /// <summary>The test project's own folder (golden cases live here, not in bin/).</summary>
    public static string TestProject => Path.Combine(Root, "tests", "PostfixConfig.Tests");

    public static string Data => Path.Combine(TestProject, "Data");
}

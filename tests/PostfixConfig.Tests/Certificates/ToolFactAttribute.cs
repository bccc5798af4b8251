namespace PostfixConfig.Tests.Certificates;

/// <summary>Finds command-line tools (openssl, tlsa, ldns-dane, systemd-analyze) on PATH.</summary>
internal static class Tools
{
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/sbin"]))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    public static string? SkipReason(string[] tools)
    {
        var missing = tools.Where(t => Find(t) is null).ToList();
        return missing.Count == 0 || Support.PostfixTools.IsCi
            ? null
            : $"{string.Join(", ", missing)} not installed here (.ci/run installs it); with CI set this test fails instead of skipping.";
    }

    public static string Require(string name) =>
        Find(name) ?? throw new InvalidOperationException($"{name} is not installed (see .ci/run)");
}

/// <summary>A fact that needs command-line tools: skipped where one is missing, unless CI is set (then it fails).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        if (Tools.SkipReason(tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs command-line tools (see <see cref="ToolFactAttribute"/>).</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        if (Tools.SkipReason(tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

using System.Security.Cryptography;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// The releases to judge with. <c>POSTFIX_RELEASE_DIRS</c> (colon-separated build trees) names exactly
/// those; without it, the trees that <c>tools/postfix-releases/build.sh</c> built from the tarballs in
/// <c>POSTFIX_SRC_DIR</c> (default <c>../shared/postfix-src</c> next to the checkout) into
/// <c>POSTFIX_BUILD_CACHE</c> (default /var/cache/postfixconfig/postfix-builds, one folder per tarball
/// named by its sha256), plus Debian's installed Postfix.
/// </summary>
internal static class Releases
{
    public const string DefaultCache = "/var/cache/postfixconfig/postfix-builds";

    private static readonly Lazy<(IReadOnlyList<ReleaseTree> Found, IReadOnlyList<string> Missing)> Discovered =
        new(DiscoverHere);

    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The releases found, oldest first.</summary>
    public static IReadOnlyList<ReleaseTree> Found => Discovered.Value.Found;

    /// <summary>What should be there and is not (a tarball not built, a named tree without postconf, no root, ...).</summary>
    public static IReadOnlyList<string> Missing => Discovered.Value.Missing;

    /// <summary>Why the release tests skip here (never in CI, where they fail instead), or null when they run.</summary>
    public static string? SkipReason => IsCi || (EnvironmentMissing.Count == 0 && Found.Count > 0)
        ? null
        : "The release tests need root, the postfix user, openssl and built releases (tools/postfix-releases/build.sh); missing: "
          + string.Join("; ", EnvironmentMissing.Concat(Missing)) + ". With CI set they fail instead of skipping.";

    /// <summary>Root, the postfix account, openssl: what every scratch instance needs.</summary>
    public static IReadOnlyList<string> EnvironmentMissing { get; } = FindEnvironmentMissing();

    /// <summary>Fails the test when the environment lacks what a scratch instance needs.</summary>
    public static void RequireEnvironment() =>
        Assert.True(EnvironmentMissing.Count == 0, "The release tests cannot run here: missing " + string.Join(", ", EnvironmentMissing));

    /// <summary>The repository root (the folder with PostfixConfig.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static (IReadOnlyList<ReleaseTree>, IReadOnlyList<string>) DiscoverHere() =>
        Discover(Environment.GetEnvironmentVariable, RepoRoot, ReleaseTree.Installed);

    /// <summary>
    /// The releases that <paramref name="environment"/> names (<c>POSTFIX_RELEASE_DIRS</c>: exactly those
    /// trees), or else the cache's builds of the tarballs plus the installed package (<paramref name="installed"/>,
    /// <see cref="ReleaseTree.Installed"/> in the suite), oldest first, and what is missing.
    /// </summary>
    internal static (IReadOnlyList<ReleaseTree> Found, IReadOnlyList<string> Missing) Discover(Func<string, string?> environment, string repoRoot, string installed)
    {
        var found = new List<ReleaseTree>();
        var missing = new List<string>();
        if (environment("POSTFIX_RELEASE_DIRS") is { Length: > 0 } dirs)
        {
            foreach (var dir in dirs.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                if (ReleaseTree.IsBuildTree(dir))
                {
                    found.Add(ReleaseTree.FromRoot(Path.GetFullPath(dir)));
                }
                else
                {
                    missing.Add($"{dir} (from POSTFIX_RELEASE_DIRS) has no bin/postconf, libexec/master and conf/");
                }
            }
        }
        else
        {
            var sources = environment("POSTFIX_SRC_DIR") is { Length: > 0 } s
                ? s
                : Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "postfix-src"));
            var cache = environment("POSTFIX_BUILD_CACHE") is { Length: > 0 } c ? c : DefaultCache;
            var tarballs = Directory.Exists(sources) ? Directory.GetFiles(sources, "postfix-*.tar.gz") : [];
            if (tarballs.Length == 0)
            {
                missing.Add($"no postfix-*.tar.gz in {sources} (set POSTFIX_SRC_DIR or POSTFIX_RELEASE_DIRS)");
            }

            foreach (var tarball in tarballs.Order(StringComparer.Ordinal))
            {
                var tree = Path.Combine(cache, Sha256(tarball));
                if (ReleaseTree.IsBuildTree(tree))
                {
                    found.Add(ReleaseTree.FromRoot(tree));
                }
                else
                {
                    missing.Add($"{Path.GetFileName(tarball)} is not built in {cache} (run tools/postfix-releases/build.sh)");
                }
            }

            var package = ReleaseTree.FromRoot(installed);
            if (File.Exists(package.Postconf) && File.Exists(package.Master))
            {
                found.Add(package);
            }
            else
            {
                missing.Add("Debian's postfix package (apt-get install postfix)");
            }
        }

        return ([.. found.OrderBy(t => t.Version)], missing);
    }

    private static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static List<string> FindEnvironmentMissing()
    {
        var missing = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            missing.Add("Linux");
            return missing;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            missing.Add("root");
        }

        if (!File.Exists(OpenSslClient.Program))
        {
            missing.Add(OpenSslClient.Program);
        }

        if (!File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postfix:", StringComparison.Ordinal)))
        {
            missing.Add("the postfix user");
        }

        return missing;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PostfixConfig.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PostfixConfig.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A theory over the releases (see <see cref="Releases.SkipReason"/>).</summary>
public sealed class ReleaseTheoryAttribute : TheoryAttribute
{
    public ReleaseTheoryAttribute()
    {
        if (Releases.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// A fact about the release matrix as a whole: outside CI it skips while releases are missing (with
/// what is missing as the reason); in CI it runs and fails.
/// </summary>
public sealed class ReleaseMatrixFactAttribute : FactAttribute
{
    public ReleaseMatrixFactAttribute()
    {
        if (Releases.SkipReason is { } reason)
        {
            Skip = reason;
        }
        else if (!Releases.IsCi && Releases.Missing.Count > 0)
        {
            Skip = "Releases missing: " + string.Join("; ", Releases.Missing) + ". With CI set this test fails instead of skipping.";
        }
    }
}

/// <summary>The theory data: every release found, oldest first.</summary>
public static class ReleaseData
{
    public static TheoryData<ReleaseTree> All()
    {
        var data = new TheoryData<ReleaseTree>();
        foreach (var tree in Releases.Found)
        {
            data.Add(tree);
        }

        return data;
    }
}

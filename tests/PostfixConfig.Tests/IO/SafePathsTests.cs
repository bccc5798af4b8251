using PostfixConfig.IO;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// Where a path really leads (the writer's and the template loader's guard against links out of a
/// folder): <c>realpath</c>'s answer for link chains, relative and absolute targets, <c>.</c> and <c>..</c>
/// inside targets (applied after the link, as the kernel does), the kernel's limit of 40 links, and
/// "inside a folder" by whole path parts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SafePathsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Real => SafePaths.RealPath(_dir.Path);

    [Fact]
    public void RealPath_AgreesWithRealpath_ForLinksWithDotAndDotDotInTheirTargets()
    {
        Directory.CreateDirectory(_dir.File("a/b/c"));
        File.CreateSymbolicLink(_dir.File("dot"), "./a/./b");
        File.CreateSymbolicLink(_dir.File("a/b/up"), "../../a/b/c/..");
        File.CreateSymbolicLink(_dir.File("abs"), _dir.File("a/b/up"));
        File.CreateSymbolicLink(_dir.File("a/b/c/back"), "..");
        foreach (var path in new[] { "dot", "a/b/up", "abs", "dot/c/back", "abs/c", "a/b/c/back/up/c/new-file" })
        {
            var full = _dir.File(path);
            Assert.Equal(RealpathM(full), SafePaths.RealPath(full));
        }

        Assert.Equal(Path.Join(Real, "a", "b"), SafePaths.RealPath(_dir.File("dot")));
        Assert.Equal(Path.Join(Real, "a", "b", "new-file"), SafePaths.RealPath(_dir.File("dot/c/back/new-file")));
    }

    [Fact]
    public void RealPath_DotDotPastTheRoot_StaysAtTheRoot()
    {
        File.CreateSymbolicLink(_dir.File("escape"), string.Concat(Enumerable.Repeat("../", 40)) + "etc");
        Assert.Equal("/etc", SafePaths.RealPath(_dir.File("escape")));
        Assert.Equal("/etc/x", SafePaths.RealPath(_dir.File("escape/x")));
    }

    [Fact]
    public void RealPath_FortyLinksInAChain_Resolve_FortyOneAreTooMany()
    {
        // Linux follows at most 40 links in one lookup (ELOOP); so does RealPath.
        var target = _dir.Write("target", "x");
        var previous = target;
        for (var i = 1; i <= 41; i++)
        {
            var link = _dir.File($"link{i}");
            File.CreateSymbolicLink(link, previous);
            previous = link;
        }

        Assert.Equal(Path.Join(Real, "target"), SafePaths.RealPath(_dir.File("link40")));
        Assert.Equal("x", File.ReadAllText(_dir.File("link40")));
        var ex = Assert.Throws<IOException>(() => SafePaths.RealPath(_dir.File("link41")));
        Assert.Equal($"Too many symbolic links while resolving {_dir.File("link41")}.", ex.Message);
        Assert.ThrowsAny<IOException>(() => File.ReadAllText(_dir.File("link41"))); // the kernel agrees
    }

    [Fact]
    public void RealPath_ALoop_IsRefused()
    {
        File.CreateSymbolicLink(_dir.File("ping"), "pong");
        File.CreateSymbolicLink(_dir.File("pong"), "ping");
        var ex = Assert.Throws<IOException>(() => SafePaths.RealPath(_dir.File("ping/main.cf")));
        Assert.Equal($"Too many symbolic links while resolving {_dir.File("ping/main.cf")}.", ex.Message);
    }

    [Theory]
    [InlineData("/a/b", "/a/b", true)]
    [InlineData("/a/b/c", "/a/b", true)]
    [InlineData("/a/b/c", "/a/b/", true)]
    [InlineData("/a/b/", "/a/b/", true)]
    [InlineData("/a/bc", "/a/b", false)]
    [InlineData("/a/bc", "/a/b/", false)]
    [InlineData("/a", "/a/b", false)]
    [InlineData("/x/a/b", "/a/b", false)]
    [InlineData("/etc/postfix", "/", true)]
    public void IsInside_ByWholePathParts(string path, string folder, bool inside) =>
        Assert.Equal(inside, SafePaths.IsInside(path, folder));

    [Fact]
    public void IsSymbolicLink_TheEntryItself()
    {
        var file = _dir.Write("f", "x");
        File.CreateSymbolicLink(_dir.File("l"), file);
        File.CreateSymbolicLink(_dir.File("dangling"), _dir.File("missing"));
        Assert.False(SafePaths.IsSymbolicLink(file));
        Assert.True(SafePaths.IsSymbolicLink(_dir.File("l")));
        Assert.True(SafePaths.IsSymbolicLink(_dir.File("dangling")));
        Assert.False(SafePaths.IsSymbolicLink(_dir.File("missing")));
    }

    /// <summary>GNU realpath -m: the real path, where the last parts need not exist.</summary>
    private static string RealpathM(string path)
    {
        var r = ProcessRunner.Run("realpath", ["-m", path]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return r.StdOut.TrimEnd('\n');
    }
}

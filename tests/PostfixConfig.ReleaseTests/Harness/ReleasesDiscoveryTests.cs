using System.Security.Cryptography;
using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests.Harness;

/// <summary>
/// Which releases the suite judges (<see cref="Releases.Discover"/>), on fake build trees whose
/// <c>bin/postconf</c> is a script that prints a mail_version: with <c>POSTFIX_RELEASE_DIRS</c> exactly
/// the named trees and not the installed package, a named folder that is no build tree reported
/// missing; without it, the cache's build of each tarball plus the installed package.
/// </summary>
public sealed class ReleasesDiscoveryTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("pfc-discovery-");

    [Fact]
    public void ReleaseDirs_SelectExactlyTheNamedTrees_NotTheInstalledOne()
    {
        var newer = FakeTree("a", "3.10.13");
        var older = FakeTree("b", "3.4.29");
        var unnamed = FakeTree("c", "3.8.20");
        var installed = FakeTree("installed", "3.7.11");
        var notATree = Directory.CreateDirectory(Path.Combine(_root.FullName, "empty")).FullName;
        var env = new Dictionary<string, string> { ["POSTFIX_RELEASE_DIRS"] = $"{newer}:{older}::{notATree}" };

        var (found, missing) = Releases.Discover(n => env.GetValueOrDefault(n), _root.FullName, installed);

        Assert.Equal([older, newer], found.Select(t => t.Root)); // oldest first, and nothing else
        Assert.Equal(["3.4.29", "3.10.13"], found.Select(t => t.MailVersion));
        Assert.DoesNotContain(found, t => t.Root == unnamed || t.Root == installed || t.IsInstalled);
        var reported = Assert.Single(missing);
        Assert.StartsWith(notATree + " (from POSTFIX_RELEASE_DIRS)", reported, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutReleaseDirs_TheCachedBuildOfEachTarballPlusTheInstalledOne()
    {
        var sources = Directory.CreateDirectory(Path.Combine(_root.FullName, "src")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(_root.FullName, "cache")).FullName;
        var built = Path.Combine(sources, "postfix-3.6.20.tar.gz");
        var notBuilt = Path.Combine(sources, "postfix-3.11.6.tar.gz");
        File.WriteAllText(built, "a tarball");
        File.WriteAllText(notBuilt, "another tarball");
        var tree = FakeTree(Path.Combine("cache", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(built)))), "3.6.20");
        FakeTree("stray", "3.9.1"); // not a build of any tarball: never found
        var installed = FakeTree("installed", "3.7.11");
        var env = new Dictionary<string, string> { ["POSTFIX_SRC_DIR"] = sources, ["POSTFIX_BUILD_CACHE"] = cache };

        var (found, missing) = Releases.Discover(n => env.GetValueOrDefault(n), _root.FullName, installed);

        Assert.Equal([tree, installed], found.Select(t => t.Root));
        Assert.Equal(["3.6.20", "3.7.11"], found.Select(t => t.MailVersion));
        var reported = Assert.Single(missing);
        Assert.StartsWith("postfix-3.11.6.tar.gz is not built in " + cache, reported, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTarballs_ReportsWhereItLooked()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root.FullName, "nothing")).FullName;
        var env = new Dictionary<string, string> { ["POSTFIX_SRC_DIR"] = empty };

        var (_, missing) = Releases.Discover(n => env.GetValueOrDefault(n), _root.FullName, Path.Combine(_root.FullName, "no-such-package"));

        Assert.Contains(missing, m => m.StartsWith("no postfix-*.tar.gz in " + empty, StringComparison.Ordinal));
        Assert.Contains(missing, m => m.StartsWith("Debian's postfix package", StringComparison.Ordinal));
    }

    public void Dispose() => _root.Delete(recursive: true);

    /// <summary>A build tree (bin/postconf printing <paramref name="version"/>, libexec/master, conf/) under the test folder.</summary>
    private string FakeTree(string name, string version)
    {
        var root = Path.Combine(_root.FullName, name);
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "libexec"));
        Directory.CreateDirectory(Path.Combine(root, "conf"));
        var postconf = Path.Combine(root, "bin", "postconf");
        File.WriteAllText(postconf, $"#!/bin/sh\necho {version}\n");
        File.SetUnixFileMode(postconf, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(root, "libexec", "master"), string.Empty);
        return root;
    }
}

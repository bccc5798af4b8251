using PostfixConfig.Testing;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Testing;

public class GoldenFilesTests
{
    private static readonly (string, string)[] Files = [("main.cf", "a = 1\nb = 2\nc = 3\n"), ("tls_policy", "x encrypt\n")];

    [Fact]
    public void Compare_Updating_WritesTheFolder_ThenItMatches_AndExtraFilesGo()
    {
        using var dir = new TempDir();
        var folder = Path.Combine(dir.Path, "mx1");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "old_map"), "gone\n");
        GoldenFiles.Compare("mx1", folder, Files, update: true);
        Assert.Equal(["main.cf", "tls_policy"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("a = 1\nb = 2\nc = 3\n", File.ReadAllText(Path.Combine(folder, "main.cf")));
        GoldenFiles.Compare("mx1", folder, Files, update: false);
    }

    [Fact]
    public void Compare_ADifference_ThrowsWithAUnifiedDiff_AMissingAndAnExtraFileAreNamed()
    {
        using var dir = new TempDir();
        var folder = dir.Path;
        File.WriteAllText(Path.Combine(folder, "main.cf"), "a = 1\nb = 0\nc = 3\n");
        File.WriteAllText(Path.Combine(folder, "stale"), "x\n");
        var e = Assert.Throws<PostfixConfigAssertionException>(() => GoldenFiles.Compare("mx1", folder, Files, update: false));
        Assert.Equal(
            $"mx1: the rendered files differ from the golden files in {folder} (review, then run the tests with UPDATE_GOLDEN=1 to accept):\n"
            + "--- main.cf (golden)\n+++ main.cf (rendered)\n@@ -1,3 +1,3 @@\n a = 1\n-b = 0\n+b = 2\n c = 3\n"
            + $"tls_policy: missing from {folder}\n"
            + $"stale: in {folder} but no longer rendered\n",
            e.Message);
    }

    [Fact]
    public void ShouldMatchGoldenFiles_ARelativeFolderIsTakenFromTheCallingSourceFile()
    {
        using var dir = new TempDir();
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }.Set("smtpd_tls_security_level", "may");
        var fakeCaller = Path.Combine(dir.Path, "HostTests.cs");
        var e = Assert.Throws<PostfixConfigAssertionException>(() => config.ShouldMatchGoldenFiles("golden/mx1", label: "mx1", callerFile: fakeCaller));
        Assert.Contains($"main.cf: missing from {Path.Combine(dir.Path, "golden", "mx1")}\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoldenDiff_HunksKeepThreeLinesOfContext_AndSeparateDistantChanges()
    {
        var old = string.Concat(Enumerable.Range(1, 20).Select(i => $"{i}\n"));
        var changed = string.Concat(Enumerable.Range(1, 20).Where(i => i != 19).Select(i => i == 2 ? "two\n" : $"{i}\n"));
        Assert.Equal(
            "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -16,5 +16,4 @@\n 16\n 17\n 18\n-19\n 20\n",
            PostfixConfig.Text.UnifiedDiff.Create(old, changed, "a", "b"));
        Assert.Equal(string.Empty, PostfixConfig.Text.UnifiedDiff.Create(old, old, "a", "b"));
    }
}

using PostfixConfig.IO;
using PostfixConfig.Tests.Cli;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// All or nothing: faults part-way through a write leave the folder exactly as it was; modes,
/// owners and backups; symbolic links refused unless asked, and never followed out of the folder.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public partial class AtomicWriteTests
{
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private static string Newsletter => Path.Combine(RepoPaths.Examples, "newsletter.yaml");

    private static RenderedConfigurationFixture Rendered() => new();

    /// <summary>The newsletter example rendered (main.cf and tls_policy).</summary>
    private sealed class RenderedConfigurationFixture
    {
        public PostfixConfig.Rendering.RenderedConfiguration Value { get; } =
            PostfixTls.Render(PostfixTls.LoadYamlFile(Newsletter).GetValueOrThrow()).Value!;
    }

    /// <summary>
    /// Makes a file or folder unwritable even for root (chattr +i), or by mode when not root; undone on dispose.
    /// </summary>
    private sealed class Unwritable : IDisposable
    {
        private readonly string _path;
        private readonly UnixFileMode _mode;

        public Unwritable(string path)
        {
            _path = path;
            _mode = File.GetUnixFileMode(path);
            if (Environment.UserName == "root")
            {
                ProcessRunner.RunChecked("chattr", "+i", path);
            }
            else
            {
                File.SetUnixFileMode(path, _mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
            }
        }

        public void Dispose()
        {
            if (Environment.UserName == "root")
            {
                ProcessRunner.RunChecked("chattr", "-i", _path);
            }
            else
            {
                File.SetUnixFileMode(_path, _mode);
            }
        }
    }

    [Fact]
    public void WriteTo_NewFolder_FilesWithMode0644AndNothingElse()
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "out");
        Rendered().Value.WriteTo(outDir);
        Assert.Equal(["main.cf", "tls_policy"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Mode0644, File.GetUnixFileMode(Path.Combine(outDir, "main.cf")));
        Assert.Equal(Mode0644, File.GetUnixFileMode(Path.Combine(outDir, "tls_policy")));
    }

    [Fact]
    public void WriteTo_ExistingFile_KeepsItsModeAndOwner()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var main = Path.Combine(outDir, "main.cf");
        File.SetUnixFileMode(main, Mode0640);
        if (Environment.UserName == "root")
        {
            ProcessRunner.RunChecked("chown", "1234:1235", main);
        }

        var owner = UnixFile.Owner(main);
        Rendered().Value.WriteTo(outDir);
        Assert.Contains("smtp_tls_security_level = dane", File.ReadAllText(main), StringComparison.Ordinal);
        Assert.Equal(Mode0640, File.GetUnixFileMode(main));
        Assert.Equal(owner, UnixFile.Owner(main));
        Assert.Empty(FolderSnapshot.LeftOvers(outDir));
    }

    [Fact]
    public void WriteTo_Backup_KeepsThePreviousVersionAsBak()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var previous = File.ReadAllText(Path.Combine(outDir, "main.cf"));
        var r = CliRunner.Run("render", Newsletter, "--out", outDir, "--backup");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(previous, File.ReadAllText(Path.Combine(outDir, "main.cf.bak")));
        Assert.Equal(Mode0640, File.GetUnixFileMode(Path.Combine(outDir, "main.cf.bak")));
        Assert.Equal("example.com encrypt\n", File.ReadAllText(Path.Combine(outDir, "tls_policy.bak")));
        Assert.Equal(["main.cf", "main.cf.bak", "tls_policy", "tls_policy.bak"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WriteTo_WithoutBackup_LeavesNoBakAndNoSecondName()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        Rendered().Value.WriteTo(outDir);
        Assert.Equal(["main.cf", "tls_policy"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WriteTo_BakIsALinkOutOfTheFolder_LinkReplacedTargetUntouched()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var outside = dir.Write("precious", "do not touch\n");
        File.CreateSymbolicLink(Path.Combine(outDir, "main.cf.bak"), outside);
        Rendered().Value.WriteTo(outDir, WriteOptions.Default with { Backup = true });
        Assert.Equal("do not touch\n", File.ReadAllText(outside));
        Assert.Null(new FileInfo(Path.Combine(outDir, "main.cf.bak")).LinkTarget);
    }

    [Fact]
    public void Render_ReadOnlyFolder_Exit2NothingChanged()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        CliRunner.CliResult r;
        using (new Unwritable(outDir))
        {
            r = CliRunner.Run("render", Newsletter, "--out", outDir);
        }

        Assert.Equal(2, r.ExitCode);
        // The first thing written in the folder is the lock file.
        Assert.Contains($"postfix-config: Cannot write in {outDir}: Cannot open the lock file {outDir}/.postfix-config.lock: ", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void Render_SecondFileCannotBeReplaced_FirstIsPutBack()
    {
        // main.cf is replaced first; tls_policy is immutable, so its rename fails: main.cf must be the old one again.
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        CliRunner.CliResult r;
        using (new Unwritable(Path.Combine(outDir, "tls_policy")))
        {
            r = CliRunner.Run("render", Newsletter, "--out", outDir, "--backup");
        }

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Cannot replace", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("tls_policy", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("The files already replaced were put back; nothing was changed.", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Theory]
    [InlineData("Staged", "main.cf")]
    [InlineData("Staged", "tls_policy")]
    [InlineData("Replacing", "main.cf")]
    [InlineData("Replacing", "tls_policy")]
    public void WriteTo_FailurePartWay_FolderAsItWas(string stageName, string file)
    {
        var stage = Enum.Parse<TestHooks.WriteStage>(stageName);
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        TestHooks.WriteFault.Value = (s, name) =>
        {
            if (s == stage && name == file)
            {
                throw new IOException("injected fault");
            }
        };
        try
        {
            var e = Assert.Throws<OutputException>(() => Rendered().Value.WriteTo(outDir, WriteOptions.Default with { Backup = true }));
            Assert.Contains("injected fault", e.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            TestHooks.WriteFault.Value = null;
        }

        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void WriteTo_FailureInAFolderItCreated_FolderRemovedAgain()
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "new");
        TestHooks.WriteFault.Value = (_, _) => throw new IOException("injected fault");
        try
        {
            Assert.Throws<OutputException>(() => Rendered().Value.WriteTo(outDir));
        }
        finally
        {
            TestHooks.WriteFault.Value = null;
        }

        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void WriteTo_WriterThrowsMidFile_FolderAsItWas()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        Assert.Throws<InvalidOperationException>(() => AtomicFileWriter.Write(outDir,
        [
            ("main.cf", w => w.Write("new main.cf\n")),
            ("tls_policy", w =>
            {
                w.Write(new string('x', 200_000)); // past the buffer: part of it is on disk
                throw new InvalidOperationException("template failed half-way");
            }),
        ], WriteOptions.Default));
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void WriteTo_TextThatIsNotUnicode_RefusedNothingChanged()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        var e = Assert.Throws<OutputException>(() => AtomicFileWriter.Write(outDir, [("main.cf", w => w.Write("a\uD800b\n"))], WriteOptions.Default));
        Assert.Contains("not valid Unicode", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void Render_FolderInTheWayOfAFile_Exit2NothingChanged()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        File.Delete(Path.Combine(outDir, "tls_policy"));
        Directory.CreateDirectory(Path.Combine(outDir, "tls_policy"));
        var before = FolderSnapshot.Of(outDir);
        var r = CliRunner.Run("render", Newsletter, "--out", outDir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{outDir}/tls_policy is a folder; remove it or choose another output folder. Nothing was changed.", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void Render_FileInTheWayOfTheFolder_Exit2NothingCreated()
    {
        using var dir = new TempDir();
        dir.Write("blocker", "a file\n");
        var before = FolderSnapshot.Of(dir.Path);
        var r = CliRunner.Run("render", Newsletter, "--out", Path.Combine(dir.Path, "blocker", "out"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Cannot create the output folder", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(dir.Path));
    }

    [Fact]
    public void Render_FifoInPlaceOfMainCf_Exit2NothingChanged()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        File.Delete(Path.Combine(outDir, "main.cf"));
        ProcessRunner.RunChecked("mkfifo", Path.Combine(outDir, "main.cf"));
        var before = FolderSnapshot.Of(outDir);
        var r = CliRunner.Run("render", Newsletter, "--out", outDir, "--backup");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("exists but is not a regular file", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void Render_MainCfIsALink_RefusedByDefault()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var outside = dir.Write("elsewhere/main.cf", "# kept elsewhere\n");
        File.Delete(Path.Combine(outDir, "main.cf"));
        File.CreateSymbolicLink(Path.Combine(outDir, "main.cf"), outside);
        var before = FolderSnapshot.Of(dir.Path);
        var r = CliRunner.Run("render", Newsletter, "--out", outDir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{outDir}/main.cf is a symbolic link (to {outside}); refusing to write through it.", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(dir.Path));
    }

    [Fact]
    public void Render_LinkOutOfTheFolderWithFollowSymlinks_StillRefused()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var outside = dir.Write("elsewhere/main.cf", "# kept elsewhere\n");
        File.Delete(Path.Combine(outDir, "main.cf"));
        File.CreateSymbolicLink(Path.Combine(outDir, "main.cf"), "../elsewhere/main.cf");
        var before = FolderSnapshot.Of(dir.Path);
        var r = CliRunner.Run("render", Newsletter, "--out", outDir, "--follow-symlinks");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"is a symbolic link to {outside}, outside the output folder; refusing to write there.", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(dir.Path));
    }

    [Fact]
    public void Render_LinkInsideTheFolderWithFollowSymlinks_TargetReplacedLinkKept()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var real = Path.Combine(outDir, "releases", "main.cf");
        Directory.CreateDirectory(Path.GetDirectoryName(real)!);
        File.WriteAllText(real, "# old\n");
        File.Delete(Path.Combine(outDir, "main.cf"));
        File.CreateSymbolicLink(Path.Combine(outDir, "main.cf"), "releases/main.cf");
        var r = CliRunner.Run("render", Newsletter, "--out", outDir, "--follow-symlinks");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("releases/main.cf", new FileInfo(Path.Combine(outDir, "main.cf")).LinkTarget);
        Assert.Contains("smtp_tls_security_level = dane", File.ReadAllText(real), StringComparison.Ordinal);
        Assert.Empty(FolderSnapshot.LeftOvers(outDir));
    }

    [Fact]
    public void Render_OutputFolderItselfIsALink_WrittenThere()
    {
        using var dir = new TempDir();
        var real = Path.Combine(dir.Path, "real");
        Directory.CreateDirectory(real);
        var link = Path.Combine(dir.Path, "link");
        Directory.CreateSymbolicLink(link, real);
        var r = CliRunner.Run("render", Newsletter, "--out", link);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.True(File.Exists(Path.Combine(real, "main.cf")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("sub/file")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("a\nb")]
    public void Write_NameThatIsNotAPlainFileName_Refused(string name)
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "out");
        var e = Assert.Throws<OutputException>(() => AtomicFileWriter.Write(outDir, [(name, w => w.Write("x"))], WriteOptions.Default));
        Assert.Contains("must be a plain name inside the output folder", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories)); // checked before the folder is even created
    }

    [Fact]
    public void Write_TwoFilesWithOneName_Refused()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        var e = Assert.Throws<OutputException>(() => AtomicFileWriter.Write(outDir, [("main.cf", w => w.Write("a")), ("main.cf", w => w.Write("b"))], WriteOptions.Default));
        Assert.Contains("two output files are both named 'main.cf'", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void Write_RemovesWhatAKilledRunLeft_AndNothingElse()
    {
        using var dir = new TempDir();
        string[] stale = [".main.cf.0123456789abcdef0123456789abcdef.tmp", ".tls_policy.fedcba9876543210fedcba9876543210.old"];
        string[] others = [".main.cf.swp", ".keep", ".main.cf.0123456789ABCDEF0123456789ABCDEF.tmp", ".x.0123.tmp", "notes.tmp"];
        foreach (var name in stale.Concat(others))
        {
            dir.Write(name, "left over");
        }

        Rendered().Value.WriteTo(dir.Path);
        foreach (var name in stale)
        {
            Assert.False(File.Exists(dir.File(name)), name);
        }

        foreach (var name in others)
        {
            Assert.True(File.Exists(dir.File(name)), name);
        }

        Assert.False(File.Exists(dir.File(".postfix-config.lock")));
        Assert.False(File.Exists(dir.File("main.cf.tmp")));
    }
}

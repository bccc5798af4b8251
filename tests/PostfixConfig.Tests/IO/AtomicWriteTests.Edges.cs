using System.Text.RegularExpressions;
using PostfixConfig.IO;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// The writer's edges, each with its exact message: arguments, names, modes of new, kept, executable,
/// staged and temporary files, the guard of a merge (a target changed since it was read), refusals
/// while planning, and a roll-back that cannot put everything back (it says what, and where the
/// previous version is).
/// </summary>
public partial class AtomicWriteTests
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0755 = Mode0644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode0751 = Mode0640 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static readonly (string, Action<TextWriter>)[] OneFile = [("main.cf", w => w.Write("a = 1\n"))];

    [Fact]
    public void Write_NullArguments_AreNamed()
    {
        using var dir = new TempDir();
        Assert.Equal("files", Assert.Throws<ArgumentNullException>(() => AtomicFileWriter.Write(dir.Path, (IEnumerable<(string, Action<TextWriter>)>)null!, WriteOptions.Default)).ParamName);
        Assert.Equal("files", Assert.Throws<ArgumentNullException>(() => AtomicFileWriter.Write(dir.Path, (IEnumerable<(string, Action<TextWriter>, bool)>)null!, WriteOptions.Default)).ParamName);
        Assert.Equal("files", Assert.Throws<ArgumentNullException>(() => AtomicFileWriter.WriteStaged(dir.Path, null!, WriteOptions.Default)).ParamName);
        Assert.Equal("directory", Assert.Throws<ArgumentNullException>(() => AtomicFileWriter.Write(null!, OneFile, WriteOptions.Default)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => AtomicFileWriter.Write(dir.Path, OneFile, null!)).ParamName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Write_Modes_NewFile0644_Executable0755_KeptModeGainsExecuteBits_Temporary0600()
    {
        using var dir = new TempDir();
        var existing = dir.Write("reload-hook", "#!/bin/sh\n");
        File.SetUnixFileMode(existing, Mode0640);
        var temporaryModes = new List<UnixFileMode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Action<TextWriter> write = w =>
        {
            // While a file is written, its temporary file is readable by its owner only (an SNI table holds keys).
            temporaryModes.AddRange(Directory.EnumerateFiles(dir.Path, ".*.tmp").Where(seen.Add).Select(File.GetUnixFileMode));
            w.WriteLine("line");
        };

        AtomicFileWriter.Write(dir.Path, [("plain", write)], WriteOptions.Default);
        AtomicFileWriter.Write(dir.Path, [("new-hook", write, true), ("reload-hook", write, true), ("other", write, false)], WriteOptions.Default);

        Assert.Equal(Mode0644, File.GetUnixFileMode(dir.File("plain")));
        Assert.Equal(Mode0755, File.GetUnixFileMode(dir.File("new-hook")));
        Assert.Equal(Mode0751, File.GetUnixFileMode(dir.File("reload-hook"))); // its mode, plus the three execute bits
        Assert.Equal(Mode0644, File.GetUnixFileMode(dir.File("other")));
        Assert.Equal("line\n", File.ReadAllText(dir.File("plain"))); // "\n", whatever the platform's line end
        Assert.Equal([Mode0600, Mode0600, Mode0600, Mode0600], temporaryModes);
    }

    [Fact]
    public void WriteStaged_MovesCompleteFilesIn_KeepingTheirTime_WithTheModeAskedFor()
    {
        using var dir = new TempDir();
        var outDir = Directory.CreateDirectory(dir.File("out")).FullName;
        File.WriteAllText(Path.Combine(outDir, "sni.lmdb"), "old database");
        File.SetUnixFileMode(Path.Combine(outDir, "sni.lmdb"), Mode0644);
        var source = dir.Write("stage/sni", "example.com /etc/ssl/example.pem\n");
        var database = dir.Write("stage/sni.lmdb", "new database");
        File.SetUnixFileMode(source, Mode0640);
        File.SetUnixFileMode(database, Mode0640);
        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(database, time);

        var written = AtomicFileWriter.WriteStaged(outDir, [("sni", source, null), ("sni.lmdb", database, Mode0600)], WriteOptions.Default);

        Assert.Equal([Path.Combine(outDir, "sni"), Path.Combine(outDir, "sni.lmdb")], written);
        Assert.Equal("example.com /etc/ssl/example.pem\n", File.ReadAllText(Path.Combine(outDir, "sni")));
        Assert.Equal("new database", File.ReadAllText(Path.Combine(outDir, "sni.lmdb")));
        Assert.Equal(time, File.GetLastWriteTimeUtc(Path.Combine(outDir, "sni.lmdb")));
        Assert.Equal(Mode0644, File.GetUnixFileMode(Path.Combine(outDir, "sni")));
        Assert.Equal(Mode0600, File.GetUnixFileMode(Path.Combine(outDir, "sni.lmdb")));
        Assert.Empty(Directory.EnumerateFiles(dir.File("stage")));
        Assert.Equal(["sni", "sni.lmdb"], Directory.EnumerateFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_GuardedLockThatDoesNotCoverAFile_IsAProgrammingError()
    {
        using var dir = new TempDir();
        using var held = WriteLock.Acquire(dir.Path, ["tls_policy"], TimeSpan.FromSeconds(5));
        var guard = new AtomicFileWriter.Guard(held, new Dictionary<string, FileStamp>());
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFileWriter.Write(dir.Path, [("main.cf", w => w.Write("a = 1\n"), false)], WriteOptions.Default, guard));
        Assert.Equal($"The lock held does not cover main.cf in {dir.Path}.", e.Message);
        Assert.False(File.Exists(dir.File("main.cf")));
    }

    [Fact]
    public void Write_GuardedTargetChangedSinceItWasRead_NothingChanged_UnchangedTargetIsWritten()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "a = 1\n");
        dir.Write("tls_policy", "example.com encrypt\n");
        using (var held = WriteLock.Acquire(dir.Path, ["main.cf", "tls_policy"], TimeSpan.FromSeconds(5)))
        {
            var stamps = new Dictionary<string, FileStamp> { ["main.cf"] = FileStamp.Of(dir.File("main.cf")), ["tls_policy"] = FileStamp.Of(dir.File("tls_policy")) };
            File.WriteAllText(dir.File("tls_policy"), "example.com secure\n"); // postconf -e, an editor: another program
            var e = Assert.Throws<TargetChangedException>(() => AtomicFileWriter.Write(dir.Path,
                [("main.cf", w => w.Write("a = 2\n"), false), ("tls_policy", w => w.Write("example.com dane\n"), false)], WriteOptions.Default,
                new AtomicFileWriter.Guard(held, stamps)));
            Assert.Equal($"{dir.File("tls_policy")} was changed by another program after it was read; nothing was changed.", e.Message);
            Assert.Equal(dir.File("tls_policy"), e.Path);

            // (The folder cannot be hashed while its locks are held: reading takes a shared flock.)
            Assert.Equal("a = 1\n", File.ReadAllText(dir.File("main.cf")));
            Assert.Equal("example.com secure\n", File.ReadAllText(dir.File("tls_policy")));
            Assert.Equal([".postfix-config.lock", "main.cf", "main.cf.tmp", "tls_policy"], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            stamps["tls_policy"] = FileStamp.Of(dir.File("tls_policy"));
            AtomicFileWriter.Write(dir.Path, [("main.cf", w => w.Write("a = 2\n"), false)], WriteOptions.Default, new AtomicFileWriter.Guard(held, stamps));
        }

        Assert.Equal("a = 2\n", File.ReadAllText(dir.File("main.cf")));
        Assert.Equal("example.com secure\n", File.ReadAllText(dir.File("tls_policy")));
    }

    [Fact]
    public void Write_FailureInAnEmptyFolderThatExisted_KeepsTheFolder()
    {
        using var dir = new TempDir();
        var outDir = Directory.CreateDirectory(dir.File("out")).FullName;
        TestHooks.WriteFault.Value = (_, _) => throw new IOException("injected fault");
        try
        {
            Assert.Throws<OutputException>(() => AtomicFileWriter.Write(outDir, OneFile, WriteOptions.Default));
        }
        finally
        {
            TestHooks.WriteFault.Value = null;
        }

        Assert.True(Directory.Exists(outDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("/main.cf")]
    [InlineData("\\main.cf")]
    [InlineData("main.cf/")]
    public void Write_NameThatIsNotPlain_RefusedWithItsMessage_NothingWritten(string name)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<OutputException>(() => AtomicFileWriter.Write(dir.Path, [(name, w => w.Write("x"))], WriteOptions.Default));
        Assert.Equal($"Refusing to write '{name}': an output file must be a plain name inside the output folder. Nothing was changed.", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Write_BackupThatIsAlsoAnOutputFile_Refused()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<OutputException>(() => AtomicFileWriter.Write(dir.Path, [("main.cf.bak", w => w.Write("x")), ("main.cf", w => w.Write("y"))], WriteOptions.Default with { Backup = true }));
        Assert.Equal("Refusing to write: 'main.cf.bak' is both an output file and the backup of 'main.cf'. Nothing was changed.", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        AtomicFileWriter.Write(dir.Path, [("main.cf.bak", w => w.Write("x")), ("main.cf", w => w.Write("y"))], WriteOptions.Default);
        Assert.Equal("y", File.ReadAllText(dir.File("main.cf")));
    }

    [Fact]
    public void Write_RefusalsWhilePlanning_AreTheirOwnMessages()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("tls_policy"));
        dir.Write("main.cf", "a = 1\n");
        Directory.CreateDirectory(dir.File("main.cf.bak"));
        File.CreateSymbolicLink(dir.File("master.cf"), "missing/master.cf");
        File.CreateSymbolicLink(dir.File("loop"), "loop2");
        File.CreateSymbolicLink(dir.File("loop2"), "loop");
        var follow = WriteOptions.Default with { FollowSymlinks = true };
        var before = FolderSnapshot.Of(dir.Path);

        string Refused(string name, WriteOptions options) =>
            Assert.Throws<OutputException>(() => AtomicFileWriter.Write(dir.Path, [(name, w => w.Write("x"))], options)).Message;

        Assert.Equal($"{dir.File("tls_policy")} is a folder; remove it or choose another output folder. Nothing was changed.", Refused("tls_policy", WriteOptions.Default));
        Assert.Equal($"{dir.File("main.cf")}.bak is a folder, so the previous version cannot be kept there. Nothing was changed.", Refused("main.cf", WriteOptions.Default with { Backup = true }));
        Assert.Equal(
            $"{dir.File("master.cf")} is a symbolic link into a folder that does not exist ({Path.Join(SafePaths.RealPath(dir.Path), "missing", "master.cf")}). Nothing was changed.",
            Refused("master.cf", follow));
        Assert.Equal(
            $"Cannot write {dir.File("loop")}: Too many symbolic links while resolving {Path.Join(SafePaths.RealPath(dir.Path), "loop")}. Nothing was changed.",
            Refused("loop", follow));
        Assert.Equal(before, FolderSnapshot.Of(dir.Path));
    }

    [Theory]
    [InlineData("injected fault", "injected fault.")]
    [InlineData("injected fault.", "injected fault.")]
    public void Write_SystemErrorInTheMessage_EndsWithOneFullStop(string error, string shown)
    {
        using var dir = new TempDir();
        TestHooks.WriteFault.Value = (_, _) => throw new IOException(error);
        try
        {
            var e = Assert.Throws<OutputException>(() => AtomicFileWriter.Write(dir.Path, OneFile, WriteOptions.Default));
            Assert.Equal($"Cannot write {dir.File("main.cf")}: {shown} Nothing was changed.", e.Message);
        }
        finally
        {
            TestHooks.WriteFault.Value = null;
        }
    }

    [Fact]
    public void Write_FailureAfterANewFileWasRenamedIn_RemovesItAgain()
    {
        using var dir = new TempDir();
        TestHooks.WriteFault.Value = (stage, name) =>
        {
            if (stage == TestHooks.WriteStage.Replacing && name == "tls_policy")
            {
                throw new IOException("injected fault");
            }
        };
        try
        {
            var e = Assert.Throws<OutputException>(() => AtomicFileWriter.Write(dir.Path, [("main.cf", w => w.Write("a")), ("tls_policy", w => w.Write("b"))], WriteOptions.Default));
            Assert.Equal($"Cannot replace {dir.File("tls_policy")}: injected fault. The files already replaced were put back; nothing was changed.", e.Message);
        }
        finally
        {
            TestHooks.WriteFault.Value = null;
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Write_RollBackThatCannotPutBack_SaysWhatAndWhereThePreviousVersionIs()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "old main.cf\n");
        var e = FailSecondRenameInAnUnwritableFolder(dir);
        var match = Regex.Match(e.Message, $@"^Cannot replace {Regex.Escape(dir.File("tls_policy"))}: injected fault\. Could not put back {Regex.Escape(dir.File("main.cf"))} \(its previous version is in (?<kept>{Regex.Escape(dir.Path)}/\.main\.cf\.[0-9a-f]{{32}}\.old)\)\.$");
        Assert.True(match.Success, e.Message);
        Assert.Equal("old main.cf\n", File.ReadAllText(match.Groups["kept"].Value));
        Assert.Equal("new main.cf\n", File.ReadAllText(dir.File("main.cf")));
    }

    [Fact]
    public void Write_RollBackThatCannotRemoveNewFiles_NamesEach()
    {
        using var dir = new TempDir();
        var e = FailSecondRenameInAnUnwritableFolder(dir, "sni");
        Assert.Equal(
            $"Cannot replace {dir.File("tls_policy")}: injected fault. Could not put back {dir.File("main.cf")} (which did not exist before), {dir.File("sni")} (which did not exist before).",
            e.Message);
    }

    [Theory]
    [InlineData(".a.0123456789abcdef0123456789abcdef.tmp", true)] // the shortest: a one-letter name
    [InlineData(".main.cf.0123456789abcdef0123456789abcdef.tmp", true)]
    [InlineData(".tls_policy.fedcba9876543210fedcba9876543210.old", true)]
    [InlineData("..0123456789abcdef0123456789abcdef.tmp", false)] // no name
    [InlineData(".0123456789abcdef0123456789abcdef.tmp", false)]
    [InlineData(".main.cf.0123456789abcdef0123456789abcdef.bak", false)]
    [InlineData(".main.cf.0123456789abcdef0123456789abcdef.tmpx", false)]
    [InlineData(".main.cf.0123456789ABCDEF0123456789ABCDEF.tmp", false)]
    [InlineData(".main.cf.0123456789abcdef0123456789abcde.tmp", false)] // 31 digits
    [InlineData(".main.cf-0123456789abcdef0123456789abcdef.tmp", false)]
    [InlineData("main.cf.0123456789abcdef0123456789abcdef.tmp", false)]
    [InlineData(".main.cf.swp", false)]
    public void IsStaleName_ExactlyThisWritersNames(string name, bool stale) =>
        Assert.Equal(stale, AtomicFileWriter.IsStaleName(name));

    /// <summary>Writes main.cf, the <paramref name="others"/> and tls_policy; before tls_policy's rename, the folder becomes unwritable and the rename fails.</summary>
    private static OutputException FailSecondRenameInAnUnwritableFolder(TempDir dir, params string[] others)
    {
        Unwritable? frozen = null;
        TestHooks.WriteFault.Value = (stage, name) =>
        {
            if (stage == TestHooks.WriteStage.Replacing && name == "tls_policy")
            {
                frozen = new Unwritable(dir.Path);
                throw new IOException("injected fault");
            }
        };
        try
        {
            (string, Action<TextWriter>)[] files =
            [
                ("main.cf", w => w.Write("new main.cf\n")),
                .. others.Select(name => (name, (Action<TextWriter>)(w => w.Write("x\n")))),
                ("tls_policy", w => w.Write("b\n")),
            ];
            return Assert.Throws<OutputException>(() => AtomicFileWriter.Write(dir.Path, files, WriteOptions.Default));
        }
        finally
        {
            TestHooks.WriteFault.Value = null;
            frozen?.Dispose();
        }
    }
}

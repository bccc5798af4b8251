using System.Globalization;
using Microsoft.Win32.SafeHandles;
using PostfixConfig.IO;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// The POSIX calls of <see cref="UnixFile"/> against what <c>stat(1)</c> reports: a file's identity
/// (device, inode, size, times to the nanosecond, links, mode), owner and type; <c>flock</c> locks
/// refused while held and gone with the file they were taken on; lock files created 0600 and never
/// opened through a link; failures named with the path and the system's reason; and no descriptor
/// left open. Also the mode of an atomic write's temporary file while it is written.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnixFileTests
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0640 = Mode0600 | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0644 = Mode0640 | UnixFileMode.OtherRead;

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>How many of this process's open descriptors name <paramref name="path"/> (or it, removed: "PATH (deleted)").</summary>
    internal static int OpenDescriptors(string path, bool deleted = false)
    {
        var wanted = deleted ? path + " (deleted)" : path;
        var count = 0;
        foreach (var fd in Directory.GetFileSystemEntries("/proc/self/fd")) // a descriptor of a folder is a link to a folder
        {
            try
            {
                if (string.Equals(new FileInfo(fd).LinkTarget, wanted, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed meanwhile (another test's file).
            }
        }

        return count;
    }

    /// <summary>A descriptor number no file is open on: every call with it fails with EBADF.</summary>
    private static SafeFileHandle NotOpen() => new(1_000_000, ownsHandle: false);

    [Fact]
    public void Identity_OfAFileByNameAndByOpenHandle_IsWhatStatReports_ToTheNanosecond()
    {
        using var dir = new TempDir();
        var path = dir.Write("main.cf", "myhostname = mx.example.org\n");
        ProcessRunner.RunChecked("ln", path, dir.File("main.cf.second-name"));
        File.SetLastWriteTimeUtc(path, new DateTime(2021, 6, 1, 12, 34, 56, DateTimeKind.Utc).AddTicks(1_234_567));
        for (var i = 0; i < 5 && StatCommand.Nanoseconds(StatCommand.Fields(path, "%.9Z")[0]) % 1_000_000_000 == 0; i++)
        {
            File.SetUnixFileMode(path, Mode0640); // a change time with nanoseconds, so that they are checked too
            Thread.Sleep(3);
        }

        File.SetUnixFileMode(path, Mode0640);
        var expected = StatCommand.Identity(path);

        var byName = UnixFile.Identity(path);
        Assert.Equal(expected, byName);
        Assert.Equal(1_622_550_896_123_456_700, byName!.Value.ModifiedNs);
        Assert.Equal(28, byName.Value.Size);
        Assert.Equal(2u, byName.Value.Links);
        Assert.True(byName.Value.IsRegularFile);
        Assert.Equal(0x1A0, byName.Value.Permissions);
        using var handle = File.OpenHandle(path);
        Assert.Equal(expected, UnixFile.Identity(path, handle));
    }

    [Fact]
    public void Identity_OfAMissingFile_OrUnderAFileInsteadOfAFolder_IsNull()
    {
        using var dir = new TempDir();
        var file = dir.Write("main.cf", string.Empty);
        Assert.Null(UnixFile.Identity(dir.File("missing")));
        Assert.Null(UnixFile.Identity(Path.Join(file, "below"))); // ENOTDIR
    }

    [Fact]
    public void Identity_OfAHandleThatIsNotOpen_FailsNamingThePathAndTheReason()
    {
        var e = Assert.Throws<IOException>(() => UnixFile.Identity("/etc/postfix/main.cf.tmp", NotOpen()));
        Assert.Equal("Cannot examine /etc/postfix/main.cf.tmp: Bad file descriptor.", e.Message);
    }

    [Fact]
    public void Identity_OfAnOpenHandle_LeavesItClosable_SoTheLockTakenOnItGoesWithIt()
    {
        using var dir = new TempDir();
        var path = dir.File("x.lock");
        var first = UnixFile.OpenLockFile(path);
        Assert.True(UnixFile.TryLockExclusive(first, path));
        Assert.NotNull(UnixFile.Identity(path, first));
        first.Dispose();
        Assert.Equal(0, OpenDescriptors(path));
        using var second = UnixFile.OpenLockFile(path);
        Assert.True(UnixFile.TryLockExclusive(second, path));
    }

    [Fact]
    public void Stat_GivesOwnerGroupAndType_OfTheEntryItself_NotOfWhatALinkNames()
    {
        using var dir = new TempDir();
        var file = dir.Write("main.cf", "x\n");
        if (IsRoot)
        {
            ProcessRunner.RunChecked("chown", "1234:5678", file); // an owner and a group that differ, so neither can stand for the other
        }

        var link = dir.File("link.cf");
        File.CreateSymbolicLink(link, file);
        var owner = StatCommand.Fields(file, "%u %g").Select(v => uint.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal((owner[0], owner[1], 0x8000), UnixFile.Stat(file));
        Assert.Equal((owner[0], owner[1]), UnixFile.Owner(file));
        Assert.Equal(0xA000, UnixFile.Stat(link)!.Value.Type);
        Assert.Equal(0x4000, UnixFile.Stat(dir.Path)!.Value.Type);
        Assert.True(UnixFile.IsRegularFile(file));
        Assert.False(UnixFile.IsRegularFile(link));
        Assert.False(UnixFile.IsRegularFile(dir.Path));
    }

    [Fact]
    public void Stat_OfAMissingFile_FailsNamingThePathAndTheReason()
    {
        using var dir = new TempDir();
        var missing = dir.File("missing.cf");
        var e = Assert.Throws<IOException>(() => UnixFile.Stat(missing));
        Assert.Equal($"Cannot examine {missing}: No such file or directory.", e.Message);
    }

    [Fact]
    public void TryLockExclusive_IsRefusedWhileAnotherOpenFileHoldsTheLock_AndGrantedOnceThatFileIsClosed()
    {
        using var dir = new TempDir();
        var path = dir.File("x.lock");
        var first = UnixFile.OpenLockFile(path);
        using var second = UnixFile.OpenLockFile(path);
        Assert.True(UnixFile.TryLockExclusive(first, path));
        Assert.False(UnixFile.TryLockExclusive(second, path));
        Assert.False(UnixFile.TryLockExclusive(second, path));
        first.Dispose();
        Assert.True(UnixFile.TryLockExclusive(second, path));
    }

    [Fact]
    public void TryLockExclusive_OnAHandleThatIsNotOpen_FailsNamingThePathAndTheReason()
    {
        var e = Assert.Throws<IOException>(() => UnixFile.TryLockExclusive(NotOpen(), "/etc/postfix/main.cf.tmp"));
        Assert.Equal("Cannot lock /etc/postfix/main.cf.tmp: Bad file descriptor.", e.Message);
    }

    [Fact]
    public void OpenLockFile_CreatesAMissingFileWithMode0600_AndOpensAnExistingOneAsItIs()
    {
        using var dir = new TempDir();
        var created = dir.File("new.lock");
        using (UnixFile.OpenLockFile(created))
        {
            Assert.Equal(Mode0600, File.GetUnixFileMode(created));
            Assert.Equal(0, new FileInfo(created).Length);
        }

        var existing = dir.Write("old.lock", "pid 42\n");
        File.SetUnixFileMode(existing, Mode0644);
        using (var handle = UnixFile.OpenLockFile(existing))
        {
            Assert.Equal(UnixFile.Identity(existing), UnixFile.Identity(existing, handle));
        }

        Assert.Equal("pid 42\n", File.ReadAllText(existing));
        Assert.Equal(Mode0644, File.GetUnixFileMode(existing));
    }

    [Fact]
    public void OpenLockFile_NeverOpensThroughASymbolicLink()
    {
        using var dir = new TempDir();
        var target = dir.File("elsewhere");
        var link = dir.File("main.cf.tmp");
        File.CreateSymbolicLink(link, target);
        var e = Assert.Throws<IOException>(() => UnixFile.OpenLockFile(link));
        Assert.Equal($"Cannot open the lock file {link}: Too many levels of symbolic links.", e.Message);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void OpenLockFile_GivesAHandleThatClosesTheFile_WhenDisposed()
    {
        using var dir = new TempDir();
        var path = dir.File("x.lock");
        var handle = UnixFile.OpenLockFile(path);
        Assert.Equal(1, OpenDescriptors(path));
        handle.Dispose();
        Assert.Equal(0, OpenDescriptors(path));
    }

    [Fact]
    public void SetOwner_GivesTheOpenFileThatOwnerAndGroup()
    {
        using var dir = new TempDir();
        var path = dir.Write("main.cf", "x\n");
        var (uid, gid) = IsRoot ? (1234u, 5678u) : UnixFile.Owner(path)!.Value;
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        {
            UnixFile.SetOwner(handle, "main.cf", uid, gid);
        }

        Assert.Equal((uid, gid), UnixFile.Owner(path));
        Assert.Equal(FormattableString.Invariant($"{uid} {gid}"), string.Join(' ', StatCommand.Fields(path, "%u %g")));
    }

    [Fact]
    public void SetOwner_OnAHandleThatIsNotOpen_FailsNamingThePathTheOwnerAndTheReason()
    {
        var e = Assert.Throws<IOException>(() => UnixFile.SetOwner(NotOpen(), "/etc/postfix/main.cf", 1234, 5678));
        Assert.Equal("Cannot keep the owner of /etc/postfix/main.cf (user 1234, group 5678): Bad file descriptor. Run as that user or as root.", e.Message);
    }

    [Fact]
    public void SyncDirectory_ClosesTheFolderItOpened_AndIgnoresAMissingFolder()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.File("conf")).FullName;
        dir.Write("conf/main.cf", "x\n");
        using (var listing = Directory.EnumerateFiles(folder).GetEnumerator())
        {
            Assert.True(listing.MoveNext());
            Assert.Equal(1, OpenDescriptors(folder)); // what is counted: this process's descriptors on a path, a folder's too
        }

        UnixFile.SyncDirectory(folder);
        Assert.Equal(0, OpenDescriptors(folder));
        UnixFile.SyncDirectory(dir.File("missing"));
        Assert.Equal(0, OpenDescriptors(dir.File("missing")));
    }

    [Fact]
    public void AtomicWrite_CreatesItsTemporaryFileWithMode0600_WhileItIsBeingWritten()
    {
        using var dir = new TempDir();
        UnixFileMode? whileWritten = null;
        AtomicFileWriter.Write(dir.Path, [("main.cf", (Action<TextWriter>)(w =>
        {
            whileWritten = File.GetUnixFileMode(Assert.Single(Directory.GetFiles(dir.Path, ".main.cf.*.tmp")));
            w.Write("myhostname = mx.example.org\n");
        }), false)], WriteOptions.Default);
        Assert.Equal(Mode0600, whileWritten);
        Assert.Equal(Mode0644, File.GetUnixFileMode(dir.File("main.cf")));
        Assert.Equal("myhostname = mx.example.org\n", File.ReadAllText(dir.File("main.cf")));
    }
}

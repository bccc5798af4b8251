using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using PostfixConfig.IO;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// The folder lock and Postfix's edit locks, in-process (flock locks of two open files of one process
/// exclude each other): which files are locked and with what mode, waiting (told exactly once) and
/// giving up with the exact message, lock files left behind, hard-linked, replaced or removed while
/// waited for, and release (names removed, descriptors closed, even when a name cannot be removed).
/// Every wait is bounded well under two seconds.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WriteLockTests
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0644 = Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    /// <summary>Another holder of a lock: the file opened as a lock file, and locked.</summary>
    private static SafeFileHandle Hold(string path)
    {
        var handle = UnixFile.OpenLockFile(path);
        Assert.True(UnixFile.TryLockExclusive(handle, path), $"{path} is already locked");
        return handle;
    }

    /// <summary>Whether a new open file on <paramref name="path"/> could take its lock now (it is left unlocked).</summary>
    private static bool IsFree(string path)
    {
        using var handle = UnixFile.OpenLockFile(path);
        return UnixFile.TryLockExclusive(handle, path);
    }

    /// <summary>A file's text, read past its flock (File.ReadAllText would take a shared one, refused while it is locked).</summary>
    private static string Text(string path)
    {
        using var handle = UnixFile.OpenLockFile(path);
        var bytes = new byte[RandomAccess.GetLength(handle)];
        Assert.Equal(bytes.Length, RandomAccess.Read(handle, bytes, 0));
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, at most <paramref name="limit"/>; whether it holds.</summary>
    private static async Task<bool> Until(Func<bool> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed >= limit)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    [Fact]
    public void Acquire_ForMainAndMasterCf_HoldsTheFolderLockAndBothEditLocks_OnFilesWithMode0600_AndRemovesThemOnRelease()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "myhostname = mx.example.org\n");
        dir.Write("master.cf", string.Empty);
        string[] lockFiles = [dir.File(WriteLock.FileName), dir.File("main.cf.tmp"), dir.File("master.cf.tmp")];
        var held = WriteLock.Acquire(dir.Path, ["tls_policy", "master.cf", "main.cf"], Bound);
        var kept = new List<SafeFileHandle>();
        try
        {
            Assert.Equal(dir.Path, held.Directory);
            Assert.Equal(["main.cf", "master.cf"], held.EditLocked.ToArray());
            foreach (var path in lockFiles)
            {
                Assert.Equal(Mode0600, File.GetUnixFileMode(path));
                Assert.Equal(0, new FileInfo(path).Length);
                Assert.Equal(1u, UnixFile.Identity(path)!.Value.Links);
                Assert.False(IsFree(path), $"{path} is not locked");
                kept.Add(UnixFile.OpenLockFile(path)); // the locked file itself, to try its lock after release
            }

            Assert.Equal([WriteLock.FileName, "main.cf", "main.cf.tmp", "master.cf", "master.cf.tmp"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            held.Dispose();
            Assert.Empty(held.EditLocked);
            Assert.Equal(["main.cf", "master.cf"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var (path, handle) in lockFiles.Zip(kept))
            {
                Assert.True(UnixFile.TryLockExclusive(handle, path), $"{path} is still locked after release");
                Assert.Equal(1, UnixFileTests.OpenDescriptors(path, deleted: true)); // only ours: the lock's own is closed
            }
        }
        finally
        {
            held.Dispose();
            kept.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public void Acquire_WithoutMainOrMasterCf_TakesOnlyTheFolderLock()
    {
        using var dir = new TempDir();
        using var held = WriteLock.Acquire(dir.Path, ["tls_policy", "main.cf.tmp"], Bound);
        Assert.Empty(held.EditLocked);
        Assert.Equal([WriteLock.FileName], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Covers_TheLockedFolderByAnyName_AndMainOrMasterCfOnlyWithTheirEditLock()
    {
        using var dir = new TempDir();
        var conf = Directory.CreateDirectory(dir.File("conf")).FullName;
        var other = Directory.CreateDirectory(dir.File("other")).FullName;
        var link = dir.File("conf-link");
        Directory.CreateSymbolicLink(link, conf);
        using var held = WriteLock.Acquire(conf, ["main.cf", "tls_policy"], Bound);
        Assert.True(held.Covers(conf, "tls_policy"));
        Assert.True(held.Covers(link, "tls_policy"));
        Assert.True(held.Covers(conf, "main.cf"));
        Assert.False(held.Covers(conf, "master.cf"));
        Assert.False(held.Covers(other, "tls_policy"));
        Assert.False(held.Covers(other, "main.cf"));
        Assert.False(held.Covers(other, "master.cf"));
    }

    [Fact]
    public void Dispose_Twice_LeavesTheLockOfTheNextRunAlone()
    {
        using var dir = new TempDir();
        var lockPath = dir.File(WriteLock.FileName);
        var first = WriteLock.Acquire(dir.Path, ["main.cf"], Bound);
        first.Dispose();
        using var next = WriteLock.Acquire(dir.Path, ["main.cf"], Bound);
        first.Dispose();
        Assert.True(File.Exists(lockPath));
        Assert.True(File.Exists(dir.File("main.cf.tmp")));
        Assert.False(IsFree(lockPath));
        Assert.False(IsFree(dir.File("main.cf.tmp")));
    }

    [Fact]
    public void Acquire_WithNoTimeToWait_StillTakesLocksThatAreFree()
    {
        using var dir = new TempDir();
        using var held = WriteLock.Acquire(dir.Path, ["main.cf", "master.cf"], TimeSpan.Zero);
        Assert.Equal(["main.cf", "master.cf"], held.EditLocked.ToArray());
        Assert.False(IsFree(dir.File(WriteLock.FileName)));
    }

    [Fact]
    public void AFolderLockFileLeftBehind_IsTakenOverAsItIs()
    {
        using var dir = new TempDir();
        var lockPath = dir.Write(WriteLock.FileName, "left by a killed run\n");
        File.SetUnixFileMode(lockPath, Mode0644);
        var before = UnixFile.Identity(lockPath);
        using (WriteLock.Acquire(dir.Path, [], Bound))
        {
            Assert.Equal(before, UnixFile.Identity(lockPath));
            Assert.Equal("left by a killed run\n", Text(lockPath));
            Assert.Equal(Mode0644, File.GetUnixFileMode(lockPath));
            Assert.False(IsFree(lockPath));
        }

        Assert.False(File.Exists(lockPath));
    }

    [Fact]
    public void AnEditLockFileWithAnotherModeThan0600_IsRemovedAndCreatedAgain_AsPostfixDoes()
    {
        using var dir = new TempDir();
        var editLock = dir.Write("main.cf.tmp", "left by a crashed postconf\n");
        File.SetUnixFileMode(editLock, Mode0644);
        using (WriteLock.Acquire(dir.Path, ["main.cf"], Bound))
        {
            Assert.Equal(Mode0600, File.GetUnixFileMode(editLock));
            Assert.Equal(string.Empty, Text(editLock));
            Assert.False(IsFree(editLock));
            Assert.Equal(1, UnixFileTests.OpenDescriptors(editLock));
            Assert.Equal(0, UnixFileTests.OpenDescriptors(editLock, deleted: true)); // the stale file is not kept open
        }

        Assert.False(File.Exists(editLock));
        Assert.Equal(0, UnixFileTests.OpenDescriptors(editLock));
    }

    [Fact]
    public void StaleLockFiles_WithNoTimeToWait_AreStillReplacedAndLocked()
    {
        // --lock-timeout 0 and what a crash left: a hard-linked folder lock file and a 0644 main.cf.tmp.
        // Removing them is this run's own step; it once made the write give up, blaming "another program".
        using var dir = new TempDir();
        var elsewhere = dir.Write("elsewhere", "not a lock file\n");
        ProcessRunner.RunChecked("ln", elsewhere, dir.File(WriteLock.FileName));
        var editLock = dir.Write("main.cf.tmp", "left by a crashed postconf\n");
        File.SetUnixFileMode(editLock, Mode0644);
        using (var held = WriteLock.Acquire(dir.Path, ["main.cf"], TimeSpan.Zero))
        {
            Assert.Equal(["main.cf"], held.EditLocked.ToArray());
            Assert.Equal(Mode0600, File.GetUnixFileMode(editLock));
            Assert.Equal(1u, UnixFile.Identity(dir.File(WriteLock.FileName))!.Value.Links);
            Assert.False(IsFree(editLock));
            Assert.False(IsFree(dir.File(WriteLock.FileName)));
        }

        Assert.Equal("not a lock file\n", Text(elsewhere));
        Assert.False(File.Exists(editLock));
    }

    [Fact]
    public void AHardLinkedLockFile_IsNotLocked_ItsOtherNameIsLeftAlone_AndANewFileIsLocked()
    {
        using var dir = new TempDir();
        var elsewhere = dir.Write("elsewhere", "not a lock file\n");
        var lockPath = dir.File(WriteLock.FileName);
        ProcessRunner.RunChecked("ln", elsewhere, lockPath);
        var other = UnixFile.Identity(elsewhere)!.Value;
        using (WriteLock.Acquire(dir.Path, [], Bound))
        {
            var locked = UnixFile.Identity(lockPath)!.Value;
            Assert.NotEqual(other.Inode, locked.Inode);
            Assert.Equal(1u, locked.Links);
            Assert.Equal(0, locked.Size);
            Assert.False(IsFree(lockPath));
        }

        Assert.Equal("not a lock file\n", Text(elsewhere));
        Assert.Equal(1u, UnixFile.Identity(elsewhere)!.Value.Links);
        Assert.True(IsFree(elsewhere));
        Assert.False(File.Exists(lockPath));
    }

    [Fact]
    public async Task TheFolderLock_HeldByAnother_IsWaitedForUpToTheTimeout_ToldOnce_ThenGivenUpWithTheExactMessage()
    {
        using var dir = new TempDir();
        var lockPath = dir.File(WriteLock.FileName);
        using var other = Hold(lockPath);
        var told = new ConcurrentQueue<string>();
        var waited = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OutputException>(() => Task.Run(() => WriteLock.Acquire(dir.Path, ["main.cf"], Short, told.Enqueue)).WaitAsync(Bound));
        waited.Stop();
        Assert.Equal(
            $"Gave up after waiting 0.3 s: another postfix-config run holds the lock on {lockPath}. Try again when it is done, or wait longer (--lock-timeout). Nothing was changed.",
            e.Message);
        Assert.Equal([$"Another postfix-config run holds the lock on {lockPath}; waiting up to 0.3 s."], told.ToArray());
        Assert.InRange(waited.Elapsed, Short, Bound);
        Assert.Equal(1, UnixFileTests.OpenDescriptors(lockPath)); // the holder's only
        Assert.False(File.Exists(dir.File("main.cf.tmp")));
        Assert.False(IsFree(lockPath));
    }

    [Fact]
    public async Task ThePostfixEditLock_HeldByAnother_IsGivenUpNamingIt_AndTheFolderLockIsReleased()
    {
        using var dir = new TempDir();
        var lockPath = dir.File(WriteLock.FileName);
        var editLock = dir.File("main.cf.tmp");
        using var postconf = Hold(editLock);
        var told = new ConcurrentQueue<string>();
        var e = await Assert.ThrowsAsync<OutputException>(() => Task.Run(() => WriteLock.Acquire(dir.Path, ["main.cf", "master.cf"], Short, told.Enqueue)).WaitAsync(Bound));
        var holder = $"nother program holds Postfix's edit lock on {editLock} (postconf -e, -X, -M or -F editing main.cf)";
        Assert.Equal(
            $"Gave up after waiting 0.3 s: a{holder}. Try again when it is done, or wait longer (--lock-timeout). Nothing was changed.",
            e.Message);
        Assert.Equal([$"A{holder}; waiting up to 0.3 s."], told.ToArray());

        // The folder lock taken before is given up, its file removed; the edit lock file is the holder's.
        Assert.False(File.Exists(lockPath));
        Assert.Equal(0, UnixFileTests.OpenDescriptors(lockPath, deleted: true));
        Assert.Equal(1, UnixFileTests.OpenDescriptors(editLock));
        using (WriteLock.Acquire(dir.Path, ["tls_policy"], TimeSpan.Zero))
        {
            Assert.False(IsFree(lockPath));
        }

        Assert.True(File.Exists(editLock));
    }

    [Fact]
    public async Task ALockFileReplacedWhileWaitedFor_IsLockedUnderItsNewName_AndTheWaitIsToldOnlyOnce()
    {
        using var dir = new TempDir();
        var lockPath = dir.File(WriteLock.FileName);
        var first = Hold(lockPath);
        SafeFileHandle? second = null;
        var told = new ConcurrentQueue<string>();
        try
        {
            // Told on the waiting thread: the holder puts a new lock file (locked too) in the old one's place, and lets go of the old one.
            var acquire = Task.Run(() => WriteLock.Acquire(dir.Path, [], Bound, m =>
            {
                told.Enqueue(m);
                if (told.Count == 1)
                {
                    var next = dir.Write("next", "the holder's new lock file\n");
                    second = Hold(next);
                    File.Move(next, lockPath, overwrite: true);
                    first.Dispose();
                }
            }));
            Assert.True(await Until(() => Volatile.Read(ref second) is not null, Bound), "Acquire did not wait for the held lock");

            // Now the new file's lock is waited for (with no second word: waiting was told once); then it is let go of too.
            _ = await Until(() => told.Count > 1 || acquire.IsCompleted, TimeSpan.FromMilliseconds(400));
            second!.Dispose();
            using var held = await acquire.WaitAsync(Bound);
            Assert.Equal([$"Another postfix-config run holds the lock on {lockPath}; waiting up to 2 s."], told.ToArray());
            Assert.Equal("the holder's new lock file\n", Text(lockPath));
            Assert.False(IsFree(lockPath));
            Assert.Equal(0, UnixFileTests.OpenDescriptors(lockPath, deleted: true)); // the replaced file is closed
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }

        Assert.False(File.Exists(lockPath));
    }

    [Fact]
    public async Task ALockFileRemovedWhileWaitedFor_IsCreatedAgainAndLocked()
    {
        using var dir = new TempDir();
        var lockPath = dir.File(WriteLock.FileName);
        var first = Hold(lockPath);
        var told = new ConcurrentQueue<string>();
        try
        {
            var acquire = Task.Run(() => WriteLock.Acquire(dir.Path, [], Bound, m =>
            {
                told.Enqueue(m);
                File.Delete(lockPath); // the holder removes the name, then lets go
                first.Dispose();
            }));
            using var held = await acquire.WaitAsync(Bound);
            Assert.Single(told);
            Assert.True(File.Exists(lockPath));
            Assert.Equal(Mode0600, File.GetUnixFileMode(lockPath));
            Assert.False(IsFree(lockPath));
            Assert.Equal(0, UnixFileTests.OpenDescriptors(lockPath, deleted: true)); // the removed file is closed
        }
        finally
        {
            first.Dispose();
        }
    }

    [Fact]
    public void Release_WhenALockFileNameCannotBeRemoved_StillLetsGoOfTheLock()
    {
        using var dir = new TempDir();
        var conf = Directory.CreateDirectory(dir.File("conf")).FullName;
        var held = WriteLock.Acquire(conf, [], Bound);
        using var same = UnixFile.OpenLockFile(Path.Join(conf, WriteLock.FileName));
        Assert.False(UnixFile.TryLockExclusive(same, "the lock file"));

        // The folder moved away and a file in its place: removing conf/.postfix-config.lock fails (ENOTDIR).
        Directory.Move(conf, dir.File("moved"));
        dir.Write("conf", string.Empty);
        held.Dispose();
        Assert.True(UnixFile.TryLockExclusive(same, "the lock file"));
        Assert.True(File.Exists(Path.Join(dir.File("moved"), WriteLock.FileName)));
    }
}

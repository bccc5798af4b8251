using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace PostfixConfig.Output;

/// <summary>
/// The locks a write into a Postfix configuration folder holds from the moment it reads the files it
/// changes until its renames are done, so that no other writer's change is lost in between:
/// <list type="number">
/// <item>the folder lock, an exclusive <c>flock(2)</c> on <c>.postfix-config.lock</c> in the folder,
/// which every <c>postfix-config</c> write (render, merge, apply) takes; the file is created once
/// (mode 0600) and stays;</item>
/// <item>for main.cf and master.cf, Postfix's own edit lock, as <c>postconf -e</c>, <c>-X</c>, <c>-M</c>
/// and <c>-F</c> take it (Postfix's edit_file protocol): an exclusive <c>flock</c> on <c>main.cf.tmp</c>
/// (<c>master.cf.tmp</c>), created with mode 0600, re-checked after locking to be the file that the name
/// still names. While it is held, <c>postconf -e</c> waits; on release the <c>.tmp</c> name is removed
/// as Postfix itself removes it.</item>
/// </list>
/// Locks are taken in that order and waited for up to a timeout, polling; a process that dies
/// releases them (the kernel drops <c>flock</c> locks with the last open file), so a crash never
/// leaves the folder locked.
/// </summary>
internal sealed class WriteLock : IDisposable
{
    /// <summary>The name of the folder lock file.</summary>
    public const string FileName = ".postfix-config.lock";

    /// <summary>The files whose Postfix edit lock a write takes when it writes them.</summary>
    public static readonly IReadOnlyList<string> EditLockedFiles = ["main.cf", "master.cf"];

    private const int PostfixTempMode = 0x180; // 0600: Postfix's edit protocol unlinks a .tmp with other bits

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly SafeFileHandle _folder;
    private readonly List<(string Path, SafeFileHandle Handle)> _edits;

    private WriteLock(string directory, SafeFileHandle folder, List<(string, SafeFileHandle)> edits)
    {
        Directory = directory;
        _folder = folder;
        _edits = edits;
    }

    /// <summary>The real path of the locked folder.</summary>
    public string Directory { get; }

    /// <summary>The names whose Postfix edit lock is held.</summary>
    public IEnumerable<string> EditLocked => _edits.Select(e => System.IO.Path.GetFileName(e.Path)[..^4]);

    /// <summary>Whether this lock covers writing <paramref name="fileName"/> into <paramref name="directory"/>.</summary>
    public bool Covers(string directory, string fileName) =>
        string.Equals(SafePaths.RealPath(directory), Directory, StringComparison.Ordinal)
        && (!EditLockedFiles.Contains(fileName) || EditLocked.Contains(fileName));

    /// <summary>
    /// Takes the folder lock of <paramref name="directory"/> (which must exist) and the Postfix edit
    /// locks of those of <paramref name="fileNames"/> that Postfix edits (main.cf, master.cf).
    /// </summary>
    /// <exception cref="OutputException">A lock was not free within <paramref name="timeout"/>, or cannot be taken.</exception>
    public static WriteLock Acquire(string directory, IEnumerable<string> fileNames, TimeSpan timeout)
    {
        var root = SafePaths.RealPath(directory);
        var deadline = Stopwatch.StartNew();
        var lockPath = System.IO.Path.Join(root, FileName);
        var folder = OpenLockFile(lockPath);
        var edits = new List<(string, SafeFileHandle)>();
        try
        {
            Wait(folder, lockPath, deadline, timeout,
                $"another postfix-config run holds the lock on {lockPath}");
            TestPause.At("locked");
            var names = fileNames.ToHashSet(StringComparer.Ordinal);
            foreach (var name in EditLockedFiles.Where(names.Contains))
            {
                var path = System.IO.Path.Join(root, name) + ".tmp";
                edits.Add((path, TakeEditLock(path, deadline, timeout)));
            }
        }
        catch
        {
            foreach (var (_, handle) in edits)
            {
                handle.Dispose();
            }

            folder.Dispose();
            throw;
        }

        return new WriteLock(root, folder, edits);
    }

    /// <summary>Releases the locks: each Postfix edit lock's <c>.tmp</c> name is removed first, as Postfix does when it gives up an edit.</summary>
    public void Dispose()
    {
        foreach (var (path, handle) in _edits)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Postfix's next edit reuses (truncates) or replaces the file; nothing depends on its removal.
            }

            handle.Dispose();
        }

        _edits.Clear();
        _folder.Dispose();
    }

    private static SafeFileHandle OpenLockFile(string path)
    {
        try
        {
            if (!File.Exists(path) && !OperatingSystem.IsWindows())
            {
                try
                {
                    // Created with mode 0600 from the start (Postfix's edit protocol insists on it).
                    using var created = new FileStream(path, new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew,
                        Access = FileAccess.Write,
                        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    });
                }
                catch (IOException) when (File.Exists(path))
                {
                    // another process created it first
                }
            }

            // Shared, so that .NET takes no lock of its own: the flock is taken by the caller.
            return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"Cannot open the lock file {path}: {e.Message} Nothing was changed.", e);
        }
    }

    /// <summary>Postfix's edit_file protocol, opening half: the .tmp file locked, and still the one its name names.</summary>
    private static SafeFileHandle TakeEditLock(string path, Stopwatch deadline, TimeSpan timeout)
    {
        while (true)
        {
            var handle = OpenLockFile(path);
            try
            {
                Wait(handle, path, deadline, timeout,
                    $"another program holds Postfix's edit lock on {path} (postconf -e, -X, -M or -F editing {System.IO.Path.GetFileName(path)[..^4]})");
                var held = UnixFile.Identity(path, handle);
                var named = UnixFile.Identity(path);
                if (held is { } h && named is { } n)
                {
                    if (h.Device != n.Device || h.Inode != n.Inode)
                    {
                        handle.Dispose(); // the name was taken over while we waited: try the new file
                        continue;
                    }

                    if (!n.IsRegularFile || n.Links > 1 || n.Permissions != PostfixTempMode)
                    {
                        // What a crash can leave behind; Postfix removes it and starts again, and so do we.
                        File.Delete(path);
                        handle.Dispose();
                        continue;
                    }
                }
                else if (held is not null)
                {
                    handle.Dispose(); // removed while we waited
                    continue;
                }

                return handle;
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
    }

    private static void Wait(SafeFileHandle handle, string path, Stopwatch deadline, TimeSpan timeout, string holder)
    {
        while (!UnixFile.TryLockExclusive(handle, path))
        {
            if (deadline.Elapsed >= timeout)
            {
                throw new OutputException(
                    $"Gave up after waiting {timeout.TotalSeconds:0.#} s: {holder}. Try again when it is done, or wait longer (--lock-timeout). Nothing was changed.");
            }

            Thread.Sleep(Poll);
        }
    }
}

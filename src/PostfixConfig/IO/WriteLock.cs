using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace PostfixConfig.IO;

/// <summary>
/// The locks a write into a Postfix configuration folder holds from the moment it reads the files it
/// changes until its renames are done, so that no other writer's change is lost in between:
/// <list type="number">
/// <item>the folder lock, an exclusive <c>flock(2)</c> on <c>.postfix-config.lock</c> in the folder,
/// which every <c>postfix-config</c> write (render, merge, apply) takes;</item>
/// <item>for main.cf and master.cf, Postfix's own edit lock, as <c>postconf -e</c>, <c>-X</c>, <c>-M</c>
/// and <c>-F</c> take it (Postfix's edit_file protocol): an exclusive <c>flock</c> on <c>main.cf.tmp</c>
/// (<c>master.cf.tmp</c>), created with mode 0600, re-checked after locking to be the file that the name
/// still names. While it is held, <c>postconf -e</c> waits; on release the <c>.tmp</c> name is removed
/// as Postfix itself removes it.</item>
/// </list>
/// Both follow Postfix's protocol: the lock file is created (mode 0600) when missing, locked, and then
/// checked to be the file its name still names (else the lock is taken again on the new file), and
/// its name is removed before the lock is given up, so no lock file stays behind. Locks are taken in
/// that order and waited for up to a timeout, polling; a process that dies releases them (the kernel
/// drops <c>flock</c> locks with the last open file), so a crash never leaves the folder locked, and
/// a lock file a killed run left is simply taken over.
/// </summary>
internal sealed class WriteLock : IDisposable
{
    /// <summary>The name of the folder lock file.</summary>
    public const string FileName = ".postfix-config.lock";

    /// <summary>The files whose Postfix edit lock a write takes when it writes them.</summary>
    public static readonly IReadOnlyList<string> EditLockedFiles = ["main.cf", "master.cf"];

    private const int PostfixTempMode = 0x180; // 0600: Postfix's edit protocol unlinks a .tmp with other bits

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How many stale lock files one lock may remove without the time spent counting against its timeout.</summary>
    private const int MaxStaleRemovals = 3;

    private readonly List<(string Path, SafeFileHandle Handle)> _held;

    private WriteLock(string directory, List<(string, SafeFileHandle)> held)
    {
        Directory = directory;
        _held = held;
    }

    /// <summary>The real path of the locked folder.</summary>
    public string Directory { get; }

    /// <summary>The names whose Postfix edit lock is held.</summary>
    public IEnumerable<string> EditLocked => _held.Skip(1).Select(e => System.IO.Path.GetFileName(e.Path)[..^4]);

    /// <summary>Whether this lock covers writing <paramref name="fileName"/> into <paramref name="directory"/>.</summary>
    public bool Covers(string directory, string fileName) =>
        string.Equals(SafePaths.RealPath(directory), Directory, StringComparison.Ordinal)
        && (!EditLockedFiles.Contains(fileName) || EditLocked.Contains(fileName));

    /// <summary>
    /// Takes the folder lock of <paramref name="directory"/> (which must exist) and the Postfix edit
    /// locks of those of <paramref name="fileNames"/> that Postfix edits (main.cf, master.cf).
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="fileNames">The files the write replaces.</param>
    /// <param name="timeout">How long to wait for all the locks together.</param>
    /// <param name="waiting">Told once per lock, with a sentence naming it and its holder, when that lock is not free at once.</param>
    /// <exception cref="OutputException">A lock was not free within <paramref name="timeout"/>, or cannot be taken.</exception>
    public static WriteLock Acquire(string directory, IEnumerable<string> fileNames, TimeSpan timeout, Action<string>? waiting = null)
    {
        var root = SafePaths.RealPath(directory);
        var deadline = Stopwatch.StartNew();
        var held = new List<(string, SafeFileHandle)>();
        try
        {
            var lockPath = System.IO.Path.Join(root, FileName);
            held.Add((lockPath, TakeLock(lockPath, deadline, timeout, $"another postfix-config run holds the lock on {lockPath}", postfixEdit: false, waiting)));
            TestHooks.Pause("locked");
            var names = fileNames.ToHashSet(StringComparer.Ordinal);
            foreach (var name in EditLockedFiles.Where(names.Contains))
            {
                var path = System.IO.Path.Join(root, name) + ".tmp";
                held.Add((path, TakeLock(path, deadline, timeout,
                    $"another program holds Postfix's edit lock on {path} (postconf -e, -X, -M or -F editing {name})", postfixEdit: true, waiting)));
            }
        }
        catch
        {
            Release(held);
            throw;
        }

        return new WriteLock(root, held);
    }

    /// <summary>Releases the locks, last taken first; each lock file's name is removed while it is still locked, as Postfix does.</summary>
    public void Dispose() => Release(_held);

    private static void Release(List<(string Path, SafeFileHandle Handle)> held)
    {
        for (var i = held.Count - 1; i >= 0; i--)
        {
            var (path, handle) = held[i];
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next run takes over the file; nothing depends on its removal.
            }

            handle.Dispose();
        }

        held.Clear();
    }

    private static SafeFileHandle OpenLockFile(string path)
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }

            return UnixFile.OpenLockFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"Cannot write in {System.IO.Path.GetDirectoryName(path)}: {e.Message.TrimEnd('.')}. Nothing was changed.", e);
        }
    }

    /// <summary>
    /// Postfix's edit_file protocol, opening half: the file locked, and still the one its name names;
    /// for Postfix's own <c>.tmp</c> files (<paramref name="postfixEdit"/>) also a plain 0600 file with one name.
    /// </summary>
    private static SafeFileHandle TakeLock(string path, Stopwatch deadline, TimeSpan timeout, string holder, bool postfixEdit, Action<string>? waiting)
    {
        var told = false;

        // Removing a stale lock file is this run's own step, not another program's doing: the attempt
        // after it does not count against the timeout (else --lock-timeout 0 would give up on a crash's
        // leftover); a few at most, so a program that keeps making such files cannot hold us for ever.
        var staleRemovalsLeft = MaxStaleRemovals;
        var afterStaleRemoval = false;
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0 && !afterStaleRemoval && deadline.Elapsed >= timeout)
            {
                throw new OutputException($"Gave up after waiting {timeout.TotalSeconds:0.#} s: {path} keeps being replaced or removed by another program. Nothing was changed.");
            }

            afterStaleRemoval = false;
            var handle = OpenLockFile(path);
            try
            {
                Wait(handle, path, deadline, timeout, holder, told ? null : waiting);
                told = true;
                var held = UnixFile.Identity(path, handle);
                var named = UnixFile.Identity(path);
                if (held is { } h && named is { } n)
                {
                    if (h.Device != n.Device || h.Inode != n.Inode)
                    {
                        handle.Dispose(); // the name was taken over while we waited: try the new file
                        continue;
                    }

                    if (!n.IsRegularFile || n.Links > 1 || (postfixEdit && n.Permissions != PostfixTempMode))
                    {
                        // What a crash can leave behind; Postfix removes it and starts again, and so do we.
                        File.Delete(path);
                        handle.Dispose();
                        afterStaleRemoval = staleRemovalsLeft-- > 0;
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

    private static void Wait(SafeFileHandle handle, string path, Stopwatch deadline, TimeSpan timeout, string holder, Action<string>? waiting)
    {
        while (!UnixFile.TryLockExclusive(handle, path))
        {
            waiting?.Invoke($"{char.ToUpperInvariant(holder[0])}{holder[1..]}; waiting up to {timeout.TotalSeconds:0.#} s.");
            waiting = null;
            if (deadline.Elapsed >= timeout)
            {
                throw new OutputException(
                    $"Gave up after waiting {timeout.TotalSeconds:0.#} s: {holder}. Try again when it is done, or wait longer (--lock-timeout). Nothing was changed.");
            }

            Thread.Sleep(Poll);
        }
    }
}

using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PostfixConfig.IO;

/// <summary>
/// The few POSIX calls .NET has no API for: a file's owner (<c>statx</c>), changing it (<c>fchown</c>),
/// hard links (<c>link</c>) and flushing a folder (<c>fsync</c> on the directory). Linux only; on other
/// systems the owner is left alone and <see cref="TryLink"/> reports false.
/// </summary>
/// <remarks>
/// Only blittable arguments cross into native code (paths as NUL-terminated UTF-8 byte arrays), so the
/// calls need no run-time marshalling and work under Native AOT.
/// </remarks>
internal static class UnixFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int ORdOnly = 0;
    private const int ORdWr = 2;
    private const int OCreat = 0x40;
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int OCloExec = 0x80000; // the same on x86-64 and arm64 (O_DIRECTORY is not, so it is not used)

    /// <summary>Owner, group and file type (the <c>S_IFMT</c> bits) of a file, not following a final symbolic link; null where unsupported.</summary>
    /// <exception cref="IOException">The file cannot be examined.</exception>
    public static (uint Uid, uint Gid, int Type)? Stat(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        if (Native.statx(AtFdCwd, Path0(path), AtSymlinkNoFollow, StatxUid | StatxGid | StatxMode, buffer) != 0)
        {
            throw new IOException($"Cannot examine {path}: {Marshal.GetLastPInvokeErrorMessage()}.");
        }

        // struct statx: stx_mask(4) stx_blksize(4) stx_attributes(8) stx_nlink(4) stx_uid(4) stx_gid(4) stx_mode(2) ...
        return (BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24), BitConverter.ToUInt16(buffer, 28) & TypeMask);
    }

    /// <summary>
    /// Who a file is: device, inode, size, modification and change times, link count and permission
    /// bits, not following a final symbolic link (<paramref name="path"/>), or of an open file
    /// (<paramref name="handle"/>, when given). Null where unsupported or the file does not exist.
    /// </summary>
    /// <exception cref="IOException">The file exists but cannot be examined.</exception>
    public static FileIdentity? Identity(string path, SafeFileHandle? handle = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        int rc;
        if (handle is null)
        {
            rc = Native.statx(AtFdCwd, Path0(path), AtSymlinkNoFollow, StatxBasicStats, buffer);
        }
        else
        {
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                rc = Native.statx((int)handle.DangerousGetHandle(), [0], AtEmptyPath, StatxBasicStats, buffer);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        if (rc != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 2 or 20) // ENOENT, ENOTDIR
            {
                return null;
            }

            throw new IOException($"Cannot examine {path}: {Marshal.GetLastPInvokeErrorMessage()}.");
        }

        // struct statx: ... stx_nlink(4)@16 ... stx_mode(2)@28, stx_ino(8)@32, stx_size(8)@40, ...
        // stx_ctime@96 and stx_mtime@112 (tv_sec 8, tv_nsec 4, pad 4), stx_dev_major@136, stx_dev_minor@140.
        return new FileIdentity(
            ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140),
            BitConverter.ToUInt64(buffer, 32),
            BitConverter.ToInt64(buffer, 40),
            (BitConverter.ToInt64(buffer, 112) * 1_000_000_000) + BitConverter.ToUInt32(buffer, 120),
            (BitConverter.ToInt64(buffer, 96) * 1_000_000_000) + BitConverter.ToUInt32(buffer, 104),
            BitConverter.ToUInt32(buffer, 16),
            BitConverter.ToUInt16(buffer, 28));
    }

    /// <summary>
    /// Tries to take an exclusive <c>flock(2)</c> lock on an open file without waiting (the lock
    /// Postfix's own tools take, <c>INTERNAL_LOCK</c> on Linux); false when another open file holds it.
    /// Where unsupported, reports true.
    /// </summary>
    /// <exception cref="IOException">The lock call failed for another reason.</exception>
    public static bool TryLockExclusive(SafeFileHandle handle, string pathForMessages)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (Native.flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            return errno == 11 // EWOULDBLOCK
                ? false
                : throw new IOException($"Cannot lock {pathForMessages}: {Marshal.GetLastPInvokeErrorMessage()}.");
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Opens (creating with mode 0600 when missing) a lock file for reading and writing, never through
    /// a symbolic link, and with no lock of .NET's own (which would refuse to open a file that another
    /// process has locked).
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static SafeFileHandle OpenLockFile(string path)
    {
        var noFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;
        var fd = Native.open(Path0(path), ORdWr | OCreat | OCloExec | noFollow, 0x180);
        if (fd < 0)
        {
            throw new IOException($"Cannot open the lock file {path}: {Marshal.GetLastPInvokeErrorMessage()}.");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Owner and group of a file; null where unsupported.</summary>
    public static (uint Uid, uint Gid)? Owner(string path) => Stat(path) is { } s ? (s.Uid, s.Gid) : null;

    /// <summary>Whether the entry is a regular file (not a folder, link, FIFO, socket or device); where <see cref="Stat"/> is unsupported, whether it is a file.</summary>
    public static bool IsRegularFile(string path) =>
        Stat(path) is { } s ? s.Type == RegularFile : File.Exists(path) && new FileInfo(path).LinkTarget is null;

    /// <summary>Gives an open file another owner and group.</summary>
    /// <exception cref="IOException">Not permitted (only root may give a file away).</exception>
    public static void SetOwner(SafeFileHandle handle, string pathForMessages, uint uid, uint gid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (Native.fchown((int)handle.DangerousGetHandle(), uid, gid) != 0)
            {
                throw new IOException(
                    $"Cannot keep the owner of {pathForMessages} (user {uid}, group {gid}): {Marshal.GetLastPInvokeErrorMessage()}. Run as that user or as root.");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Makes <paramref name="newPath"/> a second name of <paramref name="existing"/>; false when the system or file system cannot.</summary>
    public static bool TryLink(string existing, string newPath) =>
        OperatingSystem.IsLinux() && Native.link(Path0(existing), Path0(newPath)) == 0;

    /// <summary>Flushes a folder's entries (the renames in it) to disk; best effort.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Native.open(Path0(directory), ORdOnly | OCloExec);
        if (fd >= 0)
        {
            _ = Native.fsync(fd);
            _ = Native.close(fd);
        }
    }

    private static byte[] Path0(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        return bytes;
    }

#pragma warning disable SYSLIB1054 // DllImport with blittable arguments only: no marshalling code is generated either way.
    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int statx(int dirfd, byte[] path, int flags, uint mask, [Out] byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fchown(int fd, uint uid, uint gid);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int link(byte[] existing, byte[] newPath);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true, EntryPoint = "open")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open(byte[] path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int flock(int fd, int operation);
    }
#pragma warning restore SYSLIB1054
}

/// <summary>What identifies one version of a file on Linux (see <see cref="UnixFile.Identity"/>).</summary>
/// <param name="Device">The file system's device number.</param>
/// <param name="Inode">The inode number.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="ModifiedNs">The modification time, in nanoseconds since 1970.</param>
/// <param name="ChangedNs">The status change time, in nanoseconds since 1970.</param>
/// <param name="Links">The number of names (hard links).</param>
/// <param name="Mode">The file type and permission bits (<c>st_mode</c>).</param>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs, uint Links, int Mode)
{
    /// <summary>Whether this is a regular file.</summary>
    public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

    /// <summary>The permission bits (with set-id and sticky bits).</summary>
    public int Permissions => Mode & 0xFFF;
}

using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PostfixConfig.Output;

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
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
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

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);
    }
#pragma warning restore SYSLIB1054
}

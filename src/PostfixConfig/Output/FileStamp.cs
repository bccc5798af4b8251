using System.Security.Cryptography;

namespace PostfixConfig.Output;

/// <summary>
/// One version of a file as a writer saw it: whether it existed, its device, inode, size and
/// modification time, and the SHA-256 of its content. A write re-takes the stamp of each target just
/// before its rename and stops when it differs (<see cref="TargetChangedException"/>), so a change
/// made since the file was read (by <c>postconf -e</c>, an editor, another tool) is never overwritten
/// unseen.
/// </summary>
/// <remarks>
/// The status change time and the link count are not compared: the writer's own second name for the
/// previous version (a hard link) changes both. Where the system has no <c>statx</c>, the content
/// hash and size alone decide.
/// </remarks>
internal sealed record FileStamp(bool Exists, ulong Device, ulong Inode, long Size, long ModifiedNs, string Sha256)
{
    /// <summary>The stamp of a file that does not exist.</summary>
    public static FileStamp Missing { get; } = new(false, 0, 0, 0, 0, string.Empty);

    /// <summary>
    /// The stamp of <paramref name="path"/> now; its content is hashed as it streams by (any size). A
    /// FIFO, device or socket is not opened: its stamp says only what it is (writers refuse such targets).
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FileStamp Of(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = UnixFile.Identity(path);
            if (before is null && !File.Exists(path))
            {
                return Missing;
            }

            if (before is { IsRegularFile: false } special)
            {
                return new FileStamp(true, special.Device, special.Inode, 0, special.ModifiedNs, $"(mode {special.Mode:x})");
            }

            string hash;
            long size;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
                hash = Convert.ToHexString(SHA256.HashData(stream));
                size = stream.Length;
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            var after = UnixFile.Identity(path);
            if (before == after || attempt >= 5)
            {
                var id = after ?? new FileIdentity(0, 0, size, 0, 0, 1, 0);
                return new FileStamp(true, id.Device, id.Inode, size, id.ModifiedNs, hash);
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> (a regular file of at most <paramref name="maxBytes"/> bytes) and
    /// stamps the bytes read: the file's identity is taken before and after the read and must agree
    /// (else it is read again), so the stamp belongs to the content.
    /// </summary>
    /// <exception cref="Input.InputTooLargeException">The file holds more than <paramref name="maxBytes"/> bytes.</exception>
    /// <exception cref="IOException">The file cannot be read, or is not a regular file.</exception>
    public static FileStamp Read(string path, long maxBytes, out byte[] content)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = UnixFile.Identity(path);
            if (before is null && !File.Exists(path))
            {
                content = [];
                return Missing;
            }

            byte[] bytes;
            try
            {
                bytes = Input.BoundedFile.ReadAllBytes(path, maxBytes, regularOnly: true);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            var after = UnixFile.Identity(path);
            if (before == after || attempt >= 5)
            {
                content = bytes;
                var id = after ?? new FileIdentity(0, 0, bytes.Length, 0, 0, 1, 0);
                return new FileStamp(true, id.Device, id.Inode, bytes.Length, id.ModifiedNs, Convert.ToHexString(SHA256.HashData(bytes)));
            }
        }
    }
}

/// <summary>
/// A target changed between the moment it was read and the moment it was to be replaced (another
/// program wrote it); nothing was changed. Callers that merged into it merge again from the new text.
/// </summary>
internal sealed class TargetChangedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TargetChangedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TargetChangedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TargetChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file that changed, as the caller named it.</summary>
    public string? Path { get; init; }
}

using System.Security.Cryptography;

namespace PostfixConfig.IO;

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
    public static FileStamp Of(string path) => Take(path, describeSpecial: true, out _, () =>
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        return (stream.Length, Convert.ToHexString(SHA256.HashData(stream)), []);
    });

    /// <summary>
    /// Reads <paramref name="path"/> (a regular file of at most <paramref name="maxBytes"/> bytes) and
    /// stamps the bytes read, so the stamp belongs to the content.
    /// </summary>
    /// <exception cref="IO.InputTooLargeException">The file holds more than <paramref name="maxBytes"/> bytes.</exception>
    /// <exception cref="IOException">The file cannot be read, or is not a regular file.</exception>
    public static FileStamp Read(string path, long maxBytes, out byte[] content) => Take(path, describeSpecial: false, out content, () =>
    {
        var bytes = IO.BoundedFile.ReadAllBytes(path, maxBytes, regularOnly: true);
        return (bytes.Length, Convert.ToHexString(SHA256.HashData(bytes)), bytes);
    });

    /// <summary>
    /// Reads the file with <paramref name="read"/> between two looks at its identity, which must agree
    /// (else it is read again, up to five times), so that the stamp and the content are of one version.
    /// </summary>
    private static FileStamp Take(string path, bool describeSpecial, out byte[] content, Func<(long Size, string Hash, byte[] Content)> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            content = [];
            var before = UnixFile.Identity(path);
            if (before is null && !File.Exists(path))
            {
                return Missing;
            }

            if (describeSpecial && before is { IsRegularFile: false } special)
            {
                return new FileStamp(true, special.Device, special.Inode, 0, special.ModifiedNs, $"(mode {special.Mode:x})");
            }

            (long Size, string Hash, byte[] Content) got;
            try
            {
                got = read();
            }
            catch (FileNotFoundException)
            {
                continue; // replaced between the look and the open: look again
            }

            var after = UnixFile.Identity(path);
            if (before == after || attempt >= 5)
            {
                content = got.Content;
                var id = after ?? new FileIdentity(0, 0, got.Size, 0, 0, 1, 0);
                return new FileStamp(true, id.Device, id.Inode, got.Size, id.ModifiedNs, got.Hash);
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

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

    /// <summary>The stamp of <paramref name="path"/> now (its content is read and hashed).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FileStamp Of(string path) => Read(path, out _, keepContent: false);

    /// <summary>
    /// Reads <paramref name="path"/> and stamps the bytes read: the file's identity is taken before
    /// and after the read and must agree (else it is read again), so the stamp belongs to the content.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read, or keeps changing while it is read.</exception>
    public static FileStamp Read(string path, out byte[] content) => Read(path, out content, keepContent: true);

    private static FileStamp Read(string path, out byte[] content, bool keepContent)
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
                bytes = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            var after = UnixFile.Identity(path);
            if (before == after || attempt >= 5)
            {
                content = keepContent ? bytes : [];
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

using System.Globalization;

namespace PostfixConfig.IO;

/// <summary>
/// The size limits on the files read besides the YAML (docs/safety.md). Postfix itself
/// has no hard limit on main.cf or master.cf, but real ones are kilobytes; the limits are far above
/// any real file and keep memory bounded for any input.
/// </summary>
internal static class InputLimits
{
    /// <summary>main.cf and master.cf: 16 MiB.</summary>
    public const long ConfigFileBytes = 16L << 20;

    /// <summary>One logical line of main.cf, master.cf or a lookup table source (a line with its continuation lines): 1 MiB of characters.</summary>
    public const int LogicalLineChars = 1 << 20;

    /// <summary>A policy table source file (100 000 entries are about 4 MB): 256 MiB, as for YAML.</summary>
    public const long PolicyMapBytes = 256L << 20;

    /// <summary>The source file of <c>tls_server_sni_maps</c>: 16 MiB.</summary>
    public const long SniSourceBytes = 16L << 20;

    /// <summary>A key or certificate file (a chain is a few kilobytes): 1 MiB.</summary>
    public const long PemBytes = 1L << 20;

    /// <summary>A byte count for messages: <c>16 MiB</c>, <c>1 MiB</c>, else bytes.</summary>
    public static string Describe(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0
            ? (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB"
            : bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}

/// <summary>A file is larger than the limit for what it holds; nothing beyond the limit was read.</summary>
internal sealed class InputTooLargeException : IOException
{
    public InputTooLargeException(string path, long limit, long? length)
        : base(length is { } n
            ? $"{path} is {n.ToString("N0", CultureInfo.InvariantCulture)} bytes long; the limit is {InputLimits.Describe(limit)}."
            : $"{path} holds more than {InputLimits.Describe(limit)} (reading stopped there); the limit is {InputLimits.Describe(limit)}.")
    {
        FilePath = path;
        Limit = limit;
    }

    public InputTooLargeException()
    {
        FilePath = string.Empty;
    }

    public InputTooLargeException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    public InputTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    public string FilePath { get; }

    public long Limit { get; }
}

/// <summary>A file found by name (next to main.cf, or named in a setting) is a FIFO, device or socket, which is never opened.</summary>
internal sealed class NotRegularFileException : IOException
{
    public NotRegularFileException(string path)
        : base($"{path} is not a regular file (a FIFO, device or socket); it was not opened.")
    {
    }

    public NotRegularFileException()
    {
    }

    public NotRegularFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Reads whole files with a byte limit that holds for any file: the size is checked before reading,
/// and reading stops one byte past the limit, so a FIFO, <c>/dev/urandom</c> or a file that grows
/// while it is read (all of which may report a length of 0) cannot fill memory.
/// </summary>
internal static class BoundedFile
{
    private const int Chunk = 1 << 16;

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The limit.</param>
    /// <param name="regularOnly">Refuse (without opening it, which could block) anything but a regular file or a link to one.</param>
    /// <exception cref="InputTooLargeException">The file holds more than <paramref name="maxBytes"/> bytes.</exception>
    /// <exception cref="NotRegularFileException"><paramref name="regularOnly"/> and the file is a FIFO, device or socket.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes, bool regularOnly)
    {
        if (regularOnly && !IsRegularFile(path))
        {
            throw new NotRegularFileException(path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        long? known = null;
        if (stream.CanSeek)
        {
            known = stream.Length;
            if (known > maxBytes)
            {
                throw new InputTooLargeException(path, maxBytes, known);
            }
        }

        // One byte more than the reported length (0 for pipes and devices) tells the end; grow only as bytes arrive.
        var buffer = new byte[(int)Math.Min(maxBytes + 1, known is { } k ? k + 1 : Chunk)];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled > maxBytes)
                {
                    throw new InputTooLargeException(path, maxBytes, null);
                }

                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
            }

            var n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        if (filled > maxBytes)
        {
            throw new InputTooLargeException(path, maxBytes, null);
        }

        if (filled != buffer.Length)
        {
            Array.Resize(ref buffer, filled);
        }

        return buffer;
    }

    /// <summary>Whether <paramref name="path"/> is a regular file, following symbolic links (Let's Encrypt's live/ files are links).</summary>
    /// <exception cref="IOException">The file cannot be examined.</exception>
    public static bool IsRegularFile(string path)
    {
        var target = new FileInfo(path).LinkTarget is null ? path : File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        return UnixFile.IsRegularFile(target);
    }
}

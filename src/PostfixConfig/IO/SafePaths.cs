namespace PostfixConfig.IO;

/// <summary>Path checks shared by the file writer and the template loader: where a path really leads.</summary>
internal static class SafePaths
{
    private const int MaxLinkHops = 40;

    /// <summary>
    /// The absolute path with every symbolic link resolved (like <c>realpath</c>), for paths whose
    /// last parts need not exist yet. <c>..</c> is applied after the link before it is resolved, as the
    /// kernel does.
    /// </summary>
    /// <exception cref="IOException">A loop of symbolic links.</exception>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            return full;
        }

        var pending = new Stack<string>(full.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"Too many symbolic links while resolving {path}.");
                }

                foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(p);
                }

                if (target.StartsWith('/'))
                {
                    current = "/";
                }

                continue;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> itself or lies below it (both already real paths).</summary>
    public static bool IsInside(string path, string folder)
    {
        var root = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        return path == folder || path.StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>Whether the entry itself (not what it points to) is a symbolic link.</summary>
    public static bool IsSymbolicLink(string path) => new FileInfo(path).LinkTarget is not null;
}

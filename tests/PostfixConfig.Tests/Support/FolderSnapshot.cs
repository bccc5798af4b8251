using System.Security.Cryptography;
using System.Text;
using PostfixConfig.IO;

namespace PostfixConfig.Tests.Support;

/// <summary>
/// Everything about a folder that a failed write must not change: every entry (hidden ones
/// included, so a left-over temporary file shows), its type, mode, owner, link target and a hash
/// of its content. Two snapshots are equal when nothing changed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed record FolderSnapshot(string Text)
{
    public static FolderSnapshot Of(string folder)
    {
        var sb = new StringBuilder();
        if (!Directory.Exists(folder))
        {
            return new FolderSnapshot(File.Exists(folder) ? "(a file: " + Hash(folder) + ")" : "(missing)");
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
        }).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            sb.Append(Path.GetRelativePath(folder, path)).Append(' ');
            if (info.LinkTarget is { } target)
            {
                sb.Append("-> ").Append(target);
            }
            else if (Directory.Exists(path))
            {
                sb.Append("dir ").Append(new DirectoryInfo(path).UnixFileMode);
            }
            else if (!UnixFile.IsRegularFile(path))
            {
                sb.Append("special ").Append(UnixFile.Stat(path)); // a FIFO or device: never opened
            }
            else
            {
                sb.Append(info.UnixFileMode).Append(' ').Append(UnixFile.Owner(path)).Append(' ').Append(Hash(path));
            }

            sb.Append('\n');
        }

        return new FolderSnapshot(sb.ToString());
    }

    /// <summary>Entries whose names mark them as this tool's temporary files.</summary>
    public static IEnumerable<string> LeftOvers(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, ".*", SearchOption.AllDirectories)
                .Where(p => p.EndsWith(".tmp", StringComparison.Ordinal) || p.EndsWith(".old", StringComparison.Ordinal))
            : [];

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16];

    public override string ToString() => Text;
}

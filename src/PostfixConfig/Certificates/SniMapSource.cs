using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.IO;

namespace PostfixConfig.Certificates;

/// <summary>
/// Reads the source file of a <c>tls_server_sni_maps</c> table (what <c>postmap -F</c> reads):
/// <c>name file1 file2 ...</c> lines, <c>#</c> comment lines, blank lines, and continuation lines
/// that start with white space.
/// </summary>
internal static class SniMapSource
{
    private const long MaxBytes = InputLimits.SniSourceBytes;

    public sealed record Entry(string Key, string Value, int Line);

    /// <summary>The entries, or none (reported as information) when the file cannot be read.</summary>
    public static IReadOnlyList<Entry> Read(string path, CheckContext context)
    {
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            context.Info(DiagnosticCodes.NotChecked, "tls_server_sni_maps names a table with no file name, so the key and certificate files of an SNI table were not checked.");
            return [];
        }

        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                context.Info(DiagnosticCodes.NotChecked,
                    $"The SNI table source {path} does not exist here, so the key and certificate files it lists were not checked (only the source file is read, not the built table).");
                return [];
            }

            var bytes = BoundedFile.ReadAllBytes(path, MaxBytes, regularOnly: true);
            text = Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0));
        }
        catch (InputTooLargeException e)
        {
            context.Info(DiagnosticCodes.NotChecked, $"The SNI table source was not checked: {e.Message}");
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Info(DiagnosticCodes.NotChecked,
                $"The SNI table source {path} cannot be read ({e.Message}), so the key and certificate files it lists were not checked.");
            return [];
        }

        return Parse(text);
    }

    public static IReadOnlyList<Entry> Parse(string text)
    {
        var entries = new List<Entry>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        StringBuilder? logical = null;
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]) && logical is not null)
            {
                logical.Append(' ').Append(trimmed.TrimEnd());
                continue;
            }

            Add(entries, logical, start);
            logical = new StringBuilder(trimmed.TrimEnd());
            start = i + 1;
        }

        Add(entries, logical, start);
        return entries;
    }

    private static void Add(List<Entry> entries, StringBuilder? logical, int line)
    {
        if (logical is null)
        {
            return;
        }

        var text = logical.ToString();
        var split = text.IndexOfAny([' ', '\t']);
        var key = split < 0 ? text : text[..split];
        var value = split < 0 ? string.Empty : text[split..].Trim();
        entries.Add(new Entry(key.ToLowerInvariant(), value, line));
    }
}

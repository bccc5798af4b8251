using System.Collections.Concurrent;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>What a release's own programs say about it, read once per run.</summary>
internal static class ReleaseFacts
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> DefaultsByPostconf = new(StringComparer.Ordinal);

    /// <summary>Every parameter and its default as the release's <c>postconf -d</c> prints it.</summary>
    public static IReadOnlyDictionary<string, string> Defaults(ReleaseTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return DefaultsByPostconf.GetOrAdd(tree.Postconf, static postconf =>
        {
            var r = Proc.Run(postconf, ["-d"]);
            Assert.True(r.ExitCode == 0, $"{postconf} -d failed: {r.StdErr}");
            return ParseLines(r.StdOut);
        });
    }

    /// <summary><c>name = value</c> lines (postconf output) as name to value.</summary>
    public static Dictionary<string, string> ParseLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf(" =", StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || eq <= 0)
            {
                continue;
            }

            values[line[..eq]] = line.Length > eq + 2 ? line[(eq + 3)..].TrimEnd() : string.Empty;
        }

        return values;
    }

    /// <summary>Collapses list separators (commas and white space), for comparing list values.</summary>
    public static string Collapse(string value) =>
        string.Join(' ', (value ?? string.Empty).Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
}

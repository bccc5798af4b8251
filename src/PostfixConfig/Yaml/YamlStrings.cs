namespace PostfixConfig.Yaml;

/// <summary>
/// The one interning table of the YAML reading: a large policy table repeats a few words (attribute
/// names, levels, <c>&gt;=TLSv1.2</c>, <c>nexthop</c>) in most entries, and keeping one instance of
/// each saves most of the memory its strings would take. The common words are shared by every read;
/// other short values are shared within one read.
/// </summary>
internal sealed class YamlStrings
{
    /// <summary>Values longer than this are not shared (they are rarely repeated).</summary>
    private const int MaxSharedLength = 24;

    /// <summary>At most this many values are kept per read, so a table of unique values does not grow the table without end.</summary>
    private const int MaxShared = 4096;

    // By length: a few comparisons of short spans, cheaper than hashing each scalar.
    private static readonly string[][] CommonWords = GroupByLength(
        "level", "protocols", "ciphers", "exclude", "match", "tafile", "servername", "connection_reuse", "enable_rpk",
        "none", "may", "encrypt", "dane", "dane-only", "fingerprint", "verify", "secure",
        "high", "medium", "nexthop", "dot-nexthop", "hostname", "TLSv1.2", "TLSv1.3", ">=TLSv1.2", ">=TLSv1.3", "yes", "no");

    private Dictionary<string, string>? _shared;

    /// <summary>The text as a string: the shared instance of a common word, a new string otherwise.</summary>
    public static string Word(ReadOnlySpan<char> text) => Common(text) ?? new string(text);

    /// <summary>The instance to keep for <paramref name="value"/>: a common word's, or the first of this read's equal short values.</summary>
    public string Share(string value)
    {
        if (value.Length > MaxSharedLength)
        {
            return value;
        }

        if (Common(value) is { } common)
        {
            return common;
        }

        _shared ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (_shared.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (_shared.Count < MaxShared)
        {
            _shared[value] = value;
        }

        return value;
    }

    private static string? Common(ReadOnlySpan<char> text)
    {
        if (text.Length < CommonWords.Length)
        {
            foreach (var word in CommonWords[text.Length])
            {
                if (text.SequenceEqual(word))
                {
                    return word;
                }
            }
        }

        return null;
    }

    private static string[][] GroupByLength(params string[] words)
    {
        var groups = new string[words.Max(w => w.Length) + 1][];
        for (var n = 0; n < groups.Length; n++)
        {
            groups[n] = [.. words.Where(w => w.Length == n)];
        }

        return groups;
    }
}

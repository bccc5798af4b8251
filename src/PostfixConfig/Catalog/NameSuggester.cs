using System.Runtime.Intrinsics;

namespace PostfixConfig.Catalog;

/// <summary>
/// "Did you mean" for parameter names: the known name at the smallest edit distance (insertions,
/// deletions, substitutions and swaps of neighbours, case-insensitive), ties broken by ordinal
/// order. A lint of a main.cf with thousands of unknown names asks this thousands of times, so
/// candidates are screened with two lower bounds before any distance is computed: the length
/// difference (candidates are kept sorted by length, so only a band of them is looked at), and
/// half the difference of the letter counts (one edit changes those counts by at most two),
/// computed with 16-byte vectors.
/// </summary>
internal sealed class NameSuggester
{
    /// <summary>Letter bins: a-z, 0-9, '_', anything else; padded to three 16-byte vectors.</summary>
    private const int Bins = 48;

    /// <summary>No parameter name comes near this length; longer input gets no suggestion.</summary>
    private const int MaxLength = 128;

    private readonly string[] _names;
    private readonly string[] _lower;
    private readonly byte[] _counts;

    /// <summary>The index of the first candidate of each length (candidates are sorted by length).</summary>
    private readonly int[] _firstOfLength;

    public NameSuggester(IEnumerable<string> names)
    {
        _names = [.. names.Distinct(StringComparer.Ordinal).OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal)];
        _lower = [.. _names.Select(n => n.ToLowerInvariant())];
        var longest = _names.Length == 0 ? 0 : _names[^1].Length;
        _firstOfLength = new int[longest + 2];
        for (int length = 0, i = 0; length < _firstOfLength.Length; length++)
        {
            while (i < _names.Length && _names[i].Length < length)
            {
                i++;
            }

            _firstOfLength[length] = i;
        }

        _counts = new byte[_names.Length * Bins];
        for (var i = 0; i < _names.Length; i++)
        {
            foreach (var c in _lower[i])
            {
                var bin = i * Bins + Bin(c);
                _counts[bin] = (byte)Math.Min(byte.MaxValue, _counts[bin] + 1);
            }
        }
    }

    /// <summary>The closest known name within max(2, length / 4) edits, or <see langword="null"/>.</summary>
    public string? Suggest(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return null;
        }

        Span<char> query = stackalloc char[name.Length];
        name.AsSpan().ToLowerInvariant(query);
        Span<byte> counts = stackalloc byte[Bins];
        foreach (var c in query)
        {
            ref var bin = ref counts[Bin(c)];
            bin = (byte)Math.Min(byte.MaxValue, bin + 1);
        }

        var q0 = Vector128.Create<byte>(counts[..16]);
        var q1 = Vector128.Create<byte>(counts.Slice(16, 16));
        var q2 = Vector128.Create<byte>(counts.Slice(32, 16));

        Span<int> rows = stackalloc int[3 * (MaxLength + 64 + 1)];
        var limit = Math.Max(2, name.Length / 4);
        string? best = null;
        var bestDistance = limit; // candidates farther than this are not considered (ties still are)
        var first = _firstOfLength[Math.Clamp(query.Length - limit, 0, _firstOfLength.Length - 1)];
        var end = _firstOfLength[Math.Min(query.Length + limit + 1, _firstOfLength.Length - 1)];
        for (var i = first; i < end; i++)
        {
            var candidate = _lower[i];
            if (Math.Abs(candidate.Length - query.Length) > bestDistance || CountBound(q0, q1, q2, i) > bestDistance)
            {
                continue;
            }

            var d = Distance(query, candidate, bestDistance, rows);
            if (d < bestDistance || (d == bestDistance && (best is null || string.CompareOrdinal(_names[i], best) < 0)))
            {
                bestDistance = d;
                best = _names[i];
            }
        }

        return best;
    }

    private static int Bin(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= '0' and <= '9' => 26 + (c - '0'),
        '_' => 36,
        _ => 37,
    };

    /// <summary>Half the letter-count difference, rounded up: a lower bound of the edit distance.</summary>
    private int CountBound(Vector128<byte> q0, Vector128<byte> q1, Vector128<byte> q2, int candidate)
    {
        var own = _counts.AsSpan(candidate * Bins, Bins);
        var sum = AbsDiffSum(q0, Vector128.Create<byte>(own[..16]))
            + AbsDiffSum(q1, Vector128.Create<byte>(own.Slice(16, 16)))
            + AbsDiffSum(q2, Vector128.Create<byte>(own.Slice(32, 16)));
        return (sum + 1) / 2;
    }

    private static int AbsDiffSum(Vector128<byte> a, Vector128<byte> b)
    {
        var (low, high) = Vector128.Widen(Vector128.Max(a, b) - Vector128.Min(a, b));
        return Vector128.Sum(low + high);
    }

    /// <summary>Optimal string alignment distance, or <see cref="int.MaxValue"/> once every row exceeds <paramref name="limit"/>.</summary>
    private static int Distance(ReadOnlySpan<char> a, string b, int limit, Span<int> rows)
    {
        var width = b.Length + 1;
        if (rows.Length < 3 * width)
        {
            return int.MaxValue;
        }

        var prev2 = rows[..width];
        var prev = rows.Slice(width, width);
        var cur = rows.Slice(2 * width, width);
        for (var j = 0; j < width; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            var rowMin = i;
            for (var j = 1; j < width; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d = Math.Min(d, prev2[j - 2] + 1);
                }

                cur[j] = d;
                rowMin = Math.Min(rowMin, d);
            }

            if (rowMin > limit)
            {
                return int.MaxValue;
            }

            var spare = prev2;
            prev2 = prev;
            prev = cur;
            cur = spare;
        }

        return prev[width - 1];
    }
}

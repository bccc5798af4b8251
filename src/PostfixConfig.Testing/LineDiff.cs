using System.Globalization;
using System.Text;

namespace PostfixConfig.Testing;

/// <summary>A unified diff of two texts (as <c>diff -u</c> prints it, 3 lines of context), bounded in memory.</summary>
internal static class LineDiff
{
    private const int Context = 3;
    private const long MaxCells = 4_000_000;

    public static string Unified(string oldText, string newText, string oldLabel, string newLabel)
    {
        if (oldText == newText)
        {
            return string.Empty;
        }

        var a = Lines(oldText);
        var b = Lines(newText);
        var sb = new StringBuilder().Append("--- ").Append(oldLabel).Append('\n').Append("+++ ").Append(newLabel).Append('\n');
        if ((long)(a.Length + 1) * (b.Length + 1) > MaxCells)
        {
            // Too large for a line-by-line comparison in memory: show both in full as one hunk.
            AppendHunk(sb, [.. a.Select(l => ('-', l)), .. b.Select(l => ('+', l))], 0, a.Length, 0, b.Length);
            return sb.ToString();
        }

        var ops = Script(a, b);
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from Context lines before this change to Context lines after the last change
            // that is at most 2*Context unchanged lines away from the previous one.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    end++;
                    continue;
                }

                var run = end;
                while (run < ops.Count && ops[run].Kind == ' ')
                {
                    run++;
                }

                if (run == ops.Count || run - end > 2 * Context)
                {
                    end = Math.Min(ops.Count, end + Context);
                    break;
                }

                end = run;
            }

            var oldStart = ops.Take(start).Count(o => o.Kind != '+');
            var newStart = ops.Take(start).Count(o => o.Kind != '-');
            var slice = ops.GetRange(start, end - start);
            AppendHunk(sb, slice, oldStart, slice.Count(o => o.Kind != '+'), newStart, slice.Count(o => o.Kind != '-'));
            i = end;
        }

        return sb.ToString();
    }

    private static void AppendHunk(StringBuilder sb, IReadOnlyList<(char Kind, string Line)> lines, int oldStart, int oldCount, int newStart, int newCount)
    {
        sb.Append(CultureInfo.InvariantCulture, $"@@ -{oldStart + (oldCount == 0 ? 0 : 1)},{oldCount} +{newStart + (newCount == 0 ? 0 : 1)},{newCount} @@\n");
        foreach (var (kind, line) in lines)
        {
            sb.Append(kind).Append(line).Append('\n');
        }
    }

    private static string[] Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private static List<(char Kind, string Line)> Script(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(char, string)>(a.Length + b.Length);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                ops.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                ops.Add(('-', a[x++]));
            }
            else
            {
                ops.Add(('+', b[y++]));
            }
        }

        return ops;
    }
}

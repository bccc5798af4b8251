using System.Text;

namespace PostfixConfig.Text;

/// <summary>
/// A unified diff (as <c>diff -u</c> prints it) of two texts: the one diff of the project, for
/// <c>merge --diff</c>, <c>apply --diff</c> and golden-file failures.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;
    private const long MaxCells = 16_000_000;

    /// <summary>The diff from <paramref name="oldText"/> to <paramref name="newText"/>; empty when they are equal.</summary>
    /// <param name="oldText">The text before.</param>
    /// <param name="newText">The text after.</param>
    /// <param name="oldLabel">The name on the <c>---</c> line.</param>
    /// <param name="newLabel">The name on the <c>+++</c> line.</param>
    public static string Create(string oldText, string newText, string oldLabel, string newLabel)
    {
        if (oldText == newText)
        {
            return string.Empty;
        }

        var a = Lines(oldText);
        var b = Lines(newText);
        var ops = Script(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldLabel).Append('\n');
        sb.Append("+++ ").Append(newLabel).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

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

            var oldStart = ops[start].OldIndex;
            var newStart = ops[start].NewIndex;
            var oldCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '+');
            var newCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '-');
            sb.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            for (var k = start; k < end; k++)
            {
                var (kind, line) = (ops[k].Kind, ops[k].Text);
                sb.Append(kind).Append(line.TrimEnd('\n')).Append('\n');
                if (!line.EndsWith('\n'))
                {
                    sb.Append("\\ No newline at end of file\n");
                }
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string Range(int start, int count) => count == 0
        ? $"{start},0"
        : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var offset = 0;
        while (offset < text.Length)
        {
            var nl = text.IndexOf('\n', offset);
            var end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[offset..end]);
            offset = end;
        }

        return lines;
    }

    private readonly record struct Op(char Kind, string Text, int OldIndex, int NewIndex);

    private static List<Op> Script(List<string> a, List<string> b)
    {
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[a.Count - 1 - suffix] == b[b.Count - 1 - suffix])
        {
            suffix++;
        }

        var ops = new List<Op>();
        for (var k = 0; k < prefix; k++)
        {
            ops.Add(new Op(' ', a[k], k, k));
        }

        var n = a.Count - prefix - suffix;
        var m = b.Count - prefix - suffix;
        if ((long)n * m > MaxCells)
        {
            for (var k = 0; k < n; k++)
            {
                ops.Add(new Op('-', a[prefix + k], prefix + k, prefix));
            }

            for (var k = 0; k < m; k++)
            {
                ops.Add(new Op('+', b[prefix + k], prefix + n, prefix + k));
            }
        }
        else
        {
            var lcs = new int[n + 1, m + 1];
            for (var x = n - 1; x >= 0; x--)
            {
                for (var y = m - 1; y >= 0; y--)
                {
                    lcs[x, y] = a[prefix + x] == b[prefix + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
                }
            }

            int p = 0, q = 0;
            while (p < n || q < m)
            {
                if (p < n && q < m && a[prefix + p] == b[prefix + q])
                {
                    ops.Add(new Op(' ', a[prefix + p], prefix + p, prefix + q));
                    p++;
                    q++;
                }
                else if (p < n && (q == m || lcs[p + 1, q] >= lcs[p, q + 1]))
                {
                    ops.Add(new Op('-', a[prefix + p], prefix + p, prefix + q));
                    p++;
                }
                else
                {
                    ops.Add(new Op('+', b[prefix + q], prefix + p, prefix + q));
                    q++;
                }
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            var ai = a.Count - suffix + k;
            var bi = b.Count - suffix + k;
            ops.Add(new Op(' ', a[ai], ai, bi));
        }

        return ops;
    }
}

using System.Text;

namespace PostfixConfig.Tests.Support;

/// <summary>
/// Golden-file comparison: the expected text lives in a file next to the test's input. Set
/// <c>UPDATE_GOLDEN=1</c> to rewrite the expected files; review the diff like code.
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    /// <summary>Compares <paramref name="actual"/> with the file; fails with a unified diff.</summary>
    public static void Match(string expectedPath, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(expectedPath)!);
            File.WriteAllText(expectedPath, actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"Golden file {expectedPath} is missing; run the tests with UPDATE_GOLDEN=1 and review it.");
        var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            Assert.Fail($"{expectedPath} differs (run with UPDATE_GOLDEN=1 to accept):\n{UnifiedDiff(expected, actual)}");
        }
    }

    /// <summary>A small line diff (LCS) in unified style, enough to read a golden failure.</summary>
    public static string UnifiedDiff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var sb = new StringBuilder("--- expected\n+++ actual\n");
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                sb.Append("  ").AppendLine(a[x]);
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                sb.Append("+ ").AppendLine(b[y++]);
            }
            else
            {
                sb.Append("- ").AppendLine(a[x++]);
            }
        }

        return sb.ToString();
    }
}

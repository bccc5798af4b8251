using System.Text;
using System.Text.RegularExpressions;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.MainCf;

/// <summary>Runs the real postconf on main.cf text and parses what it prints.</summary>
internal static partial class Postconf
{
    public sealed record Run(int ExitCode, Dictionary<string, string> Values, Dictionary<string, string> Unused, string StdErr)
    {
        public bool Warned(string fragment) => StdErr.Contains(fragment, StringComparison.Ordinal);
    }

    /// <summary>
    /// A config folder holding <paramref name="mainCf"/> (exact bytes) and an empty master.cf. The files
    /// are dated an hour back: Postfix re-reads a file modified within the last second or two, pausing
    /// 0.3 s each time, until it "cools down" (dict_load_file_xt), which costs about 2 s per run.
    /// </summary>
    public static TempDir Folder(string mainCf)
    {
        var dir = new TempDir();
        File.WriteAllBytes(dir.File("main.cf"), new UTF8Encoding(false).GetBytes(mainCf));
        File.WriteAllText(dir.File("master.cf"), string.Empty);
        Cool(dir);
        return dir;
    }

    /// <summary>Dates main.cf and master.cf an hour back (see <see cref="Folder"/>).</summary>
    public static void Cool(TempDir dir)
    {
        foreach (var name in new[] { "main.cf", "master.cf" })
        {
            if (File.Exists(dir.File(name)))
            {
                File.SetLastWriteTimeUtc(dir.File(name), DateTime.UtcNow.AddHours(-1));
            }
        }
    }

    /// <summary><c>postconf -c DIR -n</c> (or <c>-nx</c>) on the text: printed values, and the values of "unused parameter" warnings.</summary>
    public static Run N(string mainCf, bool expand = false)
    {
        using var dir = Folder(mainCf);
        return N(dir, expand);
    }

    public static Run N(TempDir dir, bool expand = false)
    {
        var r = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, expand ? "-nx" : "-n");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.ExitCode == 0)
        {
            foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = line.IndexOf(" =", StringComparison.Ordinal);
                Assert.True(eq > 0, $"unexpected postconf line: {line}");
                var name = line[..eq];
                if (name != "config_directory")
                {
                    values[name] = line.Length > eq + 2 ? line[(eq + 3)..] : string.Empty;
                }
            }
        }

        var unused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in UnusedPattern().Matches(r.StdErr))
        {
            unused[m.Groups[1].Value] = m.Groups[2].Value;
        }

        return new Run(r.ExitCode, values, unused, r.StdErr);
    }

    /// <summary>
    /// What postconf prints for a value: runs of space, tab, CR and LF become one space, none at either
    /// end (postconf_print.c). Written here independently of the library.
    /// </summary>
    public static string Printed(string value) => WhitespaceRun().Replace(value, " ").Trim(' ');

    /// <summary>How a value appears in a postconf warning: non-printable characters become '?'.</summary>
    public static string InWarning(string value) => new([.. value.Select(c => c < 0x20 || c == 0x7f ? '?' : c)]);

    [GeneratedRegex(@"unused parameter: ([^=\n]*)=([^\n]*)")]
    private static partial Regex UnusedPattern();

    [GeneratedRegex("[ \t\r\n]+")]
    private static partial Regex WhitespaceRun();
}

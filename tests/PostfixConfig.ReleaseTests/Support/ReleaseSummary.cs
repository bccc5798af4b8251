using System.Globalization;
using System.Text;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// The run's summary per release, one line per release and column (<c>RELEASE\tCOLUMN\tVALUE</c>),
/// after three header lines (<c>#run</c>, <c>#machine</c>, <c>#commit</c>): what the docs table
/// (docs/conformance.md, made by <c>tools/postfix-releases/table.sh</c>) is built from. The file is
/// <c>RELEASE_SUMMARY_FILE</c>, by default <c>release-summary.tsv</c> next to the test assembly; the first
/// line a test run writes starts it afresh. The project's <c>PrintReleaseSummary</c> target prints it
/// after <c>dotnet test</c>, so the counts show in the CI log for passing tests too.
/// </summary>
internal static class ReleaseSummary
{
    /// <summary>The columns, in table order.</summary>
    public static readonly string[] Columns = ["catalog", "notices", "inputs", "renders", "refusals", "differential", "live", "stock"];

    private static readonly Lock Gate = new();
    private static bool _started;

    public static string FilePath =>
        Environment.GetEnvironmentVariable("RELEASE_SUMMARY_FILE") is { Length: > 0 } f ? f : Path.Combine(AppContext.BaseDirectory, "release-summary.tsv");

    /// <summary>Records one column's value for a release (a tab or line break in it becomes a space).</summary>
    public static void Record(ReleaseTree release, string column, string value)
    {
        ArgumentNullException.ThrowIfNull(release);
        Write(release.MailVersion + (release.IsInstalled ? " (Debian)" : string.Empty), column, value);
    }

    /// <summary>Records a line for the matrix as a whole (<c>#releases</c>, ...).</summary>
    public static void Write(string key, string column, string value)
    {
        var line = string.Join('\t', Clean(key), Clean(column), Clean(value)) + "\n";
        lock (Gate)
        {
            var path = FilePath;
            if (!_started)
            {
                _started = true;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.WriteAllText(path, Header());
            }

            File.AppendAllText(path, line);
        }
    }

    /// <summary>When, where and on which commit the run was made.</summary>
    private static string Header()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            : null;
        var gib = memory is null ? null : (long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024).ToString(CultureInfo.InvariantCulture) + " GiB RAM";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"')
            : null;
        var machine = string.Join(", ", new[] { os, $"{Environment.ProcessorCount} cores{(cpu is null ? string.Empty : " of " + cpu)}", gib }.OfType<string>());
        var head = Git("rev-parse", "--short", "HEAD");
        var dirty = Git("status", "--porcelain", "--untracked-files=no");
        var commit = head is { Length: > 0 } ? head + (dirty is { Length: > 0 } ? " (with uncommitted changes)" : string.Empty) : "unknown";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"#run\t{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n");
        sb.Append(CultureInfo.InvariantCulture, $"#machine\t{Clean(machine)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#commit\t{commit}\n");
        return sb.ToString();
    }

    /// <summary>git's output in the checkout, or null (no git, no repository, not ours).</summary>
    private static string? Git(params string[] args)
    {
        try
        {
            var r = Proc.Run("git", ["-C", Releases.RepoRoot, .. args]);
            return r.ExitCode == 0 ? r.StdOut.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    // MSBuild's ReadLinesFromFile splits items at ';': the values use ',' instead.
    private static string Clean(string text) =>
        text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ').Replace(';', ',').Replace('%', ' ').Replace('$', ' ').Replace('@', ' ');
}

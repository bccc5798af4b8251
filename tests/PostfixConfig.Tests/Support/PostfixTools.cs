using PostfixConfig.Rendering;

namespace PostfixConfig.Tests.Support;

/// <summary>
/// Runs the real Postfix tools (postconf, postmap) that `.ci/run` installs. Tests that need them
/// use <see cref="PostfixFactAttribute"/>: skipped with a reason where Postfix is missing, but
/// never skipped when <c>CI</c> is set (then a missing Postfix fails the test).
/// </summary>
internal static class PostfixTools
{
    public const string Postconf = "/usr/sbin/postconf";
    public const string Postmap = "/usr/sbin/postmap";

    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static bool Available => File.Exists(Postconf) && File.Exists(Postmap);

    public static string? SkipReason =>
        Available || IsCi ? null : "Postfix is not installed here (apt-get install postfix); with CI set this test fails instead of skipping.";

    public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

    public static ProcessResult Run(string file, params string[] args) => ProcessRunner.Run(file, args);

    /// <summary>
    /// Writes rendered files into a fresh config folder with an empty master.cf unless one was
    /// rendered (so postconf has nothing to warn about except the rendered files).
    /// </summary>
    public static TempDir ConfigDir(RenderedConfiguration rendered)
    {
        var dir = new TempDir();
        rendered.WriteTo(dir.Path);
        if (!File.Exists(dir.File("master.cf")))
        {
            File.WriteAllText(dir.File("master.cf"), string.Empty);
        }

        AgeFiles(dir.Path);
        return dir;
    }

    /// <summary>
    /// Dates the files an hour back: Postfix re-reads a main.cf changed in the last seconds and waits
    /// for it to settle, which would cost every test about two seconds per postconf run.
    /// </summary>
    public static void AgeFiles(string dir)
    {
        var past = DateTime.UtcNow.AddHours(-1);
        foreach (var f in Directory.GetFiles(dir))
        {
            File.SetLastWriteTimeUtc(f, past);
        }
    }

    /// <summary><c>postconf -c DIR -n</c> as name to value (without config_directory), plus stderr.</summary>
    public static (Dictionary<string, string> Values, string StdErr) PostconfN(string dir)
    {
        var r = Run(Postconf, "-c", dir, "-n");
        Assert.True(r.ExitCode == 0, $"postconf -n failed ({r.ExitCode}): {r.StdErr}");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf(" =", StringComparison.Ordinal);
            Assert.True(eq > 0, $"unexpected postconf line: {line}");
            var name = line[..eq];
            var value = line.Length > eq + 2 ? line[(eq + 3)..] : string.Empty;
            if (name != "config_directory")
            {
                values[name] = value;
            }
        }

        return (values, r.StdErr);
    }

    /// <summary><c>postconf -c DIR -P</c>: every master.cf per-service parameter as <c>service/type/name</c> to value, plus stderr.</summary>
    public static (Dictionary<string, string> Values, string StdErr) PostconfP(string dir)
    {
        var r = Run(Postconf, "-c", dir, "-P");
        Assert.True(r.ExitCode == 0, $"postconf -P failed ({r.ExitCode}): {r.StdErr}");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf(" =", StringComparison.Ordinal);
            Assert.True(eq > 0, $"unexpected postconf -P line: {line}");
            values[line[..eq]] = line.Length > eq + 2 ? line[(eq + 3)..] : string.Empty;
        }

        return (values, r.StdErr);
    }

    /// <summary><c>postconf -c DIR -M</c>: the services as <c>service/type</c> to the entry's fields after the type, plus stderr.</summary>
    public static (Dictionary<string, string> Services, string StdErr) PostconfM(string dir)
    {
        var r = Run(Postconf, "-c", dir, "-M");
        Assert.True(r.ExitCode == 0, $"postconf -M failed ({r.ExitCode}): {r.StdErr}");
        var services = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            services[$"{fields[0]}/{fields[1]}"] = string.Join(' ', fields.Skip(2));
        }

        return (services, r.StdErr);
    }

    /// <summary>Compiles a map with <c>postmap -c DIR TYPE:FILE</c>; fails the test on any error or warning.</summary>
    public static void CompileMap(string configDir, string type, string file)
    {
        var r = Run(Postmap, "-c", configDir, $"{type}:{file}");
        Assert.True(r.ExitCode == 0 && r.StdErr.Length == 0, $"postmap {type}:{file} failed ({r.ExitCode}): {r.StdErr}");
    }

    /// <summary><c>postmap -q KEY TYPE:FILE</c>; null when the key is not found.</summary>
    public static string? Query(string configDir, string type, string file, string key)
    {
        var r = Run(Postmap, "-c", configDir, "-q", key, $"{type}:{file}");
        Assert.True(r.ExitCode is 0 or 1, $"postmap -q {key} failed ({r.ExitCode}): {r.StdErr}");
        return r.ExitCode == 0 ? r.StdOut.TrimEnd('\n') : null;
    }

    /// <summary>Collapses list separators (commas and whitespace) for comparing list values.</summary>
    public static string Collapse(string value) =>
        string.Join(' ', value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A fact that needs the real Postfix tools (see <see cref="PostfixTools.SkipReason"/>).</summary>
public sealed class PostfixFactAttribute : FactAttribute
{
    public PostfixFactAttribute()
    {
        if (PostfixTools.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs the real Postfix tools (see <see cref="PostfixTools.SkipReason"/>).</summary>
public sealed class PostfixTheoryAttribute : TheoryAttribute
{
    public PostfixTheoryAttribute()
    {
        if (PostfixTools.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

using System.Text;
using PostfixConfig.Tests.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// Crash safety: the CLI is killed with SIGKILL at every named point of a large render and of a merge
/// (after each write, flush and rename step; the points come from a traced run, so a new step is
/// covered without editing this test). Afterwards every target is the complete old or the complete
/// new file, what is left behind is only what the next run removes, and the next run succeeds and
/// leaves nothing behind.
/// </summary>
[Collection("processes")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Slow")]
public sealed class CrashTests
{
    /// <summary>The policy table entries of the large render (a few megabytes of output).</summary>
    private const int Entries = 20_000;

    [PostfixFact]
    public void Render_KilledAtEveryStep_LeavesEachFileOldOrNew_AndTheNextRunCleansUp()
    {
        using var work = new TempDir();
        var oldYaml = Path.Combine(RepoPaths.Examples, "newsletter.yaml");
        var newYaml = work.Write("large.yaml", LargeConfig());
        var old = Render(work, oldYaml);
        var expected = Render(work, newYaml);
        Assert.NotEqual(old["main.cf"], expected["main.cf"]);

        KillAtEveryPoint(
            work,
            prepare: dir => WriteAll(dir, old),
            args: dir => ["render", newYaml, "--out", dir],
            old,
            expected);
    }

    [PostfixFact]
    public void Merge_KilledAtEveryStep_LeavesEachFileOldOrNew_AndTheNextRunCleansUp()
    {
        using var work = new TempDir();
        var yaml = Path.Combine(RepoPaths.Examples, "newsletter.yaml");
        var old = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.cf"] = RealWorldFiles.DebianDefault(),
            ["master.cf"] = string.Empty,
        };

        // What the merge writes, from a run that is not interrupted.
        using var reference = new TempDir();
        WriteAll(reference.Path, old);
        var done = CliProcess.Start(["merge", yaml, "--into", Path.Combine(reference.Path, "main.cf")]).Wait();
        Assert.True(done.ExitCode == 0, done.StdErr);
        var expected = Directory.GetFiles(reference.Path).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText, StringComparer.Ordinal);
        Assert.NotEqual(old["main.cf"], expected["main.cf"]);
        Assert.True(expected.Count > old.Count, "the merge writes the policy table too");

        KillAtEveryPoint(
            work,
            prepare: dir => WriteAll(dir, old),
            args: dir => ["merge", yaml, "--into", Path.Combine(dir, "main.cf")],
            old,
            expected);
    }

    private static void KillAtEveryPoint(
        TempDir work,
        Action<string> prepare,
        Func<string, string[]> args,
        IReadOnlyDictionary<string, string> old,
        IReadOnlyDictionary<string, string> expected)
    {
        // Every point the run passes, in order.
        var traced = Path.Combine(work.Path, "traced");
        Directory.CreateDirectory(traced);
        prepare(traced);
        var trace = work.File("trace");
        var run = CliProcess.Start(args(traced), new Dictionary<string, string> { ["POSTFIX_CONFIG_TEST_TRACE"] = trace }).Wait();
        Assert.True(run.ExitCode == 0, run.StdErr);
        var points = File.ReadAllLines(trace).Distinct().ToList();
        foreach (var step in new[] { "locked", "written:main.cf", "synced:main.cf", "kept:main.cf", "checked", "renamed:main.cf", "folder-synced", "done" })
        {
            Assert.Contains(step, points);
        }

        Assert.True(points.Count >= 12, string.Join(", ", points));
        var report = new StringBuilder();
        foreach (var (point, i) in points.Select((p, i) => (p, i)))
        {
            var dir = Path.Combine(work.Path, $"kill{i}");
            Directory.CreateDirectory(dir);
            prepare(dir);
            var signal = work.File($"signal{i}");
            using (var victim = CliProcess.Start(args(dir), new Dictionary<string, string>
            {
                ["POSTFIX_CONFIG_TEST_PAUSE"] = point,
                ["POSTFIX_CONFIG_TEST_PAUSE_FILE"] = signal,
            }))
            {
                LostUpdateTests.WaitFor(signal, victim);
                victim.KillHard();
            }

            // Each target is whole: the old file or the new one (or absent, when it did not exist before).
            var newSeen = 0;
            foreach (var name in old.Keys.Union(expected.Keys))
            {
                var path = Path.Combine(dir, name);
                var now = File.Exists(path) ? File.ReadAllText(path) : null;
                var isOld = now == old.GetValueOrDefault(name);
                var isNew = now == expected.GetValueOrDefault(name);
                Assert.True(isOld || isNew, $"killed at {point}: {name} is neither the old nor the new file ({now?.Length ?? -1} characters)");
                newSeen += isNew && !isOld ? 1 : 0;
            }

            // Before the first rename nothing is new; after the renames everything is.
            if (points.IndexOf(point) < points.FindIndex(p => p.StartsWith("renamed:", StringComparison.Ordinal)))
            {
                Assert.True(newSeen == 0, $"killed at {point}: a file is new before any rename");
            }

            if (point is "folder-synced" or "done")
            {
                Assert.True(newSeen == expected.Count(e => old.GetValueOrDefault(e.Key) != e.Value), $"killed at {point}: not every file is new");
            }

            // Leftovers are only what the next run removes: our temporary files and second names, and lock files.
            var leftovers = Directory.GetFiles(dir).Select(Path.GetFileName).Where(f => !old.ContainsKey(f!) && !expected.ContainsKey(f!)).ToList();
            foreach (var left in leftovers)
            {
                Assert.True(
                    left is ".postfix-config.lock" or "main.cf.tmp" or "master.cf.tmp" || System.Text.RegularExpressions.Regex.IsMatch(left!, @"^\..+\.[0-9a-f]{32}\.(tmp|old)$"),
                    $"killed at {point}: unexpected leftover {left}");
            }

            report.Append(point).Append(": ").Append(newSeen).Append(" new, ").Append(leftovers.Count).Append(" left; ");

            // The next run succeeds, and afterwards the folder holds exactly the new files.
            var again = CliProcess.Start(args(dir)).Wait();
            Assert.True(again.ExitCode == 0, $"after a kill at {point}: {again.StdErr}");
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
            foreach (var (name, content) in expected)
            {
                Assert.True(content == File.ReadAllText(Path.Combine(dir, name)), $"after a kill at {point} and a new run: {name} differs");
            }

            var n = PostfixTools.Run(PostfixTools.Postconf, "-c", dir, "-n");
            Assert.True(n.ExitCode == 0, n.StdErr);
            Directory.Delete(dir, recursive: true);
        }

        Assert.True(report.Length > 0, report.ToString());
    }

    /// <summary>Renders a configuration into a scratch folder (with the CLI, as the test runs it) and returns the files.</summary>
    private static Dictionary<string, string> Render(TempDir work, string yaml)
    {
        var dir = Path.Combine(work.Path, "render-" + Path.GetFileNameWithoutExtension(yaml));
        var r = CliRunner.Run("render", yaml, "--out", dir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var files = Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText, StringComparer.Ordinal);
        if (!files.ContainsKey("master.cf"))
        {
            files["master.cf"] = string.Empty; // so that postconf has a complete folder to read
        }

        return files;
    }

    private static void WriteAll(string dir, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(dir, name), content);
        }
    }

    private static string LargeConfig()
    {
        var sb = new StringBuilder("postfix_version: \"3.7\"\nmain:\n  smtp_tls_security_level: may\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\n  smtpd_tls_loglevel: 1\ntls_policy:\n");
        for (var i = 0; i < Entries; i++)
        {
            sb.Append("  mx").Append(i).Append(".example.net: {level: secure, match: \"mx").Append(i).Append(".example.net\"}\n");
        }

        return sb.ToString();
    }
}

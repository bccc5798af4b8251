using System.Diagnostics;
using PostfixConfig.IO;
using PostfixConfig.Tests.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// No lost update: postfix-config writers and postconf -e into one main.cf at the same time, a
/// writer that takes no lock between our read and our rename, and a file that never stops changing.
/// The writers are real processes (the built CLI and the real postconf).
/// </summary>
[Collection("processes")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Slow")]
public sealed class LostUpdateTests
{
    /// <summary>Twenty settings, one per concurrent merge (values Postfix accepts without a warning).</summary>
    private static readonly (string Name, string Value)[] Merged =
    [
        ("smtpd_tls_loglevel", "1"), ("smtp_tls_loglevel", "1"), ("smtpd_tls_received_header", "yes"),
        ("smtp_tls_note_starttls_offer", "yes"), ("delay_warning_time", "4h"), ("maximal_queue_lifetime", "4d"),
        ("bounce_queue_lifetime", "3d"), ("message_size_limit", "20480000"), ("minimal_backoff_time", "310s"),
        ("maximal_backoff_time", "4010s"), ("queue_run_delay", "290s"), ("smtpd_helo_required", "yes"),
        ("disable_vrfy_command", "yes"), ("strict_rfc821_envelopes", "yes"), ("smtpd_timeout", "290s"),
        ("smtp_helo_timeout", "290s"), ("default_process_limit", "90"), ("header_size_limit", "102300"),
        ("smtpd_recipient_limit", "990"), ("smtp_connect_timeout", "29s"),
    ];

    /// <summary>Ten more, one per concurrent postconf -e.</summary>
    private static readonly (string Name, string Value)[] Edited =
    [
        ("smtpd_soft_error_limit", "9"), ("smtpd_hard_error_limit", "19"), ("smtpd_junk_command_limit", "99"),
        ("smtpd_history_flush_threshold", "99"), ("smtpd_policy_service_timeout", "99s"), ("lmtp_connect_timeout", "1s"),
        ("qmgr_message_active_limit", "19999"), ("qmgr_message_recipient_limit", "19999"),
        ("initial_destination_concurrency", "4"), ("default_destination_concurrency_limit", "19"),
    ];

    [PostfixFact]
    public void TwentyMergesAndTenPostconfEdits_AtOnce_EveryChangeAndEveryCommentSurvives()
    {
        using var dir = new TempDir();
        var original = RealWorldFiles.DebianDefault();
        dir.Write("main.cf", original);
        dir.Write("master.cf", string.Empty);
        var yamls = Merged.Select((s, i) => dir.Write($"set{i}.yaml", $"postfix_version: \"3.7\"\nmain:\n  {s.Name}: \"{s.Value}\"\n")).ToList();

        var merges = yamls.Select(y => CliProcess.Start(["merge", y, "--into", dir.File("main.cf"), "--lock-timeout", "300"])).ToList();
        var edits = Edited.Select(e => StartPostconf(dir.Path, $"{e.Name}={e.Value}")).ToList();
        try
        {
            foreach (var (merge, i) in merges.Select((m, i) => (m, i)))
            {
                var r = merge.Wait();
                Assert.True(r.ExitCode == 0, $"merge {Merged[i].Name}: exit {r.ExitCode}\n{r.StdErr}");
            }

            foreach (var edit in edits)
            {
                Assert.True(edit.WaitForExit(180_000), "postconf -e did not finish");
                Assert.True(edit.ExitCode == 0, edit.StandardError.ReadToEnd());
            }
        }
        finally
        {
            merges.ForEach(m => m.Dispose());
            edits.ForEach(e => e.Dispose());
        }

        var n = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-n");
        Assert.True(n.ExitCode == 0 && n.StdErr.Length == 0, n.StdErr);
        var values = n.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(" = ", 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
        foreach (var (name, value) in Merged.Concat(Edited))
        {
            Assert.True(values.TryGetValue(name, out var got) && got == value, $"{name} = {value} was lost; postconf -n:\n{n.StdOut}");
        }

        // Every comment of the original, in its order.
        var final = File.ReadAllLines(dir.File("main.cf"));
        var next = 0;
        foreach (var comment in original.Split('\n').Where(l => l.TrimStart().StartsWith('#')))
        {
            next = Array.IndexOf(final, comment, next);
            Assert.True(next >= 0, $"the comment '{comment}' is gone");
            next++;
        }

        // Nothing left behind: no lock file, no temporary file, no postconf edit file.
        Assert.Equal(["main.cf", "master.cf"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(f => !f!.EndsWith(".yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [PostfixFact]
    public void PostconfE_WaitsWhileTheEditLockIsHeld_AndItsChangeIsKept()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "# a comment\nmyhostname = mx.example.org\n");
        dir.Write("master.cf", string.Empty);
        using (var held = WriteLock.Acquire(dir.Path, ["main.cf"], TimeSpan.FromSeconds(5)))
        {
            using var edit = StartPostconf(dir.Path, "delay_warning_time=4h");
            Assert.False(edit.WaitForExit(1500), "postconf -e finished while postfix-config held Postfix's edit lock on main.cf.tmp");
            Assert.DoesNotContain("delay_warning_time", File.ReadAllText(dir.File("main.cf")), StringComparison.Ordinal);

            // Our own write, under the lock it holds.
            var stamps = new Dictionary<string, FileStamp> { ["main.cf"] = FileStamp.Of(dir.File("main.cf")) };
            AtomicFileWriter.Write(dir.Path, [("main.cf", (Action<TextWriter>)(w => w.Write("# a comment\nmyhostname = mx.example.org\nsmtpd_tls_loglevel = 1\n")), false)],
                WriteOptions.Default, new AtomicFileWriter.Guard(held, stamps));
            held.Dispose();
            Assert.True(edit.WaitForExit(60_000), "postconf -e did not go on after the lock was released");
            Assert.Equal(0, edit.ExitCode);
        }

        var text = File.ReadAllText(dir.File("main.cf"));
        Assert.Contains("smtpd_tls_loglevel = 1", text, StringComparison.Ordinal);
        Assert.Contains("delay_warning_time = 4h", text, StringComparison.Ordinal);
        Assert.Contains("# a comment", text, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("main.cf.tmp")));
    }

    [PostfixFact]
    public void TheFolderLock_IsExclusive_TimesOutWithAClearMessage_AndLeavesNoFile()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "myhostname = mx.example.org\n");
        using (WriteLock.Acquire(dir.Path, ["main.cf"], TimeSpan.FromSeconds(5)))
        {
            var e = Assert.Throws<OutputException>(() => WriteLock.Acquire(dir.Path, ["tls_policy"], TimeSpan.FromMilliseconds(200)));
            Assert.Contains(".postfix-config.lock", e.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", e.Message, StringComparison.Ordinal);

            // The CLI waits as long as it is told, then exits 2 naming the lock; main.cf is untouched.
            var yaml = dir.Write("s.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_loglevel: 1\n");
            var r = CliRunner.Run("merge", yaml, "--into", dir.File("main.cf"), "--lock-timeout", "0.3");
            Assert.Equal(2, r.ExitCode);
            Assert.StartsWith($"postfix-config: Another postfix-config run holds the lock on {dir.File(".postfix-config.lock")}; waiting up to 0.3 s.\n", r.StdErr, StringComparison.Ordinal);
            Assert.Contains("Gave up after waiting 0.3 s: another postfix-config run holds the lock on", r.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
            Assert.Equal("myhostname = mx.example.org\n", File.ReadAllText(dir.File("main.cf")));
        }

        // Postfix's edit lock is honoured too: a postconf -e in progress makes us wait.
        using (var fake = new FileStream(dir.File("main.cf.tmp"), new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            Assert.True(UnixFile.TryLockExclusive(fake.SafeFileHandle, "main.cf.tmp"));
            var e = Assert.Throws<OutputException>(() => WriteLock.Acquire(dir.Path, ["main.cf"], TimeSpan.FromMilliseconds(200)));
            Assert.Contains("edit lock on", e.Message, StringComparison.Ordinal);
            Assert.Contains("main.cf.tmp", e.Message, StringComparison.Ordinal);
        }

        File.Delete(dir.File("main.cf.tmp"));
        using (WriteLock.Acquire(dir.Path, ["main.cf"], TimeSpan.FromSeconds(5)))
        {
            Assert.True(File.Exists(dir.File(WriteLock.FileName)));
        }

        Assert.Equal(["main.cf", "s.yaml"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [PostfixFact]
    public void AnEditWithoutLock_BetweenReadAndRename_IsMergedAgain_NotOverwritten()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "# keep me\nmyhostname = mx.example.org\n");
        dir.Write("master.cf", string.Empty);
        var yaml = dir.Write("s.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_loglevel: 1\n");
        var signal = dir.File("paused");
        using var merge = CliProcess.Start(["merge", yaml, "--into", dir.File("main.cf")],
            new Dictionary<string, string> { ["POSTFIX_CONFIG_TEST_PAUSE"] = "kept:main.cf", ["POSTFIX_CONFIG_TEST_PAUSE_FILE"] = signal });
        WaitFor(signal, merge);

        // An editor (or echo >>) that takes no lock: the merge has read main.cf and written its result.
        File.AppendAllText(dir.File("main.cf"), "delay_warning_time = 4h\n");
        File.Delete(signal);
        var r = merge.Wait();
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("merged again", r.StdErr, StringComparison.Ordinal);
        var text = File.ReadAllText(dir.File("main.cf"));
        Assert.Contains("delay_warning_time = 4h", text, StringComparison.Ordinal);
        Assert.Contains("smtpd_tls_loglevel = 1", text, StringComparison.Ordinal);
        Assert.StartsWith("# keep me\n", text, StringComparison.Ordinal);
        var n = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-n");
        Assert.True(n.ExitCode == 0 && n.StdErr.Length == 0, n.StdErr);
    }

    [Fact]
    public void AFileThatKeepsChanging_StopsTheMerge_WithExitTwo_NamingIt_AndNothingOfOursWritten()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "myhostname = mx.example.org\n");
        var yaml = dir.Write("s.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_loglevel: 1\n");
        var changes = 0;
        TestHooks.WriteFault.Value = (stage, name) =>
        {
            if (stage == TestHooks.WriteStage.Staged && name == "main.cf")
            {
                File.AppendAllText(dir.File("main.cf"), $"# edit {++changes}\n");
            }
        };
        try
        {
            var r = CliRunner.Run("merge", yaml, "--into", dir.File("main.cf"));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"{dir.File("main.cf")} kept changing", r.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            TestHooks.WriteFault.Value = null;
        }

        Assert.Equal(5, changes);
        var text = File.ReadAllText(dir.File("main.cf"));
        Assert.Equal("myhostname = mx.example.org\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"# edit {i}\n")), text);
        Assert.Equal(["main.cf", "s.yaml"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    internal static void WaitFor(string signal, CliProcess process)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(signal))
        {
            if (process.HasExited)
            {
                Assert.Fail("the CLI ended before it reached the pause point: " + process.Wait().StdErr);
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(120), "the CLI did not reach the pause point in 120 s");
            Thread.Sleep(10);
        }
    }

    private static Process StartPostconf(string dir, string setting)
    {
        var psi = new ProcessStartInfo(PostfixTools.Postconf) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", dir, "-e", setting })
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }
}

using PostfixConfig.Apply;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Apply;

/// <summary>
/// Carrying out an apply with the real postmap, postconf and postfix check on a scratch config
/// folder (Postfix not running): failures at each step leave the folder byte for byte as it was,
/// and a reload that fails puts the previous files back.
/// </summary>
[Trait("Category", "Slow")]
public class ApplyRunTests
{
    /// <summary>The real commands, with a Postfix that says it runs and a reload that can be made to fail once.</summary>
    private sealed class FakeRunning(bool failFirstReload) : IPostfixCommands
    {
        private bool _failed;

        public List<string> Reloads { get; } = [];

        public IReadOnlySet<string> MapTypes() => PostfixCommands.Default.MapTypes();

        public CommandResult Postmap(string configDirectory, string type, string file, bool fileContents) => PostfixCommands.Default.Postmap(configDirectory, type, file, fileContents);

        public CommandResult Postconf(string configDirectory) => PostfixCommands.Default.Postconf(configDirectory);

        public CommandResult Check(string configDirectory) => PostfixCommands.Default.Check(configDirectory);

        public bool IsRunning(string configDirectory) => true;

        public CommandResult Reload(string configDirectory)
        {
            Reloads.Add(File.ReadAllText(Path.Combine(configDirectory, "main.cf")));
            if (failFirstReload && !_failed)
            {
                _failed = true;
                return new CommandResult("postfix reload", 1, string.Empty, "postfix/postfix-script: fatal: the Postfix mail system is not running");
            }

            return new CommandResult("postfix reload", 0, string.Empty);
        }

        public CommandResult Restart(string configDirectory) => Reload(configDirectory);
    }

    private static TempDir Folder()
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("spool"));
        dir.Write("etc/main.cf", $"# the host's own settings\nqueue_directory = {dir.File("spool")}\nmyhostname = mail.pfc-test.example\n");
        File.Copy(Path.Combine(RepoPaths.Data, "master.cf.debian-3.7.11"), dir.File("etc/master.cf"));
        PostfixTools.AgeFiles(dir.File("etc"));
        return dir;
    }

    private static TlsConfiguration Load(string yaml) => PostfixTls.LoadYaml("postfix_version: \"3.7\"\n" + yaml, "run.yaml").GetValueOrThrow();

    private const string Policy = "main:\n  smtp_tls_policy_maps: cdb:${config_directory}/tls_policy\ntls_policy:\n  example.net: encrypt\n";

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFileSystemEntries(directory).ToDictionary(f => Path.GetFileName(f),
            f => Directory.Exists(f) ? "folder" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))) + File.GetLastWriteTimeUtc(f).Ticks,
            StringComparer.Ordinal);

    [PostfixFact]
    public void Apply_Cdb_CompiledWithItsTypeAndNoStagingLeft()
    {
        using var dir = Folder();
        var options = ApplyOptions.Default with { ConfigDirectory = dir.File("etc"), CheckFiles = false, Commands = new FakeRunning(false) };
        var r = PostfixTls.Apply(Load(Policy), options).GetValueOrThrow();
        Assert.Equal(PostfixAction.Reload, r.Performed);
        Assert.True(File.Exists(dir.File("etc/tls_policy.cdb")));
        Assert.True(File.GetLastWriteTimeUtc(dir.File("etc/tls_policy.cdb")) >= File.GetLastWriteTimeUtc(dir.File("etc/tls_policy")));
        Assert.Equal("encrypt", PostfixTools.Query(dir.File("etc"), "cdb", dir.File("etc/tls_policy"), "example.net"));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.File("etc")), e => Path.GetFileName(e).StartsWith('.'));
        Assert.StartsWith("# the host's own settings\n", File.ReadAllText(dir.File("etc/main.cf")), StringComparison.Ordinal);
        Assert.False(PostfixTls.Apply(Load(Policy), options).GetValueOrThrow().Changed);
    }

    [PostfixFact]
    public void Apply_PostmapFails_FolderUnchanged()
    {
        using var dir = Folder();
        var before = Snapshot(dir.File("etc"));
        var yaml = "main:\n  tls_server_sni_maps: hash:${config_directory}/sni\n  smtpd_tls_chain_files: [/k.pem, /c.pem]\nsni:\n  mail.example.com: [/nonexistent/pfc/key.pem, /nonexistent/pfc/cert.pem]\n";
        var e = Assert.Throws<ApplyException>(() => PostfixTls.Apply(Load(yaml), ApplyOptions.Default with { ConfigDirectory = dir.File("etc"), CheckFiles = false, Commands = new FakeRunning(false) }));
        Assert.Equal(ApplyStep.Compile, e.Step);
        Assert.Contains("postmap -F hash:", e.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/pfc/key.pem", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(dir.File("etc")));
    }

    [PostfixFact]
    public void Apply_WarningTheHostAlreadyHas_DoesNotBlock()
    {
        using var dir = Folder();
        File.AppendAllText(dir.File("etc/main.cf"), "biff = no\nbiff = yes\n"); // postconf: "overriding earlier entry"
        var r = PostfixTls.Apply(Load(Policy), ApplyOptions.Default with { ConfigDirectory = dir.File("etc"), CheckFiles = false, Commands = new FakeRunning(false) });
        Assert.False(r.HasErrors, string.Join('\n', r.Diagnostics));
        Assert.True(r.Value.Changed);
    }

    [PostfixFact]
    public void Apply_WhileAnotherWriterHoldsTheFolder_WaitsThenStops_NothingChanged()
    {
        using var dir = Folder();
        var etc = dir.File("etc");
        var before = Snapshot(etc);
        var options = ApplyOptions.Default with { ConfigDirectory = etc, CheckFiles = false, Commands = new FakeRunning(false), LockTimeout = TimeSpan.FromMilliseconds(300) };
        using (PostfixConfig.IO.WriteLock.Acquire(etc, ["main.cf"], TimeSpan.FromSeconds(5)))
        {
            var e = Assert.Throws<ApplyException>(() => PostfixTls.Apply(Load(Policy), options));
            Assert.Contains("holds the lock on", e.Message, StringComparison.Ordinal);
            Assert.Contains(".postfix-config.lock", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(etc));
        Assert.True(PostfixTls.Apply(Load(Policy), options).GetValueOrThrow().Changed);
    }

    [PostfixFact]
    public void Apply_MainCfEditedWithoutALockMeanwhile_StopsBeforeMovingAnything_AndTheNextApplyKeepsTheEdit()
    {
        using var dir = Folder();
        var etc = dir.File("etc");
        var options = ApplyOptions.Default with { ConfigDirectory = etc, CheckFiles = false, Commands = new FakeRunning(false) };
        var edited = false;
        PostfixConfig.IO.TestHooks.WriteFault.Value = (stage, name) =>
        {
            if (stage == PostfixConfig.IO.TestHooks.WriteStage.Staged && name == "main.cf" && !edited)
            {
                edited = true;
                File.AppendAllText(Path.Combine(etc, "main.cf"), "# edited by hand during the apply\n");
            }
        };
        try
        {
            var e = Assert.Throws<ApplyException>(() => PostfixTls.Apply(Load(Policy), options));
            Assert.Equal(ApplyStep.Commit, e.Step);
            Assert.Contains("main.cf was changed by another program", e.Message, StringComparison.Ordinal);
            Assert.Contains("Run apply again", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            PostfixConfig.IO.TestHooks.WriteFault.Value = null;
        }

        Assert.True(edited);
        Assert.DoesNotContain("smtp_tls_policy_maps", File.ReadAllText(Path.Combine(etc, "main.cf")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(etc, "tls_policy")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(etc), f => Path.GetFileName(f).StartsWith('.'));

        PostfixTls.Apply(Load(Policy), options).GetValueOrThrow();
        var text = File.ReadAllText(Path.Combine(etc, "main.cf"));
        Assert.Contains("# edited by hand during the apply", text, StringComparison.Ordinal);
        Assert.Contains("smtp_tls_policy_maps", text, StringComparison.Ordinal);
    }

    [PostfixFact]
    public void Apply_ReloadFails_PreviousFilesBackAndReloadedAgain()
    {
        using var dir = Folder();
        var etc = dir.File("etc");
        var commands = new FakeRunning(failFirstReload: true);
        var options = ApplyOptions.Default with { ConfigDirectory = etc, CheckFiles = false, Commands = commands };
        var original = File.ReadAllText(Path.Combine(etc, "main.cf"));
        var e = Assert.Throws<ApplyException>(() => PostfixTls.Apply(Load(Policy), options));
        Assert.Equal(ApplyStep.Reload, e.Step);
        Assert.Contains("put back", e.Message, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllText(Path.Combine(etc, "main.cf")));
        Assert.False(File.Exists(Path.Combine(etc, "tls_policy")));
        Assert.False(File.Exists(Path.Combine(etc, "tls_policy.cdb")));
        Assert.Equal(2, commands.Reloads.Count);
        Assert.Contains("smtp_tls_policy_maps", commands.Reloads[0], StringComparison.Ordinal); // the first reload saw the new main.cf
        Assert.Equal(original, commands.Reloads[1]); // the second the old one
        Assert.DoesNotContain(Directory.GetFileSystemEntries(etc), f => Path.GetFileName(f).StartsWith('.'));
    }

    [PostfixFact]
    public void ApplyCli_DryRunJsonAndExitCodes()
    {
        using var dir = Folder();
        var yaml = dir.Write("c.yaml", "postfix_version: \"3.7\"\n" + Policy);
        var before = Snapshot(dir.File("etc"));
        var dry = CliRunner.Run("apply", yaml, "--config-dir", dir.File("etc"), "--dry-run", "--format", "json", "--no-check-files");
        Assert.True(dry.ExitCode == 0, dry.StdErr);
        using (var json = System.Text.Json.JsonDocument.Parse(dry.StdOut))
        {
            Assert.True(json.RootElement.GetProperty("dry_run").GetBoolean());
            Assert.Equal("reload", json.RootElement.GetProperty("action").GetString());
            Assert.Equal($"postmap cdb:{dir.File("etc/tls_policy")}", json.RootElement.GetProperty("compile")[0].GetProperty("command").GetString());
        }

        Assert.Equal(before, Snapshot(dir.File("etc")));
        var text = CliRunner.Run("apply", yaml, "--config-dir", dir.File("etc"), "--dry-run", "--no-check-files");
        Assert.Contains("  compile: postmap cdb:", text.StdOut, StringComparison.Ordinal);

        var bad = dir.Write("bad.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: mya\n");
        var invalid = CliRunner.Run("apply", bad, "--config-dir", dir.File("etc"));
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("bad.yaml(3,29): error", invalid.StdErr, StringComparison.Ordinal);

        var missing = CliRunner.Run("apply", yaml, "--config-dir", dir.File("nope"));
        Assert.Equal(2, missing.ExitCode);
        Assert.DoesNotContain("   at ", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(dir.File("etc")));
    }
}

using System.Text.Json;
using PostfixConfig.Apply;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Apply;

/// <summary>
/// The text before and after of each file an apply writes (<see cref="ApplyPlan.PreviousText"/>,
/// <see cref="ApplyPlan.NewText"/>), and <c>apply --format json</c>, which carries them for a diff
/// (Ansible's diff mode) together with the diagnostics, also when the configuration is refused.
/// </summary>
public class ApplyDiffTests
{
    private const string MainCf = "# the host's own settings\nmyhostname = mail.pfc-test.example\nsmtpd_tls_security_level = none\n";

    private static TempDir Folder()
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("spool"));
        dir.Write("etc/main.cf", MainCf + $"queue_directory = {dir.File("spool")}\n");
        File.Copy(Path.Combine(RepoPaths.Data, "master.cf.debian-3.7.11"), dir.File("etc/master.cf"));
        PostfixTools.AgeFiles(dir.File("etc"));
        return dir;
    }

    private const string Yaml = "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: may\n  smtpd_tls_loglevel: 1\n";

    [Fact]
    public void PlanApply_ChangedMainCf_PreviousIsTheFileAndNewIsWhatIsWritten_UnchangedMasterCfHasNeither()
    {
        using var dir = Folder();
        var original = File.ReadAllText(dir.File("etc/main.cf"));
        var config = PostfixTls.LoadYaml(Yaml, "c.yaml").GetValueOrThrow();
        var plan = PostfixTls.PlanApply(config, ApplyOptions.Default with { ConfigDirectory = dir.File("etc"), CheckFiles = false }).GetValueOrThrow();

        var main = plan.Files.Single(f => f.Path == dir.File("etc/main.cf"));
        Assert.Equal(FileAction.Replace, main.Action);
        Assert.Equal(original, plan.PreviousText(main));
        var after = plan.NewText(main)!;
        Assert.Contains("\nsmtpd_tls_security_level = may\n", after, StringComparison.Ordinal);
        Assert.Contains("smtpd_tls_loglevel = 1\n", after, StringComparison.Ordinal);
        Assert.StartsWith("# the host's own settings\nmyhostname = mail.pfc-test.example\n", after, StringComparison.Ordinal);

        var master = plan.Files.Single(f => f.Path == dir.File("etc/master.cf"));
        Assert.Equal(FileAction.Unchanged, master.Action);
        Assert.Null(plan.PreviousText(master));
        Assert.Null(plan.NewText(master));
        Assert.Equal(original, File.ReadAllText(dir.File("etc/main.cf"))); // planning wrote nothing
    }

    [PostfixFact]
    public void PlanApply_NewPolicyTable_PreviousIsEmpty()
    {
        using var dir = Folder();
        var config = PostfixTls.LoadYaml(Yaml + "  smtp_tls_policy_maps: hash:${config_directory}/tls_policy\ntls_policy:\n  example.net: encrypt\n", "c.yaml").GetValueOrThrow();
        var plan = PostfixTls.PlanApply(config, ApplyOptions.Default with { ConfigDirectory = dir.File("etc"), CheckFiles = false }).GetValueOrThrow();
        var table = plan.Files.Single(f => f.Path == dir.File("etc/tls_policy"));
        Assert.Equal(FileAction.Create, table.Action);
        Assert.Equal(string.Empty, plan.PreviousText(table));
        Assert.Matches(@"(?m)^example\.net\s+encrypt$", plan.NewText(table)!);
    }

    /// <summary>A real apply: "before" is main.cf as it was (read before the write), "after" is main.cf as it is now.</summary>
    [Trait("Category", "Slow")]
    [PostfixFact]
    public void ApplyCli_Json_CarriesBeforeAndAfterOfEachChangedFile_AndTheDiagnostics()
    {
        using var dir = Folder();
        var yaml = dir.Write("c.yaml", Yaml);
        var original = File.ReadAllText(dir.File("etc/main.cf"));
        var run = CliRunner.Run("apply", yaml, "--config-dir", dir.File("etc"), "--format", "json", "--no-reload");
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        Assert.False(root.GetProperty("dry_run").GetBoolean());
        Assert.True(root.GetProperty("changed").GetBoolean());
        var files = root.GetProperty("files").EnumerateArray().ToList();
        var main = Assert.Single(files, f => f.GetProperty("action").GetString() != "unchanged");
        Assert.Equal(dir.File("etc/main.cf"), main.GetProperty("path").GetString());
        Assert.Equal(original, main.GetProperty("before").GetString());
        Assert.Equal(File.ReadAllText(dir.File("etc/main.cf")), main.GetProperty("after").GetString());
        Assert.NotEqual(original, File.ReadAllText(dir.File("etc/main.cf")));
        var master = Assert.Single(files, f => f.GetProperty("path").GetString() == dir.File("etc/master.cf"));
        Assert.False(master.TryGetProperty("before", out _));
        // The warnings printed on stderr are in the JSON too, as data.
        Assert.Contains(root.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "PFX3008" && d.GetProperty("severity").GetString() == "warning");
        Assert.Contains("warning PFX3008", run.StdErr, StringComparison.Ordinal);

        var again = CliRunner.Run("apply", yaml, "--config-dir", dir.File("etc"), "--format", "json", "--no-reload");
        using var second = JsonDocument.Parse(again.StdOut);
        Assert.False(second.RootElement.GetProperty("changed").GetBoolean());
        Assert.All(second.RootElement.GetProperty("files").EnumerateArray(), f => Assert.False(f.TryGetProperty("after", out _)));
    }

    [Theory]
    [InlineData("--dry-run")]
    [InlineData("--no-reload")]
    public void ApplyCli_JsonRefused_PrintsTheDiagnosticsAsJson_ExitCode1_NothingChanged(string mode)
    {
        using var dir = Folder();
        var bad = dir.Write("bad.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: mya\n");
        var before = File.ReadAllText(dir.File("etc/main.cf"));
        var run = CliRunner.Run("apply", bad, "--config-dir", dir.File("etc"), "--format", "json", mode);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad.yaml(3,29): error PFX2005", run.StdErr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.False(json.RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(mode == "--dry-run", json.RootElement.GetProperty("dry_run").GetBoolean());
        var error = Assert.Single(json.RootElement.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("severity").GetString() == "error");
        Assert.Equal("PFX2005", error.GetProperty("code").GetString());
        Assert.Equal("smtpd_tls_security_level", error.GetProperty("parameter").GetString());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal(before, File.ReadAllText(dir.File("etc/main.cf")));
    }
}

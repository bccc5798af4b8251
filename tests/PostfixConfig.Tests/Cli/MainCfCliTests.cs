using System.Text;
using System.Text.Json;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Cli;

/// <summary>The lint, merge and import commands end to end (in-process CLI).</summary>
public class MainCfCliTests
{
    private const string Snakeoil = "smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\nsmtpd_use_tls=yes\n";

    [Fact]
    public void Lint_JsonFormat_PositionsInMainCf()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "# c\n" + Snakeoil);
        var r = CliRunner.Run("lint", mainCf, "--postfix-version", "3.7", "--format", "json");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        using var json = JsonDocument.Parse(r.StdOut);
        var legacy = json.RootElement.EnumerateArray().Single(e => e.GetProperty("code").GetString() == "PFX5021");
        Assert.Equal(("warning", "smtpd_use_tls", 4, 1), (legacy.GetProperty("severity").GetString(), legacy.GetProperty("parameter").GetString(), legacy.GetProperty("line").GetInt32(), legacy.GetProperty("column").GetInt32()));
        Assert.Equal(mainCf, legacy.GetProperty("file").GetString());
    }

    [Fact]
    public void Lint_FileWithErrors_Exits1()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("lint", dir.Write("main.cf", "smtpd_tls_security_level = mya\n"), "--postfix-version", "3.7");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("main.cf(1,28): error PFX2005:", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_MissingFile_Exits2()
    {
        Assert.Equal(2, CliRunner.Run("lint", "/nonexistent/main.cf").ExitCode);
    }

    [Fact]
    public void Merge_WritesMainCfAndMapWithBackupKeepingOtherBytes()
    {
        using var dir = new TempDir();
        const string Original = "# keep me\r\nbiff = no\r\nsmtpd_tls_security_level = none\r\n  # and me\r\n";
        var mainCf = dir.Write("main.cf", Original);
        var yaml = dir.Write("c.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: may\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n  example.com: encrypt\n");
        var r = CliRunner.Run("merge", yaml, "--into", mainCf, "--backup");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(
            "# keep me\r\nbiff = no\r\nsmtpd_tls_security_level = may\r\n  # and me\r\n\r\n# Added by postfix-config merge\r\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\r\n",
            File.ReadAllText(mainCf));
        Assert.Equal(Original, File.ReadAllText(mainCf + ".bak"));
        Assert.Contains("example.com encrypt\n", File.ReadAllText(dir.File("tls_policy")), StringComparison.Ordinal);
        Assert.Contains("changed smtpd_tls_security_level = none -> may", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DryRunWithDiff_PrintsUnifiedDiffWritesNothing()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nsmtpd_tls_loglevel = 0\nh = 8\n");
        var yaml = dir.Write("c.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_loglevel: 1\n");
        var before = File.ReadAllBytes(mainCf);
        var r = CliRunner.Run("merge", yaml, "--into", mainCf, "--dry-run", "--diff");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal($"--- {mainCf}\n+++ {mainCf}\n@@ -5,5 +5,5 @@\n e = 5\n f = 6\n g = 7\n-smtpd_tls_loglevel = 0\n+smtpd_tls_loglevel = 1\n h = 8\n", r.StdOut);
        Assert.Equal(before, File.ReadAllBytes(mainCf));
        Assert.Equal(["c.yaml", "main.cf"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Merge_Migrate_LegacySwitchReplaced()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", Snakeoil);
        var yaml = dir.Write("c.yaml", "postfix_version: \"3.7\"\nmain:\n  smtp_tls_security_level: may\n");
        var r = CliRunner.Run("merge", yaml, "--into", mainCf, "--migrate");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var text = File.ReadAllText(mainCf);
        Assert.Contains("#smtpd_use_tls=yes\nsmtpd_tls_security_level = may\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_IntoFilePostfixRefuses_Exits1AndWritesNothing()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "broken line\n");
        var yaml = dir.Write("c.yaml", "main:\n  biff: no\n");
        var r = CliRunner.Run("merge", yaml, "--into", mainCf);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("PFX5001", r.StdErr, StringComparison.Ordinal);
        Assert.Equal("broken line\n", File.ReadAllText(mainCf));
    }

    [Fact]
    public void Merge_InvalidYaml_Exits1AndWritesNothing()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "biff = no\n");
        var yaml = dir.Write("c.yaml", "main:\n  smtpd_tls_security_level: mya\n");
        Assert.Equal(1, CliRunner.Run("merge", yaml, "--into", mainCf).ExitCode);
        Assert.Equal("biff = no\n", File.ReadAllText(mainCf));
    }

    [Fact]
    public void Import_PrintsYamlThatLoads()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "smtpd_tls_chain_files = /k.pem, /c.pem\nsmtpd_tls_security_level = may\n");
        var policy = dir.Write("other_policy", "example.com encrypt\n");
        var r = CliRunner.Run("import", mainCf, "--policy", policy, "--postfix-version", "3.7");
        Assert.StartsWith("# Imported from main.cf by postfix-config import.\npostfix_version: \"3.7\"\nmain:\n  smtpd_tls_chain_files:\n  - /k.pem\n  - /c.pem\n", r.StdOut, StringComparison.Ordinal);
        var loaded = PostfixTls.LoadYaml(r.StdOut);
        Assert.False(loaded.HasErrors);
        Assert.Equal("encrypt", loaded.Value.TlsPolicy.Find("example.com")!.Level);

        // The table has entries but main.cf names no smtp_tls_policy_maps: rendering would fail, so exit 1.
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("PFX4004", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MissingPolicyFile_Exits2()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "biff = no\n");
        var r = CliRunner.Run("import", mainCf, "--policy", dir.File("nope"));
        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.StdOut);
    }

    [Fact]
    public void Import_Utf8Text_Preserved()
    {
        using var dir = new TempDir();
        var mainCf = dir.File("main.cf");
        File.WriteAllBytes(mainCf, Encoding.UTF8.GetBytes("smtpd_banner = $myhostname ESMTP Grüße\n"));
        var r = CliRunner.Run("import", mainCf);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("$myhostname ESMTP Grüße", PostfixTls.LoadYaml(r.StdOut).GetValueOrThrow().Main.GetText("smtpd_banner"));
    }
}

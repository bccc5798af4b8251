using System.Text.Json;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Cli;

public class CliTests
{
    private static string Newsletter => Path.Combine(RepoPaths.Examples, "newsletter.yaml");

    [Fact]
    public void Render_Newsletter_WritesMainCfAndPolicyMap()
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "out", "nested");
        var r = CliRunner.Run("render", Newsletter, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("smtp_tls_security_level = dane\n", File.ReadAllText(Path.Combine(outDir, "main.cf")), StringComparison.Ordinal);
        Assert.Contains("gmail.com encrypt protocols=TLSv1.2\n", File.ReadAllText(Path.Combine(outDir, "tls_policy")), StringComparison.Ordinal);
        Assert.Equal([".", "main.cf", "tls_policy"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Append(".").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_InvalidConfig_Exits1AndWritesNothing()
    {
        using var dir = new TempDir();
        var config = dir.Write("bad.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: mya\n");
        var outDir = Path.Combine(dir.Path, "out");
        var r = CliRunner.Run("render", config, "--out", outDir);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bad.yaml(3,29): error PFX2005:", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Validate_JsonFormat_ReportsSeverityCodeParameterAndPosition()
    {
        using var dir = new TempDir();
        var config = dir.Write("c.yaml", "postfix_version: \"3.3\"\nmain:\n  smtpd_tls_chain_files: /etc/ssl/key.pem\n  smtpd_tls_chainfiles: x\n");
        var r = CliRunner.Run("validate", config, "--format", "json");
        Assert.Equal(1, r.ExitCode);
        using var json = JsonDocument.Parse(r.StdOut);
        var items = json.RootElement.EnumerateArray().ToList();
        var unknown = items.Single(i => i.GetProperty("code").GetString() == "PFX1001");
        Assert.Equal("error", unknown.GetProperty("severity").GetString());
        Assert.Equal("smtpd_tls_chainfiles", unknown.GetProperty("parameter").GetString());
        Assert.Equal(4, unknown.GetProperty("line").GetInt32());
        Assert.Equal(3, unknown.GetProperty("column").GetInt32());
        Assert.Contains("smtpd_tls_chain_files", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        var tooNew = items.Single(i => i.GetProperty("code").GetString() == "PFX1002");
        Assert.Equal("smtpd_tls_chain_files", tooNew.GetProperty("parameter").GetString());
    }

    [Fact]
    public void Validate_Newsletter_Exits0WithoutWarnings()
    {
        var r = CliRunner.Run("validate", Newsletter);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.DoesNotContain("warning", r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("error", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Params_Release37_ListsTlsParametersWithDefaults()
    {
        var r = CliRunner.Run("params", "--postfix-version", "3.7");
        Assert.Equal(0, r.ExitCode);
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("smtpd_tls_chain_files =", lines);
        Assert.Contains("smtp_tls_security_level =", lines);
        Assert.Contains("smtpd_tls_protocols = >=TLSv1", lines);
        Assert.Contains("smtp_tls_dane_insecure_mx_policy = dane", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("smtpd_tls_enable_rpk", StringComparison.Ordinal)); // 3.9+
    }

    [Theory]
    [InlineData("render")]
    [InlineData("validate", "x.yaml", "--format", "xml")]
    [InlineData("params", "--postfix-version", "three")]
    [InlineData("frobnicate")]
    public void UsageErrors_Exit2(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.NotEmpty(r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_DebianDefaultExample_AnswersIsTlsOn()
    {
        var r = CliRunner.Run("lint", Path.Combine(RepoPaths.Examples, "debian-default-main.cf"), "--postfix-version", "3.7");
        Assert.Equal(0, r.ExitCode); // advice, no error
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("(4,", StringComparison.Ordinal) && l.Contains("info PFX5020: Inbound TLS is on", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(6,1): warning PFX5021: smtpd_use_tls = yes: superseded by smtpd_tls_security_level = may", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("info PFX5022:", StringComparison.Ordinal) && l.Contains("smtpd_tls_chain_files", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("warning PFX5023: Outbound TLS is off", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingFile_Exits2WithOneLine()
    {
        var r = CliRunner.Run("validate", "/nonexistent/config.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("config.yaml", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
    }
}

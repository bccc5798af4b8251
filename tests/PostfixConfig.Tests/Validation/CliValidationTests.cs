using System.Text.Json;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Validation;

/// <summary>The CLI side of validation: <c>explain</c>, and <c>validate --format json</c> for warnings and errors.</summary>
public class CliValidationTests
{
    /// <summary>A default exactly as <c>postconf -d</c> of a reference build prints it.</summary>
    private static string PostconfDefault(string file, string name) =>
        File.ReadLines(Path.Combine(RepoPaths.Data, "postconf-d", file))
            .Single(l => l.StartsWith(name + " =", StringComparison.Ordinal))[(name.Length + 2)..].Trim();

    [Fact]
    public void Explain_KnownParameter_PrintsKindValuesReleasesAndDefault()
    {
        var r = CliRunner.Run("explain", "smtp_tls_mandatory_protocols", "--postfix-version", "3.7");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Kind:", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("Introduced:   Postfix 2.3", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("In Postfix 3.7 (3.7.22): available.", r.StdOut, StringComparison.Ordinal);
        Assert.Contains($"Default:      {PostconfDefault("postconf-d-3.7.22.txt", "smtp_tls_mandatory_protocols")}\n", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_OldRelease_ListsOnlyTheLevelsItAccepts()
    {
        var r = CliRunner.Run("explain", "smtp_tls_security_level", "--postfix-version", "2.4");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("dane (from 2.11)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("fingerprint (from 2.5)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("Accepted:     none, may, encrypt, verify, secure\n", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_DeprecatedParameter_NamesReplacementAndReleases()
    {
        var r = CliRunner.Run("explain", "smtpd_use_tls", "--postfix-version", "3.9");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Deprecated:   Postfix 2.3", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("Replacement:  smtpd_tls_security_level", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("postconf warns when it is set: from Postfix 3.9", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("available, deprecated.", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NotYetAvailable_SaysWhichReleaseBringsIt()
    {
        var r = CliRunner.Run("explain", "smtpd_tls_chain_files", "--postfix-version", "3.3");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("not available yet (needs 3.4)", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ReadmeExample_MatchesActualOutput()
    {
        const string Prompt = "$ postfix-config explain smtp_tls_security_level --postfix-version 2.4\n";
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "configuration.md"));
        var start = readme.IndexOf(Prompt, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/configuration.md has no explain example");
        start += Prompt.Length;
        var shown = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var r = CliRunner.Run("explain", "smtp_tls_security_level", "--postfix-version", "2.4");
        Assert.Equal(shown, r.StdOut);
    }

    [Fact]
    public void Explain_UnknownName_SuggestsNearestAndExits1()
    {
        var r = CliRunner.Run("explain", "smtpd_tls_chainfiles");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("did you mean 'smtpd_tls_chain_files'?", r.StdErr, StringComparison.Ordinal);
        Assert.Empty(r.StdOut);
    }

    [Fact]
    public void Explain_NonTlsParameter_SaysItPassesThrough()
    {
        var r = CliRunner.Run("explain", "myhostname");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("outside the TLS catalog", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateJson_WarningsAndErrors_CarryParameterCodeAndYamlLine()
    {
        using var dir = new TempDir();
        var config = dir.Write("c.yaml", "postfix_version: \"3.5\"\nmain:\n  smtpd_tls_security_level: encrypt\n  smtpd_tls_cert_file: /etc/ssl/certs/mail.pem\n  smtpd_tls_protocols: \">=TLSv1.2\"\n");
        var r = CliRunner.Run("validate", config, "--format", "json");
        Assert.Equal(1, r.ExitCode);
        using var json = JsonDocument.Parse(r.StdOut);
        var items = json.RootElement.EnumerateArray().ToList();
        var warning = items.Single(i => i.GetProperty("code").GetString() == "PFX3005");
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal("smtpd_tls_security_level", warning.GetProperty("parameter").GetString());
        Assert.Equal(3, warning.GetProperty("line").GetInt32());
        Assert.Equal(29, warning.GetProperty("column").GetInt32());
        var error = items.Single(i => i.GetProperty("code").GetString() == "PFX2012");
        Assert.Equal("error", error.GetProperty("severity").GetString());
        Assert.Equal("smtpd_tls_protocols", error.GetProperty("parameter").GetString());
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.EndsWith("c.yaml", error.GetProperty("file").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateJson_PolicyEntryWarning_NamesTheEntry()
    {
        using var dir = new TempDir();
        var config = dir.Write("p.yaml", "postfix_version: \"3.7\"\nmain:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n  example.com:\n    level: none\n    protocols: TLSv1.2\n");
        var r = CliRunner.Run("validate", config, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.StdOut);
        var warning = json.RootElement.EnumerateArray().Single(i => i.GetProperty("code").GetString() == "PFX4009");
        Assert.Equal("tls_policy[example.com]", warning.GetProperty("parameter").GetString());
        Assert.Equal(7, warning.GetProperty("line").GetInt32());
    }
}

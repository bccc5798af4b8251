using System.Reflection;
using PostfixConfig.Diagnostics;
using PostfixConfig.ReleaseTests.Differential;

namespace PostfixConfig.ReleaseTests.Harness;

/// <summary>
/// The "Deliberately stricter" table of docs/releases.md as the differential and render tests read it:
/// each row is one rule (code and condition), every row is read, each covers the message the library
/// really gives for the rule it documents, and nothing else with the same code.
/// </summary>
public class StricterRulesTests
{
    [Fact]
    public void EveryRowIsRead_WithARealCode()
    {
        var rows = File.ReadLines(StricterRules.DocumentPath)
            .SkipWhile(l => !l.StartsWith("## Deliberately stricter", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Count(l => l.StartsWith("| PFX", StringComparison.Ordinal));
        var codes = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetValue(null) as string).ToHashSet(StringComparer.Ordinal);

        Assert.True(rows > 0, "no rule rows in " + StricterRules.DocumentPath);
        Assert.Equal(rows, StricterRules.All.Count);
        Assert.All(StricterRules.All, r => Assert.Contains(r.Code, codes));
    }

    /// <summary>For each documented rule, a configuration that triggers it: the library's own diagnostic is covered.</summary>
    [Theory]
    [InlineData("PFX1002", "3.4.29", "smtp_tls_enable_rpk: \"no\"")]
    [InlineData("PFX1004", "3.7.11", "smtpd_use_tls: \"yes\"")]
    [InlineData("PFX1005", "3.7.11", "smtpd_tls_eecdh_grade: strong")]
    [InlineData("PFX1011", "3.10.13", "tlsproxy_client_level: may")]
    [InlineData("PFX2014", "3.7.11", "smtpd_tls_protocols: \"!TLSv1.1\"")]
    [InlineData("PFX3001", "3.7.11", "smtpd_use_tls: \"no\"\n  smtpd_tls_security_level: may")]
    [InlineData("PFX3003", "3.7.11", "smtp_tls_security_level: dane")]
    [InlineData("PFX3023", "3.7.11", "tlsproxy_client_level: may")]
    [InlineData("PFX3005", "3.7.11", "smtpd_tls_security_level: encrypt")]
    [InlineData("PFX4004", "3.7.11", "smtp_tls_security_level: may\ntls_policy:\n  example.com:\n    level: encrypt")]
    [InlineData("PFX4006", "3.7.11", "smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n  example.com:\n    level: may\n    protocols: \"\"")]
    public void EachRule_CoversTheLibrarysMessage(string code, string release, string yaml)
    {
        var loaded = PostfixTls.LoadYaml($"postfix_version: \"{release}\"\nmain:\n  {yaml}\n", "rule.yaml");
        Assert.False(loaded.HasErrors, loaded.Diagnostics.ToString());
        var found = PostfixTls.Validate(loaded.Value).Where(d => d.Code == code).ToList();

        Assert.NotEmpty(found);
        Assert.Contains(found, d => StricterRules.Find(d) is not null);
    }

    [Fact]
    public void AnotherMessageWithADocumentedCode_IsNotCovered()
    {
        var emptyProtocols = new Diagnostic(DiagnosticSeverity.Warning, "PFX4006", "tls_policy[example.com]",
            "Policy attribute protocols has an empty value: Postfix accepts it and then allows every protocol OpenSSL offers for example.com.");
        var badReuse = emptyProtocols with { Message = "connection_reuse takes yes or no, not 'sometimes'." };
        var noProtocolLeft = new Diagnostic(DiagnosticSeverity.Error, "PFX2014", "smtpd_tls_protocols",
            "'!TLSv1, !TLSv1.1, !TLSv1.2, !TLSv1.3' leaves no TLS protocol enabled, so every TLS handshake fails; keep at least TLSv1.2 enabled.");

        Assert.NotNull(StricterRules.Find(emptyProtocols));
        Assert.Null(StricterRules.Find(badReuse));
        Assert.Null(StricterRules.Find(noProtocolLeft));
        Assert.Null(StricterRules.Find(emptyProtocols with { Severity = DiagnosticSeverity.Error })); // more severe than documented
        Assert.False(new ProductVerdict(Severity.Warning, [emptyProtocols, badReuse]).OnlyStricterRulesAbove(Severity.Clean));
        Assert.True(new ProductVerdict(Severity.Warning, [emptyProtocols]).OnlyStricterRulesAbove(Severity.Clean));
    }
}

using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Lint;

/// <summary>lint: validation with main.cf positions, expansion problems, the policy map next to main.cf, and the advice rules.</summary>
public class LintTests
{
    private static DiagnosticList Lint(string text, string version) =>
        PostfixTls.LintMainCf(text, "main.cf", LintOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse(version) } });

    private static Diagnostic Single(DiagnosticList list, string code) => Assert.Single(list, d => d.Code == code);

    [Fact]
    public void Lint_ValidationErrors_PointIntoMainCf()
    {
        var d = Single(Lint("# header\nsmtpd_tls_security_level =\n    mya\n", "3.7"), DiagnosticCodes.UnknownValue);
        Assert.Equal(new SourceSpan("main.cf", 3, 5), d.Span);
    }

    [Fact]
    public void Lint_SyntaxErrorAndExpansionProblems_Reported()
    {
        var list = Lint("a = ${b\nsmtpd_banner = $myhostname $nosuch_param_zz\nbroken line\n", "3.7");
        Assert.Equal(new SourceSpan("main.cf", 1, 5), Single(list, DiagnosticCodes.ExpansionSyntax).Span);
        Assert.Equal("smtpd_banner", Single(list, DiagnosticCodes.UndefinedReference).Parameter);
        Assert.Equal(3, Single(list, DiagnosticCodes.MainCfMissingEquals).Span!.Value.Line);
    }

    [Fact]
    public void Lint_RawParameter_DollarNotExpanded()
    {
        var list = Lint("mailbox_command = procmail -a \"$EXTENSION\"\n", "3.7");
        Assert.DoesNotContain(list, d => d.Code is DiagnosticCodes.UndefinedReference or DiagnosticCodes.ExpansionSyntax);
    }

    [Fact]
    public void Lint_ClientLegacySwitches_SayWhichLevelReplacesThem()
    {
        var enforce = Single(Lint("smtp_enforce_tls = yes\nsmtp_tls_security_level = may\n", "3.7"), DiagnosticCodes.LegacyTlsSwitch);
        Assert.Contains("ignored", enforce.Message, StringComparison.Ordinal);
        var verify = Single(Lint("smtp_enforce_tls = yes\n", "3.7"), DiagnosticCodes.LegacyTlsSwitch);
        Assert.Contains("smtp_tls_security_level = verify", verify.Message, StringComparison.Ordinal);
        var encrypt = Single(Lint("smtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no\n", "3.7"), DiagnosticCodes.LegacyTlsSwitch);
        Assert.Contains("smtp_tls_security_level = encrypt", encrypt.Message, StringComparison.Ordinal);
        var server = Single(Lint("smtpd_enforce_tls = yes\nsmtpd_use_tls = yes\n", "3.7"), DiagnosticCodes.LegacyTlsSwitch);
        Assert.Contains("smtpd_tls_security_level = encrypt", server.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_LegacySwitchesOn22_NoAdviceBecauseNoLevelExists()
    {
        Assert.DoesNotContain(Lint("smtpd_use_tls = yes\n", "2.2"), d => d.Code == DiagnosticCodes.LegacyTlsSwitch);
    }

    [Fact]
    public void Lint_ChainFilesAdvice_OnlyFrom34()
    {
        const string Text = "smtpd_tls_cert_file = /c.pem\nsmtpd_tls_key_file = /k.pem\nsmtpd_tls_security_level = may\n";
        var d = Single(Lint(Text, "3.4"), DiagnosticCodes.ChainFilesPreferred);
        Assert.Contains("smtpd_tls_chain_files = /k.pem, /c.pem", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Lint(Text, "3.3"), x => x.Code == DiagnosticCodes.ChainFilesPreferred);
    }

    [Fact]
    public void Lint_Snakeoil_OnlyWhenInboundTlsIsOn()
    {
        const string Cert = "smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key\n";
        Assert.Equal(DiagnosticSeverity.Info, Single(Lint(Cert + "smtpd_tls_security_level = may\n", "3.7"), DiagnosticCodes.SnakeoilCertificate).Severity);
        Assert.DoesNotContain(Lint(Cert, "3.7"), d => d.Code == DiagnosticCodes.SnakeoilCertificate);
        Assert.DoesNotContain(Lint(Cert + "smtpd_tls_security_level = none\nsmtpd_use_tls = yes\n", "3.7"), d => d.Code == DiagnosticCodes.SnakeoilCertificate);
    }

    [Theory]
    [InlineData("biff = no\n", "3.10", true)]
    [InlineData("smtp_tls_security_level = none\n", "3.7", true)]
    [InlineData("smtp_use_tls = yes\n", "3.7", false)]
    [InlineData("smtp_tls_security_level = may\n", "3.7", false)]
    [InlineData("compatibility_level = 3.11\n", "3.11", false)]
    [InlineData("compatibility_level = 3.10\n", "3.11", true)]
    [InlineData("smtp_tls_security_level = $level_x\nlevel_x = dane\n", "3.7", false)]
    public void Lint_OutboundTlsOff_FollowsEffectiveLevelIncludingDefaults(string text, string version, bool off)
    {
        Assert.Equal(off, Lint(text, version).Any(d => d.Code == DiagnosticCodes.OutboundTlsOff));
    }

    [Fact]
    public void LintMainCfFile_PolicyMapNextToMainCf_IsChecked()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_security_level = may\n");
        dir.Write("tls_policy", "example.com secure\nbad.example  mya\n");
        var list = PostfixTls.LintMainCfFile(mainCf, LintOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } });
        var d = Single(list, DiagnosticCodes.InvalidPolicyLevel);
        Assert.Equal(new SourceSpan(dir.File("tls_policy"), 2, 14), d.Span);
        Assert.Equal("tls_policy[bad.example]", d.Parameter);
    }

    [Fact]
    public void LintMainCfFile_PolicyMapMissing_SaysItWasNotChecked()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n");
        Assert.Equal(DiagnosticSeverity.Info, Single(PostfixTls.LintMainCfFile(mainCf), DiagnosticCodes.PolicyMapNotRead).Severity);
        var ldap = dir.Write("main.cf", "smtp_tls_policy_maps = ldap:/etc/postfix/ldap-policy.cf\n");
        Assert.Contains("no file-based table", Single(PostfixTls.LintMainCfFile(ldap), DiagnosticCodes.PolicyMapNotRead).Message, StringComparison.Ordinal);
    }
}

using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Profiles;

/// <summary>
/// <c>services:</c> in YAML: the submission services get mandatory TLS (STARTTLS on 587, TLS at
/// once on 465) plus their own overrides, checked by the main.cf rules and by their role; master.cf
/// is rendered from Debian's stock file and read back by the real <c>postconf -M</c> and <c>-P</c>.
/// </summary>
public class ServiceTests
{
    private const string Head = "postfix_version: \"3.7\"\nprofile: intermediate\nmain:\n  smtpd_tls_chain_files: [/etc/ssl/private/mail.key, /etc/ssl/certs/mail.pem]\n";

    private static TlsConfiguration Load(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "svc.yaml");
        Assert.False(loaded.HasErrors, string.Join('\n', loaded.Diagnostics));
        return loaded.Value;
    }

    private static DiagnosticList Validate(string services) => PostfixTls.Validate(Load(Head + "services:\n" + services));

    [Fact]
    public void Expand_YamlContract_SubmissionEncryptSubmissionsWrapperModePlusOwnSettings()
    {
        var expanded = PostfixTls.Expand(Load(Head + "services: {submission: {smtpd_sasl_auth_enable: yes}, submissions: {}}\n")).GetValueOrThrow();
        var submission = expanded.Configuration.Services.Find("submission")!;
        Assert.Equal("encrypt", submission.Overrides.GetText("smtpd_tls_security_level"));
        Assert.Equal("yes", submission.Overrides.GetText("smtpd_sasl_auth_enable"));
        Assert.Null(submission.Overrides.GetText("smtpd_tls_wrappermode"));
        var submissions = expanded.Configuration.Services.Find("submissions")!;
        Assert.Equal("yes", submissions.Overrides.GetText("smtpd_tls_wrappermode"));
        // The mandatory settings that both services then use carry the profile's floor.
        Assert.Equal(">=TLSv1.2", expanded.Configuration.Main.GetText("smtpd_tls_mandatory_protocols"));
        Assert.Equal(">=TLSv1", expanded.Configuration.Main.GetText("smtpd_tls_protocols"));
    }

    [Theory]
    [InlineData("  submision: {}\n", DiagnosticCodes.UnknownService, "services[submision]", "did you mean 'submission'", 6, 3)]
    [InlineData("  relay: {}\n", DiagnosticCodes.UnknownService, "services[relay]", "smtp, submission, submissions, smtps", 6, 3)]
    [InlineData("  submission: {smtpd_tls_securty_level: encrypt}\n", DiagnosticCodes.UnknownParameter, "submission/inet/smtpd_tls_securty_level", "smtpd_tls_security_level", 6, 16)]
    [InlineData("  submission: {smtpd_tls_security_level: strict}\n", DiagnosticCodes.UnknownValue, "submission/inet/smtpd_tls_security_level", "In the submission service", 6, 42)]
    [InlineData("  submission: {smtpd_tls_wrappermode: yes}\n", DiagnosticCodes.WrapperModeMismatch, "submission/inet/smtpd_tls_wrappermode", "port 587", 6, 39)]
    [InlineData("  submissions: {smtpd_tls_wrappermode: no}\n", DiagnosticCodes.WrapperModeMismatch, "submissions/inet/smtpd_tls_wrappermode", "port 465", 6, 40)]
    [InlineData("  smtp: {smtpd_tls_security_level: encrypt}\n", DiagnosticCodes.MandatoryTlsOnPort25Service, "smtp/inet/smtpd_tls_security_level", "RFC 3207", 6, 36)]
    [InlineData("  smtp: {smtpd_tls_wrappermode: yes}\n", DiagnosticCodes.MandatoryTlsOnPort25Service, "smtp/inet/smtpd_tls_wrappermode", "RFC 3207", 6, 33)]
    [InlineData("  submission: {listen: \"127.0.0.1: 587\"}\n", DiagnosticCodes.InvalidServiceSetting, "submission/inet/listen", "no spaces", 6, 24)]
    [InlineData("  submission: {listen: \"2525\"}\n  submissions: {listen: \"2525\"}\n", DiagnosticCodes.InvalidServiceSetting, "submissions/inet/listen", "both listen", 7, 25)]
    public void Validate_BadService_ErrorWithPosition(string services, string code, string parameter, string message, int line, int column)
    {
        var errors = Validate(services).Errors.ToList();
        var error = Assert.Single(errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(parameter, error.Parameter);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("svc.yaml", line, column), error.Span);
    }

    [Theory]
    [InlineData("smtpd_tls_security_level: may")]
    [InlineData("smtpd_tls_security_level: none")]
    public void Validate_SubmissionWithoutMandatoryTls_Warning(string setting)
    {
        var d = Validate($"  submission: {{{setting}}}\n");
        Assert.False(d.HasErrors, string.Join('\n', d));
        Assert.Contains(d, x => x.Code == DiagnosticCodes.SubmissionTlsNotRequired && x.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Validate_GoodServices_NoErrorNoWarningAndNoMainCfFindingRepeated()
    {
        var d = Validate("  submission: {smtpd_sasl_auth_enable: yes, smtpd_recipient_restrictions: [permit_sasl_authenticated, reject]}\n  submissions: {smtpd_sasl_auth_enable: yes}\n  smtp: {smtpd_tls_loglevel: 1}\n");
        Assert.True(d.All(x => x.Severity == DiagnosticSeverity.Info), string.Join('\n', d));
        Assert.DoesNotContain(d, x => x.Parameter?.Contains("/inet", StringComparison.Ordinal) == true && x.Code != DiagnosticCodes.DeploymentNote);
    }

    [Fact]
    public void Validate_SubmissionWithoutCertificate_ErrorForTheServiceNotForPort25()
    {
        // Port 25 at level may without a certificate only loses STARTTLS; the submission service
        // at level encrypt without one refuses every client.
        var d = PostfixTls.Validate(Load("postfix_version: \"3.7\"\nprofile: intermediate\nservices: {submission: {}}\n"));
        Assert.Contains(d, x => x.Code == DiagnosticCodes.ServerTlsWithoutCertificate && x.Parameter == "smtpd_tls_security_level");
        var error = Assert.Single(d.Errors);
        Assert.Equal("submission/inet/smtpd_tls_security_level", error.Parameter);
        Assert.StartsWith("In the submission service: TLS is mandatory but no certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SmtpsOlderName_Note()
    {
        var d = Validate("  smtps: {}\n");
        Assert.Contains(d, x => x.Code == DiagnosticCodes.DeploymentNote && x.Parameter == "smtps/inet" && x.Message.Contains("older name of submissions", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ValueWithSpacesBefore30_Error()
    {
        var d = PostfixTls.Validate(Load("postfix_version: \"2.11\"\nmain: {smtpd_tls_cert_file: /c.pem, smtpd_tls_key_file: /k.pem}\nservices:\n  submission: {smtpd_client_restrictions: \"permit_sasl_authenticated, reject\"}\n"));
        Assert.Contains(d.Errors, x => x.Code == DiagnosticCodes.InvalidServiceSetting && x.Message.Contains("3.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_WithoutServices_NoMasterCf()
    {
        var rendered = PostfixTls.Render(Load(Head)).GetValueOrThrow();
        Assert.DoesNotContain(rendered.Files, f => f.Kind == RenderedFileKind.MasterCf);
    }

    [Fact]
    public void Render_Before30_RefusedAndNothingRendered()
    {
        var r = PostfixTls.Render(Load("postfix_version: \"2.11\"\nmain: {smtpd_tls_cert_file: /c.pem, smtpd_tls_key_file: /k.pem}\nservices: {submission: {}}\n"));
        Assert.True(r.HasErrors);
        Assert.Equal(DiagnosticCodes.MasterCfNotRendered, Assert.Single(r.Diagnostics.Errors).Code);
    }

    [Fact]
    public void Render_MasterCf_IsDebiansStockFileWithTheServicesInPlace()
    {
        var rendered = PostfixTls.Render(Load(Head + "services: {submission: {smtpd_sasl_auth_enable: yes}, submissions: {}}\n")).GetValueOrThrow();
        var master = rendered.Files.Single(f => f.Kind == RenderedFileKind.MasterCf).Content;
        var stock = File.ReadAllText(Path.Combine(RepoPaths.Data, "master.cf.debian-3.7.11"));
        var added = new[]
        {
            "submission inet  n       -       y       -       -       smtpd",
            "  -o syslog_name=postfix/submission",
            "  -o smtpd_tls_security_level=encrypt",
            "  -o smtpd_sasl_auth_enable=yes",
            "submissions inet  n       -       y       -       -       smtpd",
            "  -o syslog_name=postfix/submissions",
            "  -o smtpd_tls_wrappermode=yes",
        };
        // Every stock line is there in order, the header and the new entries are the only additions.
        var lines = master.Split('\n').Where(l => !l.StartsWith("# Generated by", StringComparison.Ordinal) && !l.StartsWith("# Source:", StringComparison.Ordinal) && !l.StartsWith("# TLS profile:", StringComparison.Ordinal)).ToList();
        Assert.Equal(stock.Split('\n'), lines.Where(l => !added.Contains(l)));
        Assert.All(added, a => Assert.Contains(a, lines));
        Assert.True(lines.IndexOf(added[0]) < lines.FindIndex(l => l.StartsWith("# Choose one: enable submissions", StringComparison.Ordinal)));
    }

    [Fact]
    public void Render_Port25Listen_ReplacesTheStockSmtpLine()
    {
        var rendered = PostfixTls.Render(Load(Head + "services: {smtp: {listen: \"127.0.0.1:2525\"}}\n")).GetValueOrThrow();
        var master = rendered.Files.Single(f => f.Kind == RenderedFileKind.MasterCf).Content.Split('\n');
        Assert.Contains("127.0.0.1:2525 inet  n       -       y       -       -       smtpd", master);
        Assert.DoesNotContain(master, l => l.StartsWith("smtp      inet", StringComparison.Ordinal));
    }

    [PostfixFact]
    public void Render_MasterCf_ReadByPostconfMandPWithoutWarning()
    {
        var rendered = PostfixTls.Render(Load(Head + "services:\n  submission: {smtpd_sasl_auth_enable: yes, smtpd_recipient_restrictions: [permit_sasl_authenticated, reject]}\n  submissions: {listen: \"127.0.0.1:submissions\", smtpd_client_restrictions: \"permit_sasl_authenticated, reject\"}\n")).GetValueOrThrow();
        using var dir = PostfixTools.ConfigDir(rendered);
        var (parameters, stderr) = PostfixTools.PostconfP(dir.Path);
        Assert.True(stderr.Length == 0, stderr);
        Assert.Equal("encrypt", parameters["submission/inet/smtpd_tls_security_level"]);
        Assert.Equal("yes", parameters["submission/inet/smtpd_sasl_auth_enable"]);
        Assert.Equal("permit_sasl_authenticated,reject", parameters["submission/inet/smtpd_recipient_restrictions"]);
        Assert.Equal("yes", parameters["127.0.0.1:submissions/inet/smtpd_tls_wrappermode"]);
        Assert.Equal("permit_sasl_authenticated, reject", parameters["127.0.0.1:submissions/inet/smtpd_client_restrictions"]);
        Assert.False(parameters.ContainsKey("submission/inet/smtpd_tls_wrappermode"));
        var (services, mstderr) = PostfixTools.PostconfM(dir.Path);
        Assert.True(mstderr.Length == 0, mstderr);
        Assert.StartsWith("n - y - - smtpd", services["submission/inet"], StringComparison.Ordinal);
        Assert.Contains("smtp/inet", services.Keys);
        Assert.Contains("postlog/unix-dgram", services.Keys);
        var (_, nstderr) = PostfixTools.PostconfN(dir.Path);
        Assert.True(nstderr.Length == 0, nstderr);
    }

    [PostfixFact]
    public void RenderCli_InvalidService_ExitOneNothingWritten()
    {
        using var dir = new TempDir();
        var yaml = dir.Write("bad.yaml", Head + "services:\n  submission: {smtpd_tls_wrappermode: yes}\n");
        var r = CliRunner.Run("render", yaml, "--out", dir.File("out"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bad.yaml(6,39): error PFX3104", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}

using PostfixConfig.Testing;

namespace PostfixConfig.Tests.Testing;

public class PostfixConfigAssertTests
{
    private static readonly PostfixVersion V37 = PostfixVersion.Parse("3.7");

    /// <summary>The newsletter host of examples/newsletter.yaml, in C#.</summary>
    private static TlsConfiguration Newsletter(string level = "may") => new TlsConfiguration { PostfixVersion = V37 }
        .Set("myhostname", "mail.example.com")
        .Set("smtpd_tls_chain_files", ["/etc/letsencrypt/live/mail.example.com/privkey.pem", "/etc/letsencrypt/live/mail.example.com/fullchain.pem"])
        .Set("smtpd_tls_security_level", level)
        .Set("smtp_tls_security_level", "dane")
        .Set("smtp_dns_support_level", "dnssec");

    /// <summary>The submission host of examples/submission-host-profile.yaml, in C#.</summary>
    private static TlsConfiguration Submission() => new TlsConfiguration
    {
        PostfixVersion = V37,
        Profile = TlsProfile.Intermediate,
        Services = ServiceTable.Empty
            .Add(new ServiceSettings("submission").Set("smtpd_sasl_auth_enable", "yes"))
            .Add(new ServiceSettings("submissions").Set("smtpd_sasl_auth_enable", "yes")),
    }
        .Set("myhostname", "mail.example.org")
        .Set("smtpd_tls_chain_files", ["/etc/letsencrypt/live/mail.example.org/privkey.pem", "/etc/letsencrypt/live/mail.example.org/fullchain.pem"])
        .Set("smtpd_sasl_type", "dovecot")
        .Set("smtpd_sasl_path", "private/auth");

    [Fact]
    public void ShouldValidate_AValidHost_ReturnsTheEffectiveConfiguration()
    {
        var expanded = Newsletter().ShouldValidate(V37, noWarnings: true);
        Assert.Contains(expanded.Origins, o => o.Name == "smtpd_tls_security_level" && o.Value == "may" && o.Source == ValueSource.Main);
    }

    [Fact]
    public void ShouldValidate_ABrokenHost_ThrowsNamingTheHostTheParameterAndTheCode()
    {
        var newsletter = Newsletter("bogus");
        var e = Assert.Throws<PostfixConfigAssertionException>(() => newsletter.ShouldValidate(V37));
        Assert.StartsWith("newsletter: does not validate for Postfix 3.7: 1 problem(s):\n", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"\n  newsletter: error PFX\d{4} smtpd_tls_security_level: [^\n]*bogus", e.Message);

        var labelled = Assert.Throws<PostfixConfigAssertionException>(() => Newsletter("bogus").ShouldValidate(label: "mx1"));
        Assert.StartsWith("mx1: ", labelled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShouldValidate_TheReleaseGiven_WinsOverTheConfigurations()
    {
        // smtpd_tls_chain_files came with Postfix 3.4: the same host fails for 3.3.
        var e = Assert.Throws<PostfixConfigAssertionException>(() => Newsletter().ShouldValidate(PostfixVersion.Parse("3.3"), label: "old"));
        Assert.StartsWith("old: does not validate for Postfix 3.3:", e.Message, StringComparison.Ordinal);
        Assert.Contains("smtpd_tls_chain_files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShouldValidate_NoWarnings_FailsOnAWarningThatIsOtherwiseAccepted()
    {
        // A DSA certificate: accepted, with a warning that DSA is obsolete.
        var warned = Newsletter().Set("smtpd_tls_dcert_file", "/etc/ssl/dsa.pem").Set("smtpd_tls_dkey_file", "/etc/ssl/dsa.key");
        warned.ShouldValidate(V37);
        var e = Assert.Throws<PostfixConfigAssertionException>(() => warned.ShouldValidate(V37, noWarnings: true));
        Assert.Matches(@"\n  warned: warning PFX\d{4} smtpd_tls_d(cert|key)_file: ", e.Message);
    }

    [Fact]
    public void ShouldRender_ReturnsTheFiles_AndFailsWithTheErrors()
    {
        var rendered = Newsletter().ShouldRender();
        Assert.Contains("\nsmtpd_tls_security_level = may\n", "\n" + rendered.MainCf.Content, StringComparison.Ordinal);
        var broken = Newsletter("bogus");
        var e = Assert.Throws<PostfixConfigAssertionException>(() => broken.ShouldRender());
        Assert.StartsWith("broken: does not render for Postfix 3.7: 1 problem(s):\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectiveValue_TellsExplicitProfileAndServiceOrigins()
    {
        var submission = Submission();
        Assert.Equal(ValueSource.Main, submission.ShouldHaveEffectiveValue("smtpd_sasl_type", "dovecot").Source);
        Assert.Equal(ValueSource.Profile, submission.EffectiveSetting("smtpd_tls_mandatory_protocols").Source);
        submission.ShouldHaveEffectiveValue("smtpd_sasl_auth_enable", "yes", ValueSource.Service, service: "submission");
        // The submission service's own default override (services.txt): STARTTLS required on 587.
        submission.ShouldHaveEffectiveValue("smtpd_tls_security_level", "encrypt", ValueSource.ServiceDefault, service: "submission");
    }

    [Fact]
    public void EffectiveValue_AWrongValueOrOrigin_OrAnUnsetParameter_Throws()
    {
        var submission = Submission();
        var value = Assert.Throws<PostfixConfigAssertionException>(() => submission.ShouldHaveEffectiveValue("smtpd_sasl_type", "cyrus"));
        Assert.Equal("submission: smtpd_sasl_type: expected \"cyrus\", but it is \"dovecot\" from Main (main).", value.Message);
        var origin = Assert.Throws<PostfixConfigAssertionException>(() => submission.ShouldHaveEffectiveValue("smtpd_sasl_type", "dovecot", ValueSource.Profile));
        Assert.StartsWith("submission: smtpd_sasl_type: expected \"dovecot\" from Profile, but it is \"dovecot\" from Main", origin.Message, StringComparison.Ordinal);
        var unset = Assert.Throws<PostfixConfigAssertionException>(() => submission.EffectiveSetting("smtp_tls_CAfile", service: "submission"));
        Assert.StartsWith("submission: smtp_tls_CAfile (master.cf service submission) is not set", unset.Message, StringComparison.Ordinal);
    }
}

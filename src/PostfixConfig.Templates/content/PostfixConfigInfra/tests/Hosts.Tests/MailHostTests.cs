using PostfixConfig;
using PostfixConfig.Testing;
using PostfixConfigInfra.Hosts;

namespace PostfixConfigInfra.Hosts.Tests;

public class MailHostTests
{
    public static TheoryData<string> Hosts => new(MailHosts.All.Keys);

    /// <summary>Every host validates, with no error and no warning, for the release it runs.</summary>
    [Theory]
    [MemberData(nameof(Hosts))]
    public void ValidatesForItsRelease(string host) =>
        MailHosts.All[host].ShouldValidate(MailHosts.Release, noWarnings: true, label: host);

    /// <summary>No host sends mail without TLS: the SMTP client's level is never "none".</summary>
    [Theory]
    [MemberData(nameof(Hosts))]
    public void NeverSendsWithoutTls(string host)
    {
        var level = MailHosts.All[host].EffectiveSetting("smtp_tls_security_level", label: host);
        Assert.NotEqual("none", level.Value);
    }

    /// <summary>The submission port requires TLS (STARTTLS on 587).</summary>
    [Fact]
    public void SubmissionPortRequiresTls() =>
        MailHosts.Submission.ShouldHaveEffectiveValue("smtpd_tls_security_level", "encrypt", service: "submission", label: "submission");

    /// <summary>The newsletter host offers TLS on port 25, as we decided explicitly.</summary>
    [Fact]
    public void NewsletterOffersTlsOnPort25() =>
        MailHosts.Newsletter.ShouldHaveEffectiveValue("smtpd_tls_security_level", "may", ValueSource.Main, label: "newsletter");

    /// <summary>The rendered files are what we reviewed (UPDATE_GOLDEN=1 dotnet test rewrites them; review with git diff).</summary>
    [Theory]
    [MemberData(nameof(Hosts))]
    public void RendersWhatWeReviewed(string host) =>
        MailHosts.All[host].ShouldMatchGoldenFiles($"golden/{host}", label: host);
}

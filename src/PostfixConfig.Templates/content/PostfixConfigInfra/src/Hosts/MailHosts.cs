using PostfixConfig;

namespace PostfixConfigInfra.Hosts;

/// <summary>Our mail hosts' Postfix TLS configuration, one per host, built from a shared base.</summary>
public static class MailHosts
{
    /// <summary>The Postfix release our hosts run (Debian 12).</summary>
    public static readonly PostfixVersion Release = PostfixVersion.Parse("3.7");

    /// <summary>What every host has: outbound DANE where published, opportunistic TLS elsewhere.</summary>
    private static TlsConfiguration Base(string hostname) => new TlsConfiguration { PostfixVersion = Release }
        .Set("myhostname", hostname)
        .Set("smtpd_tls_chain_files", [$"/etc/letsencrypt/live/{hostname}/privkey.pem", $"/etc/letsencrypt/live/{hostname}/fullchain.pem"])
        .Set("smtp_tls_security_level", "dane")
        .Set("smtp_dns_support_level", "dnssec")
        .Set("smtp_tls_loglevel", "1");

    /// <summary>Sends newsletters; accepts mail on port 25 with TLS offered, not required.</summary>
    public static TlsConfiguration Newsletter { get; } = Base("newsletter.example.com")
        .Set("smtpd_tls_security_level", "may");

    /// <summary>Our users' submission host: the intermediate profile, STARTTLS required on 587 and TLS at once on 465.</summary>
    public static TlsConfiguration Submission { get; } = Base("mail.example.com") with
    {
        Profile = TlsProfile.Intermediate,
        Services = ServiceTable.Empty
            .Add(new ServiceSettings("submission").Set("smtpd_sasl_auth_enable", "yes"))
            .Add(new ServiceSettings("submissions").Set("smtpd_sasl_auth_enable", "yes")),
    };

    /// <summary>Every host by name.</summary>
    public static IReadOnlyDictionary<string, TlsConfiguration> All { get; } = new Dictionary<string, TlsConfiguration>
    {
        ["newsletter"] = Newsletter,
        ["submission"] = Submission,
    };
}

using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// The MTA-STS, TLSRPT and publish rules, each with configurations that must and must not trigger
/// it. Release facts: servername= from 3.4 and the policy plugin attributes (policy_type, ...) from
/// 3.10 (smtp_tls_policy.c); postfix-mta-sts-resolver answers "secure match=... servername=hostname"
/// (responder.py, require_sni on by default); postfix-tlspol's map names from its documentation.
/// </summary>
public class MtaStsRuleTests
{
    private const string Ca = "smtp_tls_CAfile: /etc/ssl/certs/ca-certificates.crt";
    private const string Resolver = "mta_sts: {resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\"}\n";
    private const string Tlspol = "mta_sts: {resolver: postfix-tlspol, address: \"inet:127.0.0.1:8642\"}\n";
    private const string Dnssec = "smtp_dns_support_level: dnssec, smtp_tls_security_level: dane";

    public static readonly RuleCaseTests.RuleCase[] Cases =
    [
        // The resolver's address
        new("MTA_STS_ADDRESS", "3.7", "mta_sts: {resolver: postfix-tlspol, address: \"inet:127.0.0.1\"}\n", DiagnosticCodes.InvalidMtaStsResolver, true, DiagnosticSeverity.Error, "has no port"),
        new("MTA_STS_ADDRESS", "3.7", "mta_sts: {resolver: postfix-tlspol, address: \"127.0.0.1:8642\"}\n", DiagnosticCodes.InvalidMtaStsResolver, true, DiagnosticSeverity.Error, "not a transport"),
        new("MTA_STS_ADDRESS", "3.7", $"main: {{{Ca}, {Dnssec}}}\n" + Tlspol, DiagnosticCodes.InvalidMtaStsResolver, false),
        new("MTA_STS_ADDRESS", "2.2", Resolver, DiagnosticCodes.MtaStsAttributeNotInRelease, true, DiagnosticSeverity.Error, "has no smtp_tls_policy_maps"),

        // Attributes the release does not know
        new("MTA_STS_SERVERNAME_3_4", "3.3", $"main: {{{Ca}}}\n" + Resolver, DiagnosticCodes.MtaStsAttributeNotInRelease, true, DiagnosticSeverity.Error, "servername= needs Postfix 3.4"),
        new("MTA_STS_SERVERNAME_3_4", "3.4", $"main: {{{Ca}}}\n" + Resolver, DiagnosticCodes.MtaStsAttributeNotInRelease, false),
        new("MTA_STS_SERVERNAME_3_4", "3.3", $"main: {{{Ca}}}\nmta_sts: {{resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\", require_sni: false}}\n", DiagnosticCodes.MtaStsAttributeNotInRelease, false),
        new("MTA_STS_POLICY_TYPE_3_10", "3.9", $"main: {{{Ca}}}\nmta_sts: {{resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\", tlsrpt: yes}}\n", DiagnosticCodes.MtaStsAttributeNotInRelease, true, DiagnosticSeverity.Error, "Postfix 3.10"),
        new("MTA_STS_POLICY_TYPE_3_10", "3.10", $"main: {{{Ca}}}\nmta_sts: {{resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\", tlsrpt: yes}}\n", DiagnosticCodes.MtaStsAttributeNotInRelease, false),
        new("MTA_STS_POLICY_TYPE_3_10", "3.9", $"main: {{{Ca}, {Dnssec}, smtp_tls_policy_maps: \"socketmap:inet:127.0.0.1:8642:QUERYwithTLSRPT\"}}\n", DiagnosticCodes.MtaStsAttributeNotInRelease, true, DiagnosticSeverity.Error, "socketmap:inet:127.0.0.1:8642:QUERY "),
        new("MTA_STS_POLICY_TYPE_3_10", "3.10", $"main: {{{Ca}, {Dnssec}, smtp_tls_policy_maps: \"socketmap:inet:127.0.0.1:8642:QUERYwithTLSRPT\"}}\n", DiagnosticCodes.MtaStsAttributeNotInRelease, false),
        new("MTA_STS_POLICY_TYPE_3_10", "3.9", $"main: {{{Ca}, {Dnssec}}}\n" + Tlspol, DiagnosticCodes.MtaStsAttributeNotInRelease, false), // rendering picks QUERY
        new("MTA_STS_POLICY_TYPE_3_10", "3.9", $"main: {{{Ca}, {Dnssec}}}\n" + Tlspol, DiagnosticCodes.MtaStsNote, true, DiagnosticSeverity.Info, "map name QUERY"),
        new("MTA_STS_POLICY_TYPE_3_10", "3.11", $"main: {{{Ca}, {Dnssec}, smtp_tls_policy_maps: \"socketmap:inet:127.0.0.1:8642:QUERY\"}}\n", DiagnosticCodes.MtaStsNote, true, DiagnosticSeverity.Info, "use socketmap:inet:127.0.0.1:8642:QUERYwithTLSRPT"),

        // CA certificates for the 'secure' answers
        new("MTA_STS_TRUST_ANCHORS", "3.7", Resolver, DiagnosticCodes.MtaStsWithoutTrustAnchors, true, DiagnosticSeverity.Warning, "enforce mode is deferred"),
        new("MTA_STS_TRUST_ANCHORS", "3.7", "main: {smtp_tls_CApath: /etc/ssl/certs}\n" + Resolver, DiagnosticCodes.MtaStsWithoutTrustAnchors, false),
        new("MTA_STS_TRUST_ANCHORS", "3.7", $"main: {{{Ca}}}\n" + Resolver, DiagnosticCodes.MtaStsWithoutTrustAnchors, false),
        new("MTA_STS_TRUST_ANCHORS", "3.7", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy, socketmap:inet:127.0.0.1:8461:postfix\"}\n", DiagnosticCodes.MtaStsWithoutTrustAnchors, true, DiagnosticSeverity.Warning),
        new("MTA_STS_TRUST_ANCHORS", "3.7", "main: {smtp_tls_policy_maps: \"socketmap:inet:127.0.0.1:9999:whatever\"}\n", DiagnosticCodes.MtaStsWithoutTrustAnchors, false), // not a resolver we know

        // Order: the site's own table first
        new("MTA_STS_ORDER", "3.7", $"main: {{{Ca}, smtp_tls_policy_maps: \"socketmap:inet:127.0.0.1:8461:postfix, hash:/etc/postfix/tls_policy\"}}\n", DiagnosticCodes.MtaStsLookupOrder, true, DiagnosticSeverity.Warning, "List the resolver last"),
        new("MTA_STS_ORDER", "3.7", $"main: {{{Ca}, smtp_tls_policy_maps: \"socketmap:inet:127.0.0.1:8461:postfix, hash:/etc/postfix/tls_policy\"}}\n" + Resolver, DiagnosticCodes.MtaStsLookupOrder, true, DiagnosticSeverity.Warning),
        new("MTA_STS_ORDER", "3.7", $"main: {{{Ca}, smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}}\n" + Resolver, DiagnosticCodes.MtaStsLookupOrder, false),

        // DANE next to MTA-STS
        new("MTA_STS_DANE", "3.7", $"main: {{{Ca}, {Dnssec}}}\n" + Resolver, DiagnosticCodes.MtaStsNote, true, DiagnosticSeverity.Info, "prefer DANE"),
        new("MTA_STS_DANE", "3.7", $"main: {{{Ca}}}\n" + Resolver, DiagnosticCodes.MtaStsNote, false),
        new("MTA_STS_DANE", "3.7", $"main: {{{Ca}}}\n" + Tlspol, DiagnosticCodes.DaneWithoutDnssec, true, DiagnosticSeverity.Warning, "postfix-tlspol answers dane-only"),
        new("MTA_STS_DANE", "3.7", $"main: {{{Ca}, {Dnssec}}}\n" + Tlspol, DiagnosticCodes.DaneWithoutDnssec, false),
        new("MTA_STS_DANE", "3.7", $"main: {{{Ca}, {Dnssec}}}\nmta_sts: {{resolver: postfix-tlspol, address: \"inet:127.0.0.1:8642\", require_sni: false}}\n", DiagnosticCodes.SettingHasNoEffect, true, DiagnosticSeverity.Warning, "no effect for postfix-tlspol"),

        // TLSRPT, outbound
        new("TLSRPT_SOCKET", "3.10", "main: {smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: run/tlsrpt/tlsrpt.sock}\n", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "/var/spool/postfix/run/tlsrpt/tlsrpt.sock"),
        new("TLSRPT_SOCKET", "3.10", "main: {queue_directory: /srv/spool, smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: run/tlsrpt/tlsrpt.sock}\n", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "/srv/spool/run/tlsrpt/tlsrpt.sock"),
        new("TLSRPT_SOCKET", "3.10", "main: {smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: private/tlsrpt}\n", DiagnosticCodes.TlsRptSettings, true, DiagnosticSeverity.Warning, "Postfix's own socket folders"),
        new("TLSRPT_SOCKET", "3.10", "main: {smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: /var/spool/postfix/public/tlsrpt}\n", DiagnosticCodes.TlsRptSettings, true, DiagnosticSeverity.Warning, "Postfix's own socket folders"),
        new("TLSRPT_SOCKET", "3.10", "main: {smtp_tlsrpt_enable: \"no\", smtp_tlsrpt_socket_name: run/tlsrpt/tlsrpt.sock}\n", DiagnosticCodes.SettingHasNoEffect, true, DiagnosticSeverity.Info, "reports nothing"),
        new("TLSRPT_NOT_CONFIGURED", "3.10", $"main: {{{Ca}, {Dnssec}}}\n" + Tlspol, DiagnosticCodes.TlsRptSettings, true, DiagnosticSeverity.Info, "TLSRPT reporting is off"),
        new("TLSRPT_NOT_CONFIGURED", "3.10", $"main: {{{Ca}, {Dnssec}, smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: run/tlsrpt/tlsrpt.sock}}\n" + Tlspol, DiagnosticCodes.TlsRptSettings, false),
        new("TLSRPT_NOT_CONFIGURED", "3.10", $"main: {{{Ca}, smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: run/tlsrpt/tlsrpt.sock}}\n" + Resolver, DiagnosticCodes.TlsRptSettings, true, DiagnosticSeverity.Info, "only DANE results are reported"),

        // What the domain publishes
        new("PUBLISH_MX", "3.7", "publish: {domain: example.com, mta_sts: {mode: enforce, mx: []}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "needs at least one mx pattern"),
        new("PUBLISH_MX", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "needs at least one mx pattern"),
        new("PUBLISH_MX", "3.7", "publish: {domain: example.com, mta_sts: {mode: none}}\n", DiagnosticCodes.InvalidPublishedPolicy, false),
        new("PUBLISH_MX", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [\"mail.*.example.com\"]}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "whole leftmost label"),
        new("PUBLISH_MX", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [\"mail.example.com.\"]}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "not an MX host name"),
        new("PUBLISH_DOMAIN", "3.7", "publish: {domain: example, tlsrpt: {rua: \"mailto:a@example.com\"}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "not a domain name"),
        new("PUBLISH_RUA", "3.7", "publish: {domain: example.com, tlsrpt: {rua: [\"ftp://example.com/x\"]}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "neither a mailto: nor an https: URI"),
        new("PUBLISH_RUA", "3.7", "publish: {domain: example.com, tlsrpt: {rua: [\"tls@example.com\"]}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "neither a mailto: nor an https: URI"),
        new("PUBLISH_RUA", "3.7", "publish: {domain: example.com, tlsrpt: {rua: [\"mailto:a,b@example.com\"]}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "percent-encode"),
        new("PUBLISH_RUA", "3.7", "publish: {domain: example.com, tlsrpt: {rua: [\"https:reports\"]}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "not an https:// URL"),
        new("PUBLISH_RUA", "3.7", "publish: {domain: example.com, tlsrpt: {rua: []}}\n", DiagnosticCodes.InvalidPublishedPolicy, true, DiagnosticSeverity.Error, "at least one rua"),
        new("PUBLISH_RUA", "3.7", "publish: {domain: example.com, tlsrpt: {rua: [\"mailto:tls@example.com\", \"https://reports.example.com/v1/tlsrpt\"]}}\n", DiagnosticCodes.InvalidPublishedPolicy, false),
        new("PUBLISH_MAX_AGE", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [mail.example.com], max_age: 31557601}}\n", DiagnosticCodes.PublishedMaxAge, true, DiagnosticSeverity.Error, "outside RFC 8461's bounds"),
        new("PUBLISH_MAX_AGE", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [mail.example.com], max_age: -1}}\n", DiagnosticCodes.PublishedMaxAge, true, DiagnosticSeverity.Error),
        new("PUBLISH_MAX_AGE", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [mail.example.com], max_age: 31557600}}\n", DiagnosticCodes.PublishedMaxAge, false),
        new("PUBLISH_MAX_AGE", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [mail.example.com], max_age: 3600}}\n", DiagnosticCodes.PublishedMaxAge, true, DiagnosticSeverity.Info, "less than a day"),
        new("PUBLISH_MYHOSTNAME", "3.7", "main: {myhostname: mx1.example.com}\npublish: {domain: example.com, mta_sts: {mode: enforce, mx: [mail.example.com]}}\n", DiagnosticCodes.MyHostnameNotInPublishedMx, true, DiagnosticSeverity.Warning, "Add mx1.example.com"),
        new("PUBLISH_MYHOSTNAME", "3.7", "main: {myhostname: mx1.example.com}\npublish: {domain: example.com, mta_sts: {mode: enforce, mx: [\"*.example.com\"]}}\n", DiagnosticCodes.MyHostnameNotInPublishedMx, false),
        new("PUBLISH_MYHOSTNAME", "3.7", "main: {myhostname: a.mx1.example.com}\npublish: {domain: example.com, mta_sts: {mode: enforce, mx: [\"*.example.com\"]}}\n", DiagnosticCodes.MyHostnameNotInPublishedMx, true), // one label only
        new("PUBLISH_MYHOSTNAME", "3.7", "main: {myhostname: MAIL.example.com}\npublish: {domain: example.com, mta_sts: {mode: enforce, mx: [mail.example.com]}}\n", DiagnosticCodes.MyHostnameNotInPublishedMx, false),
        new("PUBLISH_ADVICE", "3.7", "publish: {domain: example.com, mta_sts: {mode: enforce, mx: [mail.example.com]}}\n", DiagnosticCodes.PublishAdvice, true, DiagnosticSeverity.Info, "Publish with mode testing and a tlsrpt rua first"),
        new("PUBLISH_ADVICE", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [mail.example.com]}}\n", DiagnosticCodes.PublishAdvice, true, DiagnosticSeverity.Info, "nobody asks for them"),
        new("PUBLISH_ADVICE", "3.7", "publish: {domain: example.com, mta_sts: {mode: testing, mx: [mail.example.com]}, tlsrpt: {rua: \"mailto:t@example.com\"}}\n", DiagnosticCodes.PublishAdvice, false),
    ];

    public static TheoryData<RuleCaseTests.RuleCase> All() => [.. Cases];

    [Theory]
    [MemberData(nameof(All))]
    public void Rule_TriggersExactlyWhenExpected(RuleCaseTests.RuleCase c)
    {
        var found = Check.Validate(c.Yaml, c.Version);
        var hits = found.Where(d => d.Code == c.Code).ToList();
        Assert.True(c.Expected == (hits.Count > 0), $"{c}\n{Check.Describe(found)}");
        if (c.Expected && c.Severity is { } severity)
        {
            Assert.Contains(hits, d => d.Severity == severity);
        }

        if (c.Expected && c.MessageContains is { } text)
        {
            Assert.Contains(hits, d => d.Message.Contains(text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Errors_PointAtTheOffendingValue()
    {
        var found = Check.Validate("""
            publish:
              domain: example.com
              mta_sts:
                mode: testing
                mx: [mail.example.com, "m*.example.com"]
              tlsrpt:
                rua:
                  - mailto:tls@example.com
                  - ftp://example.com/x
            mta_sts:
              resolver: postfix-tlspol
              address: inet:127.0.0.1
            """, "3.10");
        Assert.Equal(new SourceSpan("t.yaml", 5, 28), Assert.Single(found, d => d.Code == DiagnosticCodes.InvalidPublishedPolicy && d.Parameter == "publish.mta_sts.mx").Span);
        Assert.Equal(new SourceSpan("t.yaml", 9, 9), Assert.Single(found, d => d.Code == DiagnosticCodes.InvalidPublishedPolicy && d.Parameter == "publish.tlsrpt.rua").Span);
        Assert.Equal(new SourceSpan("t.yaml", 12, 12), Assert.Single(found, d => d.Code == DiagnosticCodes.InvalidMtaStsResolver).Span);
    }
}

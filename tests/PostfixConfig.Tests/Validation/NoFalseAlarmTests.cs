using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Rendering;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Validation;

/// <summary>A configuration that is correct for its release produces no warning and no error.</summary>
public class NoFalseAlarmTests
{
    public static TheoryData<string> Examples() => [.. Directory.GetFiles(RepoPaths.Examples, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> CorrectGoldenCases() => ["001-newsletter", "002-postfix-2-11-cert-and-key", "003-lmdb-policy-map", "004-cdb-policy-map"];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Validate_ShippedExample_HasNoWarningOrError(string file)
    {
        var loaded = PostfixTls.LoadYamlFile(Path.Combine(RepoPaths.Examples, file));
        Assert.False(loaded.HasErrors, Check.Describe(loaded.Diagnostics));
        var diagnostics = PostfixTls.Validate(loaded.Value!);
        Assert.True(diagnostics.All(d => d.Severity == DiagnosticSeverity.Info), Check.Describe(diagnostics));
    }

    [Theory]
    [MemberData(nameof(CorrectGoldenCases))]
    public void Validate_CorrectGoldenCase_HasNoWarningOrError(string name)
    {
        var (loaded, _) = GoldenCases.Run(name);
        Assert.False(loaded.HasErrors, Check.Describe(loaded.Diagnostics));
        var diagnostics = PostfixTls.Validate(loaded.Value!);
        Assert.True(diagnostics.All(d => d.Severity == DiagnosticSeverity.Info), Check.Describe(diagnostics));
    }

    /// <summary>Typical correct configurations across releases, written the way each release's documentation suggests.</summary>
    public static TheoryData<string, string> Typical() => new()
    {
        { "2.2", "main: {smtpd_use_tls: yes, smtpd_tls_cert_file: /etc/postfix/cert.pem, smtpd_tls_key_file: /etc/postfix/key.pem, smtp_use_tls: yes}" },
        { "2.3", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: /etc/postfix/cert.pem, smtp_tls_security_level: may, smtpd_tls_session_cache_database: \"btree:${data_directory}/smtpd_scache\"}" },
        { "2.11", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: dnssec, smtp_tls_session_cache_database: \"btree:${data_directory}/smtp_scache\", smtpd_tls_mandatory_protocols: \"!SSLv2, !SSLv3\"}" },
        { "3.4", "main: {smtpd_tls_chain_files: [/etc/postfix/rsa.pem, /etc/postfix/ecdsa.pem], smtpd_tls_security_level: may, tls_server_sni_maps: \"texthash:/etc/postfix/sni\", smtp_tls_security_level: may, smtp_tls_connection_reuse: \"no\"}" },
        { "3.6", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: /etc/postfix/cert.pem, smtpd_tls_protocols: \">=TLSv1.2\", smtpd_tls_mandatory_protocols: \">=TLSv1.2\", smtp_tls_security_level: may, compatibility_level: \"3.6\", smtp_tls_fingerprint_digest: sha256}" },
        { "3.7.11", "main: {compatibility_level: \"3.6\", smtp_tls_CApath: /etc/ssl/certs, smtp_tls_security_level: verify, smtp_tls_verify_cert_match: \"hostname, nexthop\", smtp_tls_session_cache_database: \"btree:${data_directory}/smtp_scache\"}" },
        { "3.9", "main: {tls_config_file: default, smtpd_tls_security_level: may, smtpd_tls_chain_files: /etc/postfix/chain.pem, smtpd_tls_loglevel: 1, smtp_tls_loglevel: 1}" },
        { "3.11", "main: {compatibility_level: \"3.11\", smtpd_tls_security_level: may, smtpd_tls_chain_files: /etc/postfix/chain.pem, smtp_tlsrpt_enable: \"no\"}" },
        { "3.7", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\", smtp_dns_support_level: dnssec, smtp_tls_CAfile: /etc/ssl/certs/ca-certificates.crt}\ntls_policy: {example.com: {level: secure, match: [nexthop, dot-nexthop]}, .example.net: {level: encrypt, protocols: [\">=TLSv1.2\"], ciphers: high, exclude: [aNULL, RC4]}, \"[relay.example]:587\": {level: dane-only}}" },
        { "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: /etc/postfix/cert.pem, smtpd_tls_key_file: \"$smtpd_tls_cert_file\"}" },
    };

    [Theory]
    [MemberData(nameof(Typical))]
    public void Validate_TypicalCorrectConfiguration_HasNoWarningOrError(string version, string yaml)
    {
        var diagnostics = Check.Validate(yaml, version);
        Assert.True(diagnostics.All(d => d.Severity == DiagnosticSeverity.Info), Check.Describe(diagnostics));
    }
}

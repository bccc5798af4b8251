using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// Rules that do not change at a release boundary (or whose boundary is covered by
/// <see cref="RuleBoundaryTests"/>): each with configurations that must and must not trigger it.
/// Expectations come from the Postfix source (smtpd.c, smtp_tls_policy.c, tls_misc.c, tlsmgr.c).
/// </summary>
public class RuleCaseTests
{
    /// <summary>One configuration and whether a code must (or must not) be reported for it.</summary>
    public sealed record RuleCase(string Rule, string Version, string Yaml, string Code, bool Expected, DiagnosticSeverity? Severity = null, string? MessageContains = null)
    {
        public override string ToString() => $"{Rule}: {(Expected ? "" : "no ")}{Code} @ {Version} for {Yaml.Replace('\n', ' ')}";
    }

    private const string Cert = "smtpd_tls_cert_file: /etc/ssl/certs/mail.pem, smtpd_tls_key_file: /etc/ssl/private/mail.key";
    private const string PolicyMaps = "smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"";
    private const string Md5A = "3D:95:34:51:24:66:33:B9:D2:40:99:C0:C1:17:0B:D1";
    private const string Sha256A = "B0:8B:DC:D5:F6:9D:0B:A2:2F:55:0F:1C:A9:8B:7C:22:96:34:FC:52:57:8D:E9:63:2A:5F:0C:4C:3E:D1:46:1E";

    public static readonly RuleCase[] Cases =
    [
        // Legacy switches and levels
        new("LEGACY_SMTPD_USE_ENFORCE", "3.7", $"main: {{smtpd_use_tls: yes, {Cert}}}", DiagnosticCodes.LegacySwitchEquivalent, true, DiagnosticSeverity.Info, "smtpd_tls_security_level = may"),
        new("LEGACY_SMTPD_USE_ENFORCE", "3.7", $"main: {{smtpd_enforce_tls: yes, smtpd_tls_security_level: \"\", {Cert}}}", DiagnosticCodes.LegacySwitchEquivalent, true, MessageContains: "set but empty"),
        new("LEGACY_SMTPD_USE_ENFORCE", "2.2", $"main: {{smtpd_use_tls: yes, {Cert}}}", DiagnosticCodes.ParameterDeprecated, false),
        new("LEGACY_SMTPD_USE_ENFORCE", "3.9", $"main: {{smtpd_use_tls: yes, {Cert}}}", DiagnosticCodes.ParameterDeprecated, true, DiagnosticSeverity.Warning, "postconf warns"),
        new("LEGACY_SMTP_USE_ENFORCE", "3.7", "main: {smtp_enforce_tls: yes}", DiagnosticCodes.LegacySwitchEquivalent, true, MessageContains: "smtp_tls_security_level = verify"),
        new("LEGACY_SMTP_USE_ENFORCE", "3.7", "main: {smtp_enforce_tls: yes, smtp_tls_enforce_peername: \"no\"}", DiagnosticCodes.LegacySwitchEquivalent, true, MessageContains: "smtp_tls_security_level = encrypt"),
        new("LEGACY_SMTP_USE_ENFORCE", "3.11", "main: {smtp_use_tls: yes, compatibility_level: \"3.11\"}", DiagnosticCodes.LegacySwitchOverridden, true, MessageContains: "defaults to may"),
        new("LEGACY_SMTP_USE_ENFORCE", "3.11", "main: {smtp_use_tls: yes, compatibility_level: \"3.6\"}", DiagnosticCodes.LegacySwitchEquivalent, true),
        new("LEGACY_SMTP_USE_ENFORCE", "3.11", "main: {smtp_use_tls: yes}", DiagnosticCodes.LegacySwitchOverridden, false),
        new("SMTPD_LEVEL_VALUES", "3.7", $"main: {{smtpd_tls_security_level: secure, {Cert}}}", DiagnosticCodes.ServerLevelActsAsEncrypt, true, DiagnosticSeverity.Warning),
        new("SMTPD_LEVEL_VALUES", "3.7", $"main: {{smtpd_tls_security_level: VERIFY, {Cert}}}", DiagnosticCodes.UnknownValue, false),
        new("SMTPD_LEVEL_VALUES", "3.7", $"main: {{smtpd_tls_security_level: dane-only, {Cert}}}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error),
        new("SMTPD_LEVEL_VALUES", "3.7", $"main: {{postscreen_tls_security_level: dane, {Cert}}}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error),
        new("SMTPD_LEVEL_VALUES", "3.7", $"main: {{smtpd_tls_security_level: \"$smtp_tls_security_level\", smtp_tls_security_level: dane, smtp_dns_support_level: dnssec, {Cert}}}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error, "through $smtp_tls_security_level"),
        new("SMTP_LEVEL_VALUES", "3.7", "main: {smtp_tls_security_level: halfdane}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error),
        new("SMTP_LEVEL_VALUES", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: Encrypt}}", DiagnosticCodes.InvalidPolicyLevel, false),
        new("SMTPD_ENCRYPT_IMPLIES_AUTH_ONLY", "3.7", $"main: {{smtpd_tls_security_level: encrypt, smtpd_tls_auth_only: \"no\", {Cert}}}", DiagnosticCodes.SettingHasNoEffect, true, DiagnosticSeverity.Info),
        new("SMTPD_ENCRYPT_IMPLIES_AUTH_ONLY", "3.7", $"main: {{smtpd_tls_security_level: may, smtpd_tls_auth_only: \"no\", {Cert}}}", DiagnosticCodes.SettingHasNoEffect, false),

        // Server side
        new("RFC3207_PUBLIC_MX_NO_MANDATORY_TLS", "3.7", $"main: {{smtpd_tls_security_level: encrypt, {Cert}}}", DiagnosticCodes.MandatoryTlsOnPublicMx, true, DiagnosticSeverity.Warning, "submission"),
        new("RFC3207_PUBLIC_MX_NO_MANDATORY_TLS", "2.2", $"main: {{smtpd_enforce_tls: yes, {Cert}}}", DiagnosticCodes.MandatoryTlsOnPublicMx, true),
        new("RFC3207_PUBLIC_MX_NO_MANDATORY_TLS", "3.7", $"main: {{smtpd_enforce_tls: yes, smtpd_tls_security_level: may, {Cert}}}", DiagnosticCodes.MandatoryTlsOnPublicMx, false),
        new("RFC3207_PUBLIC_MX_NO_MANDATORY_TLS", "3.7", $"main: {{postscreen_tls_security_level: encrypt, {Cert}}}", DiagnosticCodes.MandatoryTlsOnPublicMx, true),
        new("RFC3207_PUBLIC_MX_NO_MANDATORY_TLS", "3.7", $"main: {{smtpd_tls_security_level: may, {Cert}}}", DiagnosticCodes.MandatoryTlsOnPublicMx, false),
        new("SMTPD_REQ_CCERT_NEEDS_ENCRYPT", "3.7", $"main: {{smtpd_tls_security_level: may, smtpd_tls_req_ccert: yes, {Cert}}}", DiagnosticCodes.ClientCertWithoutMandatoryTls, true, DiagnosticSeverity.Warning),
        new("SMTPD_REQ_CCERT_NEEDS_ENCRYPT", "3.7", $"main: {{smtpd_tls_wrappermode: yes, smtpd_tls_req_ccert: yes, {Cert}}}", DiagnosticCodes.ClientCertWithoutMandatoryTls, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may}", DiagnosticCodes.ServerTlsWithoutCertificate, true, DiagnosticSeverity.Warning, "smtpd_tls_chain_files"),
        new("SMTPD_TLS_NEEDS_CERT", "2.11", "main: {smtpd_use_tls: yes}", DiagnosticCodes.ServerTlsWithoutCertificate, true, MessageContains: "smtpd_tls_cert_file"),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: encrypt}", DiagnosticCodes.ServerTlsWithoutCertificate, true, DiagnosticSeverity.Error, "every client is refused"),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: /etc/ssl/certs/both.pem}", DiagnosticCodes.ServerTlsWithoutCertificate, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: /etc/ssl/certs/both.pem}", DiagnosticCodes.KeyWithoutCertificate, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_eccert_file: /etc/ssl/certs/ec.pem}", DiagnosticCodes.ServerTlsWithoutCertificate, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_chain_files: /etc/ssl/private/all.pem}", DiagnosticCodes.ServerTlsWithoutCertificate, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: none}", DiagnosticCodes.ServerTlsWithoutCertificate, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: \"$my_cert\", my_cert: /etc/ssl/certs/mail.pem}", DiagnosticCodes.ServerTlsWithoutCertificate, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: none, smtpd_tls_protocols: \"!SSLv2, !SSLv3, !TLSv1.3\"}", DiagnosticCodes.AnonymousServerTlsWithTls13, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: may, smtpd_tls_key_file: /etc/ssl/private/mail.key}", DiagnosticCodes.KeyWithoutCertificate, true, DiagnosticSeverity.Warning),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", "main: {smtpd_tls_security_level: none, smtpd_tls_auth_only: yes}", DiagnosticCodes.AuthOnlyWithoutTls, true, DiagnosticSeverity.Warning),
        new("SMTPD_TLS_NEEDS_CERT", "3.7", $"main: {{smtpd_tls_security_level: may, smtpd_tls_auth_only: yes, {Cert}}}", DiagnosticCodes.AuthOnlyWithoutTls, false),
        new("SMTPD_NO_SENDMAIL_BS", "3.7", $"main: {{smtpd_tls_security_level: encrypt, {Cert}}}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "sendmail -bs"),
        new("SMTPD_TLS_RECEIVED_HEADER", "3.7", "main: {smtpd_tls_received_header: yes}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "Received:"),
        new("SMTPD_WRAPPERMODE", "3.7", $"main: {{smtpd_tls_wrappermode: yes, {Cert}}}", DiagnosticCodes.ServerWrapperModeInMainCf, true, DiagnosticSeverity.Warning, "submissions"),
        new("SMTPD_WRAPPERMODE", "3.7", $"main: {{smtpd_tls_wrappermode: yes, smtpd_tls_security_level: may, {Cert}}}", DiagnosticCodes.SettingHasNoEffect, true, DiagnosticSeverity.Info),
        new("CHAIN_FILES_3_4", "3.7", "main: {smtpd_tls_chain_files: /etc/ssl/private/all.pem, smtpd_tls_cert_file: /etc/ssl/certs/old.pem}", DiagnosticCodes.ChainFilesOverrideLegacyFiles, true, DiagnosticSeverity.Warning),
        new("CHAIN_FILES_3_4", "3.7", "main: {smtp_tls_chain_files: /etc/postfix/client.pem, smtp_tls_key_file: /etc/postfix/client.key}", DiagnosticCodes.ChainFilesOverrideLegacyFiles, true),
        new("CHAIN_FILES_3_4", "3.7", "main: {smtpd_tls_chain_files: /etc/ssl/private/all.pem}", DiagnosticCodes.ChainFilesOverrideLegacyFiles, false),
        new("DSA_OBSOLETE", "3.7", "main: {smtpd_tls_dcert_file: /etc/ssl/certs/dsa.pem}", DiagnosticCodes.DsaObsolete, true, DiagnosticSeverity.Warning),
        new("DSA_OBSOLETE", "3.7", $"main: {{{Cert}}}", DiagnosticCodes.DsaObsolete, false),

        // Client side
        new("SMTP_WRAPPERMODE_3_0", "3.7", "main: {smtp_tls_wrappermode: yes, smtp_tls_security_level: encrypt}", DiagnosticCodes.WrapperModeNeedsEncrypt, false),
        new("SMTP_WRAPPERMODE_3_0", "3.7", $"main: {{smtp_tls_wrappermode: yes, smtp_tls_security_level: encrypt, {PolicyMaps}}}\ntls_policy: {{example.com: may}}", DiagnosticCodes.WrapperModeNeedsEncrypt, true),
        new("SMTP_WRAPPERMODE_3_0", "3.7", "main: {lmtp_tls_wrappermode: yes}", DiagnosticCodes.WrapperModeNeedsEncrypt, true),
        new("TRUST_ANCHORS", "3.7", "main: {smtp_tls_security_level: secure}", DiagnosticCodes.NoTrustAnchors, true, DiagnosticSeverity.Info),
        new("TRUST_ANCHORS", "3.7", "main: {smtp_tls_security_level: secure, smtp_tls_CApath: /etc/ssl/certs}", DiagnosticCodes.NoTrustAnchors, false),
        new("TRUST_ANCHORS", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.org: {{level: verify, tafile: /etc/postfix/ta.pem}}}}", DiagnosticCodes.NoTrustAnchors, false),
        new("FINGERPRINT_MATCH", "3.7", "main: {smtp_tls_security_level: fingerprint, smtp_tls_fingerprint_digest: sha256}", DiagnosticCodes.FingerprintWithoutMatch, true, DiagnosticSeverity.Error),
        new("FINGERPRINT_MATCH", "3.7", $"main: {{{PolicyMaps}, smtp_tls_fingerprint_digest: sha256}}\ntls_policy: {{\"[relay.example]\": fingerprint}}", DiagnosticCodes.FingerprintWithoutMatch, true),
        new("FINGERPRINT_MATCH", "3.7", $"main: {{{PolicyMaps}, smtp_tls_fingerprint_digest: sha256}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"{Sha256A}\"]}}}}", DiagnosticCodes.FingerprintWithoutMatch, false),
        new("FPRINT_DIGEST_DEFAULT", "3.7", $"main: {{{PolicyMaps}, smtp_tls_fingerprint_digest: sha256}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"{Md5A}\"]}}}}", DiagnosticCodes.FingerprintDigestMismatch, true, DiagnosticSeverity.Error, "smtp_tls_fingerprint_digest = md5"),
        new("FPRINT_DIGEST_DEFAULT", "3.7", $"main: {{{PolicyMaps}, compatibility_level: \"3.6\"}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"{Md5A}\"]}}}}", DiagnosticCodes.FingerprintDigestMismatch, true, DiagnosticSeverity.Error),
        new("FPRINT_DIGEST_DEFAULT", "3.7", $"main: {{{PolicyMaps}, compatibility_level: \"2\"}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"{Md5A}\"]}}}}", DiagnosticCodes.DefaultDependsOnCompatibilityLevel, true, DiagnosticSeverity.Warning),
        new("FPRINT_DIGEST_DEFAULT", "3.7", $"main: {{{PolicyMaps}, compatibility_level: \"3.6\"}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"{Sha256A}\"]}}}}", DiagnosticCodes.FingerprintDigestMismatch, false),
        new("FPRINT_DIGEST_DEFAULT", "3.7", "main: {relay_clientcerts: \"hash:/etc/postfix/relay_clientcerts\"}", DiagnosticCodes.DefaultDependsOnCompatibilityLevel, true, DiagnosticSeverity.Warning),
        new("FPRINT_DIGEST_DEFAULT", "3.7", "main: {relay_clientcerts: \"hash:/etc/postfix/relay_clientcerts\", smtpd_tls_fingerprint_digest: sha256}", DiagnosticCodes.DefaultDependsOnCompatibilityLevel, false),
        new("FPRINT_LEVEL_2_5", "3.7", $"main: {{{PolicyMaps}, smtp_tls_fingerprint_digest: md5}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"3D:95:34\", \"nothex\"]}}}}", DiagnosticCodes.InvalidFingerprint, true, DiagnosticSeverity.Error),
        new("RPK_3_9", "3.9", $"main: {{smtp_tls_security_level: fingerprint, smtp_tls_enable_rpk: yes, smtp_tls_fingerprint_digest: sha256, smtp_tls_fingerprint_cert_match: \"{Sha256A}\"}}", DiagnosticCodes.RawPublicKeyFingerprints, true, DiagnosticSeverity.Info),
        new("RPK_3_9", "3.9", "main: {smtpd_tls_enable_rpk: yes}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "OpenSSL 3.2"),
        new("CERT_MATCH", "3.7", "main: {smtp_tls_secure_cert_match: \"nexthop, dot-nexthop, .example.com\"}", DiagnosticCodes.InvalidCertificateMatch, false),
        new("CERT_MATCH", "3.7", "main: {smtp_tls_verify_cert_match: \"hostname, *.example.com\"}", DiagnosticCodes.InvalidCertificateMatch, true, DiagnosticSeverity.Warning),
        new("SNI_3_4", "3.7", "main: {smtp_tls_servername: \"mx example\"}", DiagnosticCodes.InvalidHostname, true, DiagnosticSeverity.Error),
        new("SNI_3_4", "3.7", "main: {smtp_tls_servername: nexthop}", DiagnosticCodes.InvalidHostname, false),
        new("SNI_3_4", "3.7", "main: {tls_server_sni_maps: \"hash:/etc/postfix/sni\"}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "postmap -F"),
        new("SNI_3_4", "3.7", "main: {tls_server_sni_maps: \"texthash:/etc/postfix/sni\"}", DiagnosticCodes.DeploymentNote, false),
        new("POLICY_MAPS_VS_PER_SITE", "3.7", "main: {smtp_tls_per_site: \"hash:/etc/postfix/tls_per_site\"}", DiagnosticCodes.PerSiteIgnored, false),
        new("TLSRPT_3_10", "3.10", "main: {smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: tlsrpt/tlsrpt.sock}", DiagnosticCodes.TlsRptSettings, false),
        new("TLSRPT_3_10", "3.10", "main: {lmtp_tlsrpt_enable: yes}", DiagnosticCodes.TlsRptSettings, true, DiagnosticSeverity.Warning),

        // DANE
        new("DANE_NEEDS_DNSSEC", "3.7", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: enabled}", DiagnosticCodes.DaneWithoutDnssec, true, DiagnosticSeverity.Error, "acts as may"),
        new("DANE_NEEDS_DNSSEC", "3.7", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: dnssec}", DiagnosticCodes.DaneWithoutDnssec, false),
        new("DANE_NEEDS_DNSSEC", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.org: dane-only}}", DiagnosticCodes.DaneWithoutDnssec, true, DiagnosticSeverity.Error, "defers"),
        new("DANE_NEEDS_DNSSEC", "3.7", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: dnssec, smtp_host_lookup: native}", DiagnosticCodes.DaneDnsSettings, true, DiagnosticSeverity.Error),
        new("DANE_NEEDS_DNSSEC", "3.7", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: dnssec, smtp_host_lookup: \"dns, native\"}", DiagnosticCodes.DaneDnsSettings, false),
        new("DANE_NEEDS_DNSSEC", "3.7", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: dnssec, ignore_mx_lookup_error: yes}", DiagnosticCodes.DaneDnsSettings, true),
        new("DANE_NEEDS_DNSSEC", "3.7", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: dnssec, smtp_dns_resolver_options: res_dnsrch}", DiagnosticCodes.DaneDnsSettings, true),
        new("DANE_NEEDS_DNSSEC", "3.7", "main: {lmtp_tls_security_level: dane}", DiagnosticCodes.DaneWithoutDnssec, true),
        new("DNS_SUPPORT_VALUES", "3.7", "main: {smtp_dns_support_level: dnsec}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error, "dnssec"),
        new("DANE_INSECURE_MX_POLICY", "3.7", "main: {smtp_tls_dane_insecure_mx_policy: strict}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error),
        new("DANE_DIGESTS_KEEP_SHA256", "3.7", "main: {tls_dane_digests: sha512}", DiagnosticCodes.DaneDigestsWithoutSha256, true, DiagnosticSeverity.Warning),
        new("DANE_DIGESTS_KEEP_SHA256", "3.7", "main: {tls_dane_digests: sha512 sha265}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Warning),
        new("DANE_DIGESTS_KEEP_SHA256", "3.7", "main: {tls_dane_digests: sha512 sha256}", DiagnosticCodes.DaneDigestsWithoutSha256, false),

        // Protocols and ciphers
        new("PROTOCOL_NAMES_BY_VERSION", "3.7", "main: {smtpd_tls_protocols: \"!SSLv2, !TLSv1_1\"}", DiagnosticCodes.InvalidProtocol, true, DiagnosticSeverity.Error, "TLSv1.1"),
        new("PROTOCOL_NAMES_BY_VERSION", "3.7", "main: {smtpd_tls_protocols: \"!sslv2, !sslv3\"}", DiagnosticCodes.InvalidProtocol, false),
        new("PROTOCOL_RANGE_SYNTAX_3_6", "3.7", "main: {smtpd_tls_protocols: \">=SSLv2\"}", DiagnosticCodes.InvalidProtocol, true, DiagnosticSeverity.Error),
        new("PROTOCOL_RANGE_SYNTAX_3_6", "3.7", "main: {smtpd_tls_mandatory_protocols: \">=0x0303\"}", DiagnosticCodes.InvalidProtocol, false),
        new("PROTOCOL_RANGE_SYNTAX_3_6", "3.5", "main: {smtpd_tls_mandatory_protocols: \">=TLSv1.2\"}", DiagnosticCodes.ProtocolBoundsNotInRelease, true, MessageContains: "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1"),
        new("PROTOCOL_EXCLUSION_GAPS", "3.7", "main: {smtpd_tls_protocols: \"!SSLv2, !TLSv1\"}", DiagnosticCodes.ProtocolRangeGap, true, DiagnosticSeverity.Warning),
        new("PROTOCOL_EXCLUSION_GAPS", "3.7", "main: {smtpd_tls_protocols: \"!SSLv2, !SSLv3, !TLSv1, !TLSv1.1\"}", DiagnosticCodes.ProtocolRangeGap, false),
        new("PROTOCOL_EXCLUSION_GAPS", "3.7", "main: {smtpd_tls_protocols: \"TLSv1.2 TLSv1.3\"}", DiagnosticCodes.ProtocolRangeGap, false),
        new("PROTOCOL_EXCLUSION_GAPS", "3.7", "main: {smtpd_tls_protocols: \"TLSv1 TLSv1.2\"}", DiagnosticCodes.ProtocolRangeGap, true),
        new("PROTOCOL_EXCLUSION_GAPS", "3.7", "main: {smtpd_tls_protocols: \">=TLSv1.3, <=TLSv1.2\"}", DiagnosticCodes.ProtocolRangeGap, true, DiagnosticSeverity.Error),
        new("PROTOCOL_EXCLUSION_GAPS", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, protocols: [\"!SSLv2\", \"!TLSv1.1\"]}}}}", DiagnosticCodes.ProtocolRangeGap, true),
        new("CIPHER_GRADE_VALUES", "3.7", "main: {smtp_tls_mandatory_ciphers: strong}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error),
        new("CIPHER_GRADE_VALUES", "3.7", "main: {smtp_tls_mandatory_ciphers: \"\"}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error),
        new("CIPHER_GRADE_VALUES", "3.8", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, ciphers: export}}}}", DiagnosticCodes.ValueTreatedDifferently, true, DiagnosticSeverity.Warning),
        new("CIPHER_GRADE_VALUES", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, ciphers: HIGH}}}}", DiagnosticCodes.UnknownValue, false),
        new("CIPHER_GRADE_VALUES", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, ciphers: \"!aNULL\"}}}}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Error),
        new("CIPHERLIST_2_2_ONLY", "3.7", "main: {tls_high_cipherlist: \"HIGH:!aNULL\"}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info),
        new("EXCLUDE_IS_NOT_CIPHERSTRING", "3.7", "main: {smtpd_tls_exclude_ciphers: \"!RC4\"}", DiagnosticCodes.CipherExclusionSyntax, true, DiagnosticSeverity.Warning, "Write 'RC4'"),
        new("EXCLUDE_IS_NOT_CIPHERSTRING", "3.7", "main: {smtpd_tls_exclude_ciphers: \"aNULL, RC4, DES+MD5\"}", DiagnosticCodes.CipherExclusionSyntax, false),
        new("EXCLUDE_IS_NOT_CIPHERSTRING", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, exclude: [\"aNULL:!RC4\"]}}}}", DiagnosticCodes.CipherExclusionSyntax, true),

        // Policy attributes
        new("POLICY_ATTRIBUTES_BY_VERSION", "2.4", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, protocol: TLSv1}}}}", DiagnosticCodes.UnknownPolicyAttribute, true, DiagnosticSeverity.Warning),
        new("POLICY_ATTRIBUTES_BY_VERSION", "2.5", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, protocol: TLSv1}}}}", DiagnosticCodes.UnknownPolicyAttribute, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "2.4", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: may, ciphers: high}}}}", DiagnosticCodes.PolicyAttributeNotAtLevel, true, DiagnosticSeverity.Warning),
        new("POLICY_ATTRIBUTES_BY_VERSION", "2.5", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: may, ciphers: high}}}}", DiagnosticCodes.PolicyAttributeNotAtLevel, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, match: [example.com]}}}}", DiagnosticCodes.PolicyAttributeNotAtLevel, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}, smtp_dns_support_level: dnssec}}\ntls_policy: {{example.com: {{level: dane, tafile: /etc/postfix/ta.pem}}}}", DiagnosticCodes.PolicyAttributeNotAtLevel, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: none, protocols: [TLSv1.2]}}}}", DiagnosticCodes.PolicyAttributesIgnored, true, DiagnosticSeverity.Warning),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.10", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: secure, policy_ttl: \"86400\"}}}}", DiagnosticCodes.PolicyPluginWithoutType, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.10", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: secure, policy_type: sts, policy_ttl: 1d}}}}", DiagnosticCodes.InvalidPolicyAttributeValue, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: verify, match: [\"mx example.com\"]}}}}", DiagnosticCodes.PolicyTokenWouldSplit, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: verify, match: [\"*.example.com\"]}}}}", DiagnosticCodes.InvalidCertificateMatch, true, DiagnosticSeverity.Warning),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, servername: \"bad_name!\"}}}}", DiagnosticCodes.InvalidHostname, true, DiagnosticSeverity.Error),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}, smtp_dns_support_level: dnssec}}\ntls_policy: {{example.com: {{level: dane, servername: hostname}}}}", DiagnosticCodes.SettingHasNoEffect, true, DiagnosticSeverity.Info),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: encrypt, Protocols: TLSv1.2}}}}", DiagnosticCodes.UnknownPolicyAttribute, true, DiagnosticSeverity.Warning),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.7", $"main: {{{PolicyMaps}}}\ntls_policy: {{example.com: {{level: secure, tafile: [/etc/postfix/a.pem, /etc/postfix/b.pem], match: [nexthop, dot-nexthop]}}}}", DiagnosticCodes.PolicyAttributeNotAtLevel, false),

        // Sessions, tables, compatibility level, misc.
        new("SESSION_CACHE_LIMITS", "3.7", "main: {smtp_tls_session_cache_database: \"cdb:/var/lib/postfix/smtp_scache\"}", DiagnosticCodes.UnsupportedSessionCacheType, true, DiagnosticSeverity.Error),
        new("SESSION_CACHE_LIMITS", "3.7", "main: {smtp_tls_session_cache_database: \"btree:${data_directory}/smtp_scache\"}", DiagnosticCodes.UnsupportedSessionCacheType, false),
        new("SESSION_CACHE_LIMITS", "3.7", "main: {smtp_tls_session_cache_database: \"lmdb:/var/lib/postfix/smtp_scache\"}", DiagnosticCodes.UnsupportedSessionCacheType, false),
        new("SESSION_CACHE_LIMITS", "3.7", "main: {smtpd_tls_session_cache_database: \"btree:/var/lib/postfix/scache\", smtp_tls_session_cache_database: \"btree:/var/lib/postfix/scache\"}", DiagnosticCodes.SessionCacheShared, true, DiagnosticSeverity.Error),
        new("SESSION_CACHE_LIMITS", "3.7", "main: {smtp_tls_session_cache_timeout: 0}", DiagnosticCodes.SessionCacheTimeout, true, DiagnosticSeverity.Info),
        new("SESSION_CACHE_LIMITS", "3.7", "main: {smtp_tls_session_cache_timeout: 1h}", DiagnosticCodes.SessionCacheTimeout, false),
        new("SESSION_TICKET_CIPHER", "3.7", "main: {tls_session_ticket_cipher: \"\"}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: /etc/postfix/tls_policy}", DiagnosticCodes.InvalidMapReference, true, DiagnosticSeverity.Error),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"hsah:/etc/postfix/tls_policy\"}", DiagnosticCodes.UnknownMapType, true, DiagnosticSeverity.Error, "hash"),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"proxy:ldap:/etc/postfix/ldap-tls.cf\"}", DiagnosticCodes.UnknownMapType, false),
        new("MAP_TYPES", "3.11", "main: {smtp_requiretls_policy: \"inline:{example.com=enforce}, opportunistic\"}", DiagnosticCodes.InvalidMapReference, false),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"pipemap:{hash:/etc/postfix/a, hash:/etc/postfix/b}\"}", DiagnosticCodes.InvalidMapReference, false),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"unionmap:{hash:/etc/postfix/a, hash:/etc/postfix/b}\"}", DiagnosticCodes.InvalidMapReference, false),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"randmap:{encrypt, may}\"}", DiagnosticCodes.InvalidMapReference, false),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"randmap:/etc/postfix/levels\"}", DiagnosticCodes.InvalidMapReference, true, DiagnosticSeverity.Error, "only in-line, as randmap:{...}"),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"inline:/etc/postfix/tls_policy\"}", DiagnosticCodes.InvalidMapReference, true, DiagnosticSeverity.Error, "only in-line, as inline:{...}"),
        new("COMPAT_LEVEL_SYNTAX", "3.7", "main: {compatibility_level: \"3.6.x\"}", DiagnosticCodes.InvalidCompatibilityLevel, true, DiagnosticSeverity.Error),
        new("COMPAT_LEVEL_SYNTAX", "3.7", "main: {compatibility_level: \"3.7\"}", DiagnosticCodes.InvalidCompatibilityLevel, false),
        new("COMPAT_LEVEL_SYNTAX", "3.5", "main: {compatibility_level: \"2\"}", DiagnosticCodes.InvalidCompatibilityLevel, false),
        new("COMPAT_LEVEL_TLS_EFFECTS", "3.11", "main: {compatibility_level: \"3.11\"}", DiagnosticCodes.DefaultDependsOnCompatibilityLevel, false),
        new("TLS_CONFIG_FILE", "3.9", "main: {tls_config_file: openssl.cnf}", DiagnosticCodes.InvalidTlsConfigFile, true, DiagnosticSeverity.Warning),
        new("TLS_CONFIG_FILE", "3.9", "main: {tls_config_file: /etc/postfix/openssl.cnf}", DiagnosticCodes.InvalidTlsConfigFile, false),
        new("FAST_SHUTDOWN_NAME", "3.4.6", "main: {tls_fast_shutdown_enable: \"no\"}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "tls_fast_shutdown"),
        new("EECDH_AUTO_CURVES", "3.7", "main: {tls_eecdh_auto_curves: X25519 prime265v1}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info, "prime265v1"),
        new("EECDH_AUTO_CURVES", "3.7", "main: {tls_eecdh_auto_curves: X25519 X448 prime256v1 secp384r1}", DiagnosticCodes.DeploymentNote, false),
        new("LOGLEVEL_RANGE", "3.7", "main: {smtpd_tls_loglevel: 7}", DiagnosticCodes.IntegerOutOfRange, true, DiagnosticSeverity.Warning),
        new("LOGLEVEL_RANGE", "3.7", "main: {smtpd_tls_loglevel: 2}", DiagnosticCodes.DeploymentNote, true, DiagnosticSeverity.Info),
        new("LOGLEVEL_RANGE", "3.7", "main: {smtpd_tls_loglevel: 1}", DiagnosticCodes.DeploymentNote, false),
        new("LOGLEVEL_RANGE", "3.7", "main: {smtpd_tls_loglevel: \"1 # debug\"}", DiagnosticCodes.UnknownValue, true, DiagnosticSeverity.Warning),
        new("TLSPROXY_CLIENT_RENAME_3_7", "3.7", "main: {tlsproxy_client_level: encrypt}", DiagnosticCodes.LegacyParameterName, true, DiagnosticSeverity.Warning, "tlsproxy_client_security_level"),
        new("TLSPROXY_CLIENT_RENAME_3_7", "3.7", "main: {tlsproxy_client_level: encrypt}", DiagnosticCodes.ParameterRemoved, false),
        new("VALUE_REFERENCES", "3.7", "main: {smtpd_tls_auth_only: \"$my_flag\", my_flag: maybe}", DiagnosticCodes.InvalidBoolean, true, DiagnosticSeverity.Error),
        new("VALUE_REFERENCES", "3.7", "main: {smtpd_tls_auth_only: \"${my_flag?yes}\", my_flag: maybe}", DiagnosticCodes.InvalidBoolean, false),
    ];

    public static TheoryData<RuleCase> Data() => [.. Cases];

    [Theory]
    [MemberData(nameof(Data))]
    public void Validate_RuleCase_ReportsExactlyWhenExpected(RuleCase c)
    {
        var diagnostics = Check.Validate(c.Yaml, c.Version);
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.RuleFault);
        var found = diagnostics.Where(d => d.Code == c.Code).ToList();
        Assert.True(c.Expected == (found.Count > 0), $"{c}: got\n{Check.Describe(diagnostics)}");
        if (!c.Expected)
        {
            return;
        }

        if (c.Severity is { } severity)
        {
            Assert.Contains(found, d => d.Severity == severity);
        }

        if (c.MessageContains is { } text)
        {
            Assert.Contains(found, d => d.Message.Contains(text, StringComparison.Ordinal));
        }
    }
}

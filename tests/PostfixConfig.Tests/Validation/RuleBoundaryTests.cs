using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// Walks every version-dependent rule across its release boundary: the newest release before the
/// threshold (and, for back-ported features, the patch release just before each back-port) and the
/// first release at it. The gates below are written out from the Postfix source history
/// (release tags of vdukhovni/postfix) and docs/reference/version-rules.md, independently of the
/// library's Catalog/Thresholds.cs, so a wrong threshold in the library fails here.
/// </summary>
public class RuleBoundaryTests
{
    /// <summary>One rule at one boundary.</summary>
    /// <param name="Rule">The rule identifier (version-rules.md) or a short name.</param>
    /// <param name="Gate">The first release(s) with the new behaviour.</param>
    /// <param name="Yaml">The configuration (no postfix_version).</param>
    /// <param name="Code">The diagnostic that marks the old (or new) behaviour.</param>
    /// <param name="FiresBefore">True when <paramref name="Code"/> is reported before the gate and not at it; false for the reverse.</param>
    /// <param name="Before">Explicit "before" releases, when the newest release before the gate has neither behaviour.</param>
    /// <param name="Severity">The severity expected where the code is reported, when it matters.</param>
    /// <param name="Message">When set, only diagnostics of <paramref name="Code"/> whose message contains this text count.</param>
    public sealed record Boundary(
        string Rule, string Gate, string Yaml, string Code, bool FiresBefore, string? Before = null, DiagnosticSeverity? Severity = null, string? Message = null)
    {
        public override string ToString() => $"{Rule} @ {Gate} ({Code})";
    }

    private const string Cert = "smtpd_tls_cert_file: /etc/ssl/certs/mail.pem, smtpd_tls_key_file: /etc/ssl/private/mail.key";

    /// <summary>md5 fingerprints (16 bytes).</summary>
    private const string Md5A = "3D:95:34:51:24:66:33:B9:D2:40:99:C0:C1:17:0B:D1";

    public static readonly Boundary[] Boundaries =
    [
        // Security levels, legacy switches
        new("LEVEL_NOT_BEFORE_2_3", "2.3", $"main: {{smtpd_tls_security_level: may, {Cert}}}", DiagnosticCodes.ParameterNotYetAvailable, true, Severity: DiagnosticSeverity.Error),
        new("LEVEL_NOT_BEFORE_2_3", "2.3", "main: {smtp_tls_mandatory_ciphers: high}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("LEVEL_NOT_BEFORE_2_3", "2.3", "main: {lmtp_tls_security_level: may}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("LEGACY_SMTPD_USE_ENFORCE", "2.3", $"main: {{smtpd_use_tls: yes, smtpd_tls_security_level: may, {Cert}}}", DiagnosticCodes.LegacySwitchOverridden, false, Severity: DiagnosticSeverity.Warning),
        new("LEGACY_SMTPD_USE_ENFORCE", "2.3", $"main: {{smtpd_use_tls: yes, {Cert}}}", DiagnosticCodes.ParameterDeprecated, false),
        new("LEGACY_SMTP_USE_ENFORCE", "2.3", "main: {smtp_enforce_tls: yes, smtp_tls_security_level: encrypt}", DiagnosticCodes.LegacySwitchOverridden, false),
        new("LEGACY_SMTP_USE_ENFORCE", "3.11", "main: {smtp_tls_enforce_peername: \"no\"}", DiagnosticCodes.ParameterDeprecated, false, Message: "postconf warns"),
        new("LEGACY_SMTP_USE_ENFORCE", "3.9", "main: {smtp_use_tls: yes}", DiagnosticCodes.ParameterDeprecated, false, Message: "postconf warns"),
        new("SMTPD_LEVEL_VALUES", "2.5", $"main: {{smtpd_tls_security_level: fingerprint, {Cert}}}", DiagnosticCodes.ServerLevelActsAsEncrypt, false, Severity: DiagnosticSeverity.Warning),
        new("SMTPD_LEVEL_VALUES", "2.5", $"main: {{smtpd_tls_security_level: fingerprint, {Cert}}}", DiagnosticCodes.UnknownValue, true, Severity: DiagnosticSeverity.Error),
        new("SMTP_LEVEL_VALUES", "2.5", $"main: {{smtp_tls_security_level: fingerprint, smtp_tls_fingerprint_cert_match: \"{Md5A}\"}}", DiagnosticCodes.ValueNotYetAvailable, true),
        new("SMTP_LEVEL_VALUES", "2.11", "main: {smtp_tls_security_level: dane-only, smtp_dns_support_level: dnssec}", DiagnosticCodes.ValueNotYetAvailable, true),
        new("SMTP_DEFAULT_LEVEL_3_11", "3.11", "main: {myhostname: mail.example.com}", DiagnosticCodes.DefaultDependsOnCompatibilityLevel, false, Severity: DiagnosticSeverity.Info),
        new("SMTP_DEFAULT_LEVEL_3_11", "3.11", "main: {compatibility_level: \"3.10\"}", DiagnosticCodes.DefaultDependsOnCompatibilityLevel, false),
        new("COMPAT_LEVEL_TLS_EFFECTS", "3.6", $"main: {{smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"{Md5A}\"]}}}}", DiagnosticCodes.FingerprintDigestMismatch, false),
        new("FPRINT_DIGEST_DEFAULT", "3.6", $"main: {{smtp_tls_security_level: fingerprint, smtp_tls_fingerprint_cert_match: \"{Md5A}\"}}", DiagnosticCodes.FingerprintDigestMismatch, false, Severity: DiagnosticSeverity.Warning),

        // Wrapper mode
        new("SMTP_WRAPPERMODE_3_0", "3.0", "main: {smtp_tls_wrappermode: yes, smtp_tls_security_level: may}", DiagnosticCodes.WrapperModeNeedsEncrypt, false, Severity: DiagnosticSeverity.Error),
        new("SMTP_WRAPPERMODE_3_0", "3.0", "main: {smtp_tls_wrappermode: yes, smtp_tls_security_level: encrypt}", DiagnosticCodes.ParameterNotYetAvailable, true),

        // DANE and DNS
        new("DANE_NEEDS_2_11", "2.11", "main: {smtp_tls_security_level: dane, smtp_dns_support_level: dnssec}", DiagnosticCodes.ValueNotYetAvailable, true, Severity: DiagnosticSeverity.Error),
        new("DANE_NEEDS_2_11", "2.11", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.org: dane-only}", DiagnosticCodes.InvalidPolicyLevel, true),
        new("DANE_NEEDS_DNSSEC", "2.11", "main: {smtp_tls_security_level: dane}", DiagnosticCodes.DaneWithoutDnssec, false, Severity: DiagnosticSeverity.Error),
        new("DNS_SUPPORT_VALUES", "2.11", "main: {smtp_dns_support_level: enabled}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("DANE_INSECURE_MX_POLICY", "3.1", "main: {smtp_tls_dane_insecure_mx_policy: may}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("DANE_DIGESTS_KEEP_SHA256", "2.11", "main: {tls_dane_digests: sha512 sha256}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("DANE_OBSOLETE_KNOBS", "3.2", "main: {tls_dane_digest_agility: \"on\"}", DiagnosticCodes.ParameterObsolete, false),
        new("DANE_OBSOLETE_KNOBS", "3.4", "main: {tls_dane_trust_anchor_digest_enable: yes}", DiagnosticCodes.ParameterRemoved, false),
        new("DNSSEC_PROBE", "3.2.21,3.3.16,3.4.19,3.5.9,3.6", "main: {dnssec_probe: \"ns:.\"}", DiagnosticCodes.ParameterNotYetAvailable, true),

        // Protocols and ciphers
        new("PROTOCOL_RANGE_SYNTAX_3_6", "3.6", "main: {smtpd_tls_protocols: \">=TLSv1.2\"}", DiagnosticCodes.ProtocolBoundsNotInRelease, true, Severity: DiagnosticSeverity.Error),
        new("PROTOCOL_RANGE_SYNTAX_3_6", "3.6", "main: {smtp_tls_mandatory_protocols: \"<=TLSv1.2\"}", DiagnosticCodes.ProtocolBoundsNotInRelease, true),
        new("PROTOCOL_RANGE_SYNTAX_3_6", "3.6", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: encrypt, protocols: \">=TLSv1.2\"}}", DiagnosticCodes.ProtocolBoundsNotInRelease, true),
        new("PROTOCOL_NAMES_BY_VERSION", "2.6.15,2.7.9,2.8.10,2.9.2,2.10", "main: {smtp_tls_mandatory_protocols: \"!SSLv2, !SSLv3, !TLSv1, !TLSv1.1\"}", DiagnosticCodes.ProtocolNotInRelease, true, Severity: DiagnosticSeverity.Error),
        new("PROTOCOL_NAMES_BY_VERSION", "3.0", "main: {smtpd_tls_mandatory_protocols: \"!SSLv2, !SSLv3, !TLSv1.3\"}", DiagnosticCodes.ProtocolNotInRelease, true),
        new("PROTOCOL_NAMES_BY_VERSION", "3.0.14,3.1.10,3.2.7,3.3.2,3.4", "main: {smtpd_tls_mandatory_protocols: \"!SSLv2, !SSLv3, !TLSv1.3\"}", DiagnosticCodes.ProtocolHasNoEffect, true, Before: "3.0.13,3.1.9,3.2.6,3.3.1"),
        new("PROTOCOL_DEFAULTS", "2.9.14,2.10.8,2.11.6,3.0.2,3.1", $"main: {{smtpd_tls_security_level: may, {Cert}}}", DiagnosticCodes.ProtocolDefaultAllowsSsl, true, Severity: DiagnosticSeverity.Info),
        new("PROTOCOL_NAMES_BY_VERSION", "2.6.15,2.7.9,2.8.10,2.9.2,2.10", "main: {smtp_tls_security_level: encrypt, smtp_tls_mandatory_protocols: \"!SSLv2, !TLSv1.2\"}", DiagnosticCodes.ProtocolNotInRelease, true),
        new("CIPHER_GRADE_VALUES", "3.8", "main: {smtpd_tls_mandatory_ciphers: low}", DiagnosticCodes.ValueTreatedDifferently, false, Severity: DiagnosticSeverity.Warning),
        new("CIPHER_GRADE_VALUES", "2.6", "main: {smtpd_tls_ciphers: high}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("CIPHER_GRADE_VALUES", "3.8", "main: {tls_low_cipherlist: \"ALL:!EXPORT\"}", DiagnosticCodes.ParameterObsolete, false),
        new("CIPHERLIST_2_2_ONLY", "2.3", "main: {smtpd_tls_cipherlist: \"HIGH:!aNULL\"}", DiagnosticCodes.ParameterRemoved, false),

        // Keys and certificates
        new("CHAIN_FILES_3_4", "3.4", "main: {smtpd_tls_chain_files: [/etc/ssl/private/key.pem, /etc/ssl/certs/chain.pem]}", DiagnosticCodes.ParameterNotYetAvailable, true, Severity: DiagnosticSeverity.Error),
        new("CHAIN_FILES_3_4", "3.4", "main: {smtp_tls_chain_files: /etc/postfix/client.pem}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("CHAIN_FILES_3_4", "3.4", "main: {tlsproxy_tls_chain_files: /etc/postfix/proxy.pem}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("ECDSA_FILES_2_6", "2.6", "main: {smtpd_tls_eccert_file: /etc/ssl/certs/ec.pem, smtpd_tls_eckey_file: /etc/ssl/private/ec.key}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("EECDH_GRADE_OBSOLETE_3_6", "3.6", "main: {smtpd_tls_eecdh_grade: strong}", DiagnosticCodes.ParameterObsolete, false),
        new("EECDH_GRADE_OBSOLETE_3_6", "3.6", "main: {tls_eecdh_strong_curve: prime256v1}", DiagnosticCodes.ParameterObsolete, false),
        new("EECDH_AUTO_CURVES", "3.2", "main: {tls_eecdh_auto_curves: X25519 prime256v1}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("EECDH_AUTO_CURVES", "3.6.17,3.7.13,3.8.8,3.9.2,3.10", "main: {tls_eecdh_auto_curves: \"\", tls_ffdhe_auto_groups: \"\"}", DiagnosticCodes.DeploymentNote, false, Before: "3.6.16,3.7.12,3.8.7,3.9.1"),
        new("FFDHE_GROUPS_3_8", "3.8", "main: {tls_ffdhe_auto_groups: ffdhe2048 ffdhe3072}", DiagnosticCodes.ParameterNotYetAvailable, true, Severity: DiagnosticSeverity.Error),
        new("DH1024_AUTO_3_7", "3.7", "main: {smtpd_tls_dh1024_param_file: auto}", DiagnosticCodes.ValueTreatedDifferently, true, Severity: DiagnosticSeverity.Warning),
        new("POSTCONF_WARNINGS_3_9", "3.9", "main: {smtpd_tls_dh1024_param_file: /etc/postfix/dh2048.pem}", DiagnosticCodes.ParameterDeprecated, false),
        new("POSTCONF_WARNINGS_3_9", "2.11", "main: {disable_dns_lookups: \"no\"}", DiagnosticCodes.ParameterDeprecated, false),
        new("SMTPD_TLS_NEEDS_CERT", "3.0.14,3.1.10,3.2.7,3.3.2,3.4", "main: {smtpd_tls_security_level: may, smtpd_tls_cert_file: none}", DiagnosticCodes.AnonymousServerTlsWithTls13, false, Before: "3.0.13,3.1.9,3.2.6,3.3.1"),

        // Fingerprints, client certificates
        new("FPRINT_LEVEL_2_5", "2.5", $"main: {{smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}}\ntls_policy: {{\"[relay.example]\": {{level: fingerprint, match: [\"{Md5A}\"]}}}}", DiagnosticCodes.InvalidPolicyLevel, true),
        new("FPRINT_LEVEL_2_5", "2.5", $"main: {{smtp_tls_fingerprint_cert_match: \"{Md5A}\"}}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("FPRINT_LEVEL_2_5", "3.6", "main: {smtp_tls_security_level: fingerprint, smtp_tls_fingerprint_digest: md5, smtp_tls_fingerprint_cert_match: 3D95345124663339D24099C0C1170BD1}", DiagnosticCodes.InvalidFingerprint, true),
        new("FPRINT_LEVEL_2_5", "3.11", "main: {tls_legacy_public_key_fingerprints: yes}", DiagnosticCodes.ParameterRemoved, false),
        new("RPK_3_9", "3.9", "main: {smtp_tls_enable_rpk: yes}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("RPK_3_9", "3.9", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: encrypt, enable_rpk: yes}}", DiagnosticCodes.PolicyAttributeNotInRelease, true),
        new("APPEND_DEFAULT_CA", "2.4.15,2.5.11,2.6.8,2.7.2,2.8", $"main: {{smtpd_tls_security_level: may, {Cert}, smtpd_tls_CAfile: /etc/postfix/clients-ca.pem}}", DiagnosticCodes.DeploymentNote, true),
        new("TRUST_SERVER_CCERTS_3_12", "3.12", "main: {tls_trust_server_ccerts: yes}", DiagnosticCodes.ParameterNotYetAvailable, true),

        // Names, SNI, policy tables
        new("POLICY_MAPS_VS_PER_SITE", "2.3", "main: {smtp_tls_per_site: \"hash:/etc/postfix/tls_per_site\", smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}", DiagnosticCodes.PerSiteIgnored, false),
        new("POLICY_ATTRIBUTES_BY_VERSION", "2.6", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: encrypt, exclude: [RC4]}}", DiagnosticCodes.PolicyAttributeNotInRelease, true),
        new("POLICY_ATTRIBUTES_BY_VERSION", "2.6", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: may, ciphers: high}}", DiagnosticCodes.PolicyAttributeNotAtLevel, true),
        new("POLICY_ATTRIBUTES_BY_VERSION", "2.11", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: secure, tafile: /etc/postfix/ta.pem}}", DiagnosticCodes.PolicyAttributeNotInRelease, true),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.4", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: encrypt, servername: hostname}}", DiagnosticCodes.PolicyAttributeNotInRelease, true),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.4", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: encrypt, connection_reuse: yes}}", DiagnosticCodes.PolicyAttributeNotInRelease, true),
        new("POLICY_ATTRIBUTES_BY_VERSION", "3.10", "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"}\ntls_policy: {example.com: {level: secure, policy_type: sts, policy_ttl: \"86400\"}}", DiagnosticCodes.PolicyAttributeNotInRelease, true),
        new("SNI_3_4", "3.4", "main: {tls_server_sni_maps: \"hash:/etc/postfix/sni\"}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("SNI_3_4", "3.4", "main: {smtp_tls_servername: hostname}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("CONNECTION_REUSE_3_4", "3.4", "main: {smtp_tls_connection_reuse: yes}", DiagnosticCodes.DeploymentNote, false, Severity: DiagnosticSeverity.Info),
        new("CONNECTION_REUSE_3_4", "3.4", "main: {smtp_tls_connection_reuse: yes}", DiagnosticCodes.ParameterNotYetAvailable, true, Severity: DiagnosticSeverity.Error),
        new("TLSPROXY_CLIENT_RENAME_3_7", "3.7.16,3.8.11,3.9.5,3.10.4,3.11", "main: {tlsproxy_client_level: encrypt}", DiagnosticCodes.TlsproxyOldNames, true, Before: "3.7.15,3.8.10,3.9.4,3.10.3"),
        new("TLSPROXY_CLIENT_RENAME_3_7", "3.4", "main: {tlsproxy_client_level: encrypt}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("CNAME_OVERRIDES_DEPRECATED", "3.11", "main: {smtp_cname_overrides_servername: \"no\"}", DiagnosticCodes.ParameterDeprecated, false),

        // OpenSSL configuration, sessions, misc.
        new("TLS_CONFIG_FILE", "3.5.20,3.6.10,3.7.6,3.8.1,3.9", "main: {tls_config_file: default}", DiagnosticCodes.ParameterNotYetAvailable, true, Severity: DiagnosticSeverity.Error),
        new("FAST_SHUTDOWN_NAME", "3.1.14,3.2.11,3.3.6,3.4.7,3.5", "main: {tls_fast_shutdown_enable: \"no\"}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("FAST_SHUTDOWN_NAME", "3.1.14,3.2.11,3.3.6,3.4.7,3.5", "main: {tls_fast_shutdown: \"no\"}", DiagnosticCodes.UnknownParameter, false, Before: "3.1.13,3.2.10,3.3.5,3.4.6"),
        new("SESSION_CACHE_LIMITS", "2.11", "main: {smtpd_tls_session_cache_timeout: 200d}", DiagnosticCodes.SessionCacheTimeout, false, Severity: DiagnosticSeverity.Error),
        new("SESSION_CACHE_LIMITS", "2.11", "main: {smtp_tls_session_cache_timeout: 60s}", DiagnosticCodes.SessionCacheTimeout, false, Severity: DiagnosticSeverity.Warning),
        new("SESSION_CACHE_LIMITS", "2.11", "main: {smtp_tls_session_cache_database: \"lmdb:/var/lib/postfix/smtp_scache\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("SESSION_TICKET_CIPHER", "3.0", "main: {tls_session_ticket_cipher: aes-256-cbc}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("TLSRPT_3_10", "3.10", "main: {smtp_tlsrpt_enable: yes}", DiagnosticCodes.TlsRptSettings, false, Severity: DiagnosticSeverity.Error),
        new("TLSRPT_3_10", "3.10", "main: {smtp_tlsrpt_enable: yes, smtp_tlsrpt_socket_name: tlsrpt/tlsrpt.sock}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("STS_MX_PATTERNS", "3.10.5,3.11", "main: {smtp_tls_enforce_sts_mx_patterns: yes}", DiagnosticCodes.ParameterNotYetAvailable, true, Before: "3.10.4"),
        new("REQUIRETLS_3_11", "3.11", "main: {requiretls_enable: yes}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("REQUIRETLS_3_11", "3.10", "main: {tls_required_enable: yes}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("REQUIRETLS_3_11", "3.11", "main: {smtp_tls_servername: \"${domain_to_ascii{$myhostname}}\"}", DiagnosticCodes.ExpansionNotInRelease, true),
        new("TRACE_3_12", "3.12", "main: {smtpd_tls_loglevel: \"1,trace\"}", DiagnosticCodes.ValueNotYetAvailable, true, Severity: DiagnosticSeverity.Warning),
        new("TRACE_3_12", "3.12", "main: {smtp_tls_loglevel_maps: \"hash:/etc/postfix/tls_loglevel\"}", DiagnosticCodes.ParameterNotYetAvailable, true),
        new("LOGLEVEL_RANGE", "2.9", "main: {smtpd_tls_loglevel: \"1 # debug\"}", DiagnosticCodes.InvalidInteger, true, Severity: DiagnosticSeverity.Error),

        // compatibility_level and expansions
        new("COMPAT_LEVEL_SYNTAX", "3.3.18,3.4.21,3.5.11,3.6", "main: {compatibility_level: \"3.6\"}", DiagnosticCodes.InvalidCompatibilityLevel, true, Severity: DiagnosticSeverity.Error),
        new("COMPAT_LEVEL_SYNTAX", "3.0", "main: {compatibility_level: \"2\"}", DiagnosticCodes.ParameterNotInRelease, true),
        new("EXPANSION_FORMS", "3.6", "main: {smtp_tls_fingerprint_digest: \"${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}\"}", DiagnosticCodes.ExpansionNotInRelease, true),
        new("EXPANSION_FORMS", "3.0", "main: {smtp_tls_security_level: \"${smtp_use_tls?{may}:{none}}\"}", DiagnosticCodes.ExpansionNotInRelease, true),

        // Table types
        new("MAP_TYPES", "2.11", "main: {smtp_tls_policy_maps: \"lmdb:/etc/postfix/tls_policy\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "2.8", "main: {smtp_tls_policy_maps: \"texthash:/etc/postfix/tls_policy\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.0", "main: {smtp_tls_policy_maps: \"inline:{example.com=encrypt}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"cidr:{{192.0.2.0/24 encrypt}}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        // (policy-table.md section 4 for socketmap and the in-line forms; RELEASE_NOTES-2.8 sqlite, 2.9 memcache, 3.0 pipemap, unionmap and randmap, 3.9 mongodb, 3.11 debug)
        new("MAP_TYPES", "2.10", "main: {smtp_tls_policy_maps: \"socketmap:inet:127.0.0.1:8888:policy\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "2.8", "main: {smtp_tls_policy_maps: \"sqlite:/etc/postfix/tls_policy.cf\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "2.9", "main: {smtp_tls_policy_maps: \"memcache:/etc/postfix/tls_policy.cf\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.0", "main: {smtp_tls_policy_maps: \"pipemap:{hash:/etc/postfix/a, hash:/etc/postfix/b}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.0", "main: {smtp_tls_policy_maps: \"unionmap:{hash:/etc/postfix/a, hash:/etc/postfix/b}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.0", "main: {smtp_tls_policy_maps: \"randmap:{encrypt, may}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.0", "main: {smtp_tls_policy_maps: \"static:{encrypt protocols=>=TLSv1.2}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"pcre:{{/example\\\\.com$/ encrypt}}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.7", "main: {smtp_tls_policy_maps: \"regexp:{{/example\\\\.com$/ encrypt}}\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.9", "main: {smtp_tls_policy_maps: \"mongodb:/etc/postfix/tls_policy.cf\"}", DiagnosticCodes.MapTypeNotInRelease, true),
        new("MAP_TYPES", "3.11", "main: {smtp_tls_policy_maps: \"debug:hash:/etc/postfix/tls_policy\"}", DiagnosticCodes.MapTypeNotInRelease, true),
    ];

    private static ParameterCatalog Catalog => ParameterCatalog.Default;

    public static TheoryData<Boundary> Cases() => [.. Boundaries];

    /// <summary>The releases just before the gate: the newest release before it, or the explicit list.</summary>
    private static IEnumerable<PostfixVersion> BeforeReleases(Boundary b)
    {
        if (b.Before is not null)
        {
            return b.Before.Split(',').Select(PostfixVersion.Parse);
        }

        var gate = VersionGate.Parse(b.Gate);
        var before = new List<PostfixVersion>();
        if (gate.LastReleaseBefore(Catalog.Releases.Newest) is { } last)
        {
            before.Add(last);
        }

        // For back-ported gates: the patch release right before each back-port.
        before.AddRange(gate.Points.Where(p => p.Patch > 0).Select(p => new PostfixVersion(p.Major, p.Minor, p.Patch - 1)));
        return before;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_JustBeforeThreshold_ReportsOldBehaviour(Boundary b)
    {
        var releases = BeforeReleases(b).ToList();
        Assert.NotEmpty(releases);
        foreach (var release in releases)
        {
            AssertCode(b, release, b.FiresBefore);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_AtThreshold_ReportsNewBehaviour(Boundary b)
    {
        foreach (var release in VersionGate.Parse(b.Gate).Points)
        {
            AssertCode(b, release, !b.FiresBefore);
        }
    }

    private static void AssertCode(Boundary b, PostfixVersion release, bool expected)
    {
        var diagnostics = Check.Validate(b.Yaml, release.ToString());
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.RuleFault);
        var found = diagnostics.Where(d => d.Code == b.Code && (b.Message is null || d.Message.Contains(b.Message, StringComparison.Ordinal))).ToList();
        Assert.True(expected == (found.Count > 0),
            $"{b} for Postfix {release}: expected {b.Code} to be {(expected ? "reported" : "absent")}; got:\n{Check.Describe(diagnostics)}");
        if (expected && b.Severity is { } severity)
        {
            Assert.All(found, d => Assert.Equal(severity, d.Severity));
        }
    }
}

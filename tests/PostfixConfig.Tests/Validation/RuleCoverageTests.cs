namespace PostfixConfig.Tests.Validation;

/// <summary>Every rule identifier of docs/reference/version-rules.md has test cases.</summary>
public class RuleCoverageTests
{
    /// <summary>The identifiers of version-rules.md (reference material of 2026-08), copied by hand.</summary>
    private static readonly string[] ReferenceRules =
    [
        "LEGACY_SMTPD_USE_ENFORCE", "LEGACY_SMTP_USE_ENFORCE", "LEVEL_NOT_BEFORE_2_3", "SMTPD_LEVEL_VALUES", "SMTP_LEVEL_VALUES",
        "SMTP_DEFAULT_LEVEL_3_11", "SMTPD_ENCRYPT_IMPLIES_AUTH_ONLY", "RFC3207_PUBLIC_MX_NO_MANDATORY_TLS", "SMTPD_REQ_CCERT_NEEDS_ENCRYPT",
        "SMTPD_TLS_NEEDS_CERT", "SMTPD_NO_SENDMAIL_BS", "SMTPD_TLS_RECEIVED_HEADER", "SMTPD_WRAPPERMODE", "SMTP_WRAPPERMODE_3_0",
        "DANE_NEEDS_2_11", "DANE_NEEDS_DNSSEC", "DNS_SUPPORT_VALUES", "DANE_INSECURE_MX_POLICY", "DANE_DIGESTS_KEEP_SHA256",
        "DANE_OBSOLETE_KNOBS", "DNSSEC_PROBE", "PROTOCOL_RANGE_SYNTAX_3_6", "PROTOCOL_NAMES_BY_VERSION", "PROTOCOL_EXCLUSION_GAPS",
        "PROTOCOL_DEFAULTS", "CIPHER_GRADE_VALUES", "CIPHERLIST_2_2_ONLY", "EXCLUDE_IS_NOT_CIPHERSTRING", "CHAIN_FILES_3_4",
        "DSA_OBSOLETE", "ECDSA_FILES_2_6", "EECDH_GRADE_OBSOLETE_3_6", "EECDH_AUTO_CURVES", "FFDHE_GROUPS_3_8", "DH1024_AUTO_3_7",
        "FPRINT_DIGEST_DEFAULT", "FPRINT_LEVEL_2_5", "RPK_3_9", "APPEND_DEFAULT_CA", "TRUST_SERVER_CCERTS_3_12",
        "POLICY_MAPS_VS_PER_SITE", "POLICY_ATTRIBUTES_BY_VERSION", "SNI_3_4", "CONNECTION_REUSE_3_4", "TLSPROXY_CLIENT_RENAME_3_7",
        "CNAME_OVERRIDES_DEPRECATED", "TLS_CONFIG_FILE", "FAST_SHUTDOWN_NAME", "SESSION_CACHE_LIMITS", "SESSION_TICKET_CIPHER",
        "TLSRPT_3_10", "STS_MX_PATTERNS", "REQUIRETLS_3_11", "TRACE_3_12", "LOGLEVEL_RANGE", "COMPAT_LEVEL_SYNTAX",
        "COMPAT_LEVEL_TLS_EFFECTS", "POSTCONF_WARNINGS_3_9",
    ];

    [Fact]
    public void ReferenceRules_EachHasBoundaryOrCaseTests()
    {
        var covered = RuleBoundaryTests.Boundaries.Select(b => b.Rule).Concat(RuleCaseTests.Cases.Select(c => c.Rule)).ToHashSet(StringComparer.Ordinal);
        var missing = ReferenceRules.Where(r => !covered.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "rules without tests: " + string.Join(", ", missing));
    }
}

namespace PostfixConfig.Diagnostics;

/// <content>
/// Codes of the version-aware rules: value syntax that is not a plain kind (<c>PFX20xx</c> from 2010),
/// rules across parameters (<c>PFX3xxx</c>), policy table attributes (<c>PFX4xxx</c> from 4007) and
/// validation faults (<c>PFX9xxx</c>).
/// </content>
public static partial class DiagnosticCodes
{
    /// <summary>A TLS protocol list holds an unknown protocol name or a malformed element.</summary>
    public const string InvalidProtocol = "PFX2010";

    /// <summary>A protocol name the target release does not know (<c>TLSv1.2</c> before 2.10, <c>TLSv1.3</c> before 3.0); the whole list becomes invalid.</summary>
    public const string ProtocolNotInRelease = "PFX2011";

    /// <summary>The <c>&gt;=VERSION</c> / <c>&lt;=VERSION</c> protocol syntax before 3.6, which makes the whole list invalid.</summary>
    public const string ProtocolBoundsNotInRelease = "PFX2012";

    /// <summary>A protocol setting that has no effect in the target release (<c>!TLSv1.3</c> before 3.4 and its back-ports).</summary>
    public const string ProtocolHasNoEffect = "PFX2013";

    /// <summary>Excluding a protocol in the middle of the range also disables every newer one, or nothing is left enabled.</summary>
    public const string ProtocolRangeGap = "PFX2014";

    /// <summary>A table reference is not of the form <c>type:name</c>, or a <c>socketmap:</c> is not <c>socketmap:inet:HOST:PORT:NAME</c> / <c>socketmap:unix:PATH:NAME</c>.</summary>
    public const string InvalidMapReference = "PFX2015";

    /// <summary>A table type Postfix does not know at all.</summary>
    public const string UnknownMapType = "PFX2016";

    /// <summary>A table type (or its <c>type:{...}</c> in-line form) that the target release does not have yet.</summary>
    public const string MapTypeNotInRelease = "PFX2017";

    /// <summary><c>compatibility_level</c> is not a level the target release can read (an integer before 3.6, <c>major.minor.patch</c> from 3.6; 3.3.18, 3.4.21 and 3.5.11 read <c>3.6</c> as 3).</summary>
    public const string InvalidCompatibilityLevel = "PFX2018";

    /// <summary>
    /// A value that must be a host name (or <c>hostname</c>/<c>nexthop</c>) is not one; for <c>myhostname</c>
    /// and <c>mydomain</c> every Postfix program would stop with "bad parameter value".
    /// </summary>
    public const string InvalidHostname = "PFX2019";

    /// <summary>A certificate or public-key fingerprint is not hex bytes in a form the target release reads.</summary>
    public const string InvalidFingerprint = "PFX2020";

    /// <summary>A cipher exclusion list uses OpenSSL cipher-string syntax (<c>!</c>, <c>:</c>) instead of names.</summary>
    public const string CipherExclusionSyntax = "PFX2021";

    /// <summary>A value the target release accepts but treats differently (<c>low</c>/<c>export</c> as <c>medium</c> from 3.8, DH <c>auto</c> before 3.7).</summary>
    public const string ValueTreatedDifferently = "PFX2022";

    /// <summary>A <c>$</c> expression form the target release cannot expand (<c>${a?{b}}</c> before 3.0, <c>&lt;level</c> before 3.6, functions before 3.11).</summary>
    public const string ExpansionNotInRelease = "PFX2023";

    /// <summary>A certificate name pattern of <c>verify</c>/<c>secure</c> (<c>*_cert_match</c>, policy <c>match=</c>) is neither a keyword nor a domain.</summary>
    public const string InvalidCertificateMatch = "PFX2024";

    /// <summary><c>tls_config_file</c> is not <c>default</c>, <c>none</c> or an absolute file name.</summary>
    public const string InvalidTlsConfigFile = "PFX2025";

    /// <summary>A legacy TLS switch and the security level that replaced it are both set; the message says which one wins.</summary>
    public const string LegacySwitchOverridden = "PFX3001";

    /// <summary>A legacy TLS switch is used alone; the message gives the equivalent security level.</summary>
    public const string LegacySwitchEquivalent = "PFX3002";

    /// <summary>DANE (<c>dane</c>, <c>dane-only</c>) without <c>smtp_dns_support_level = dnssec</c>: dane silently degrades to may, dane-only defers mail.</summary>
    public const string DaneWithoutDnssec = "PFX3003";

    /// <summary>DANE with DNS settings that disable it (no <c>dns</c> in <c>smtp_host_lookup</c>, ignored MX lookup errors, resolver search options).</summary>
    public const string DaneDnsSettings = "PFX3004";

    /// <summary>Mandatory TLS in main.cf applies to the public MX on port 25, which RFC 3207 forbids; use master.cf submission overrides.</summary>
    public const string MandatoryTlsOnPublicMx = "PFX3005";

    /// <summary><c>smtpd_tls_auth_only = yes</c> while the server offers no TLS, so SASL AUTH is never offered.</summary>
    public const string AuthOnlyWithoutTls = "PFX3006";

    /// <summary><c>smtpd_tls_req_ccert = yes</c> without mandatory TLS is ignored by the server.</summary>
    public const string ClientCertWithoutMandatoryTls = "PFX3007";

    /// <summary>Server TLS is enabled but no certificate is configured, so STARTTLS is not offered.</summary>
    public const string ServerTlsWithoutCertificate = "PFX3008";

    /// <summary>A client-only level (<c>fingerprint</c>, <c>verify</c>, <c>secure</c>) on a server, which uses <c>encrypt</c> instead.</summary>
    public const string ServerLevelActsAsEncrypt = "PFX3009";

    /// <summary><c>*_tls_chain_files</c> together with the legacy certificate or key parameters, which are then ignored.</summary>
    public const string ChainFilesOverrideLegacyFiles = "PFX3010";

    /// <summary>A certificate-verifying level (<c>verify</c>, <c>secure</c>) without any trust anchor in the configuration (an info: the installed main.cf may set one).</summary>
    public const string NoTrustAnchors = "PFX3011";

    /// <summary>Level <c>fingerprint</c> without a fingerprint to match; mail for those destinations is deferred.</summary>
    public const string FingerprintWithoutMatch = "PFX3012";

    /// <summary><c>smtp_tls_wrappermode = yes</c> with a level below <c>encrypt</c>; every server is skipped.</summary>
    public const string WrapperModeNeedsEncrypt = "PFX3013";

    /// <summary><c>smtpd_tls_wrappermode = yes</c> in main.cf makes every smtpd service, port 25 included, expect TLS at once.</summary>
    public const string ServerWrapperModeInMainCf = "PFX3014";

    /// <summary>A TLS session cache table type that cannot be a session cache (it must be writable and enumerable: btree, lmdb, ...).</summary>
    public const string UnsupportedSessionCacheType = "PFX3015";

    /// <summary>Two TLS session caches use the same table; tlsmgr refuses to start.</summary>
    public const string SessionCacheShared = "PFX3016";

    /// <summary>A session cache timeout above the limit (fatal from 2.11) or one that Postfix raises or that disables the cache.</summary>
    public const string SessionCacheTimeout = "PFX3017";

    /// <summary><c>tls_dane_digests</c> without sha256, which most TLSA records use.</summary>
    public const string DaneDigestsWithoutSha256 = "PFX3018";

    /// <summary>Fingerprints whose length does not fit the digest in effect, or a digest that silently changes with <c>compatibility_level</c>.</summary>
    public const string FingerprintDigestMismatch = "PFX3019";

    /// <summary>Anonymous server TLS (<c>smtpd_tls_cert_file = none</c>) while TLS 1.3 is enabled, which needs a certificate.</summary>
    public const string AnonymousServerTlsWithTls13 = "PFX3020";

    /// <summary>A private key parameter is set without its certificate, so it is never used.</summary>
    public const string KeyWithoutCertificate = "PFX3021";

    /// <summary><c>smtp_tls_per_site</c> is set together with <c>smtp_tls_policy_maps</c>, which makes Postfix ignore it.</summary>
    public const string PerSiteIgnored = "PFX3022";

    /// <summary>tlsproxy's 3.4-3.6 client parameter names in a release whose new defaults mishandle them.</summary>
    public const string TlsproxyOldNames = "PFX3023";

    /// <summary>TLSRPT is enabled without the settings it needs, or for LMTP, which does not support it.</summary>
    public const string TlsRptSettings = "PFX3024";

    /// <summary>A TLS default that depends on <c>compatibility_level</c>; the message says what applies and what to set.</summary>
    public const string DefaultDependsOnCompatibilityLevel = "PFX3025";

    /// <summary>A setting that has no effect because another one overrides or implies it.</summary>
    public const string SettingHasNoEffect = "PFX3026";

    /// <summary>Advice about deploying a setting (a master.cf service, a postmap option, an OpenSSL or build requirement); nothing is wrong.</summary>
    public const string DeploymentNote = "PFX3027";

    /// <summary>The target release's default protocol list still allows SSLv2 or SSLv3.</summary>
    public const string ProtocolDefaultAllowsSsl = "PFX3028";

    /// <summary>DSA certificate or key files: DSA is obsolete and excluded from the cipher lists of 3.8 and later.</summary>
    public const string DsaObsolete = "PFX3029";

    /// <summary>Raw public keys (3.9) together with fingerprint matching: only public-key fingerprints can match then.</summary>
    public const string RawPublicKeyFingerprints = "PFX3030";

    /// <summary>A policy attribute is not allowed at the entry's level (an error from 2.5, ignored with a warning before).</summary>
    public const string PolicyAttributeNotAtLevel = "PFX4007";

    /// <summary>A policy attribute the target release does not know yet.</summary>
    public const string PolicyAttributeNotInRelease = "PFX4008";

    /// <summary>Attributes on a level <c>none</c> entry, which Postfix ignores.</summary>
    public const string PolicyAttributesIgnored = "PFX4009";

    /// <summary>Policy plugin attributes without <c>policy_type</c>, which makes the entry invalid.</summary>
    public const string PolicyPluginWithoutType = "PFX4010";

    /// <summary>A validation rule failed internally (an error, so nothing is rendered); the other rules still ran. Please report it.</summary>
    public const string RuleFault = "PFX9003";
}

using System.Collections.Frozen;

namespace PostfixConfig.Catalog;

/// <summary>
/// The release thresholds of validation rules that are not a parameter's own history (which lives
/// in <c>Data/tls-parameters.txt</c>): protocol names and syntax, policy table attributes, table
/// types, expansion syntax, and behaviour changes. Every rule takes its versions from here, never
/// from a literal of its own.
/// </summary>
/// <remarks>
/// Each gate lists the first release of each line that has the behaviour (see <see cref="VersionGate"/>).
/// Sources: the Postfix source history (vdukhovni/postfix release tags), checked file by file;
/// the comment on each gate names where.
/// </remarks>
internal static class Thresholds
{
    /// <summary>TLS security levels, policy tables, mandatory cipher/protocol settings (smtp(8), smtpd(8)).</summary>
    public static readonly VersionGate SecurityLevels = VersionGate.Parse("2.3");

    /// <summary>The <c>fingerprint</c> level and policy <c>match=</c> with fingerprints (tls_level.c).</summary>
    public static readonly VersionGate FingerprintLevel = VersionGate.Parse("2.5");

    /// <summary>The <c>dane</c> and <c>dane-only</c> levels (tls_level.c).</summary>
    public static readonly VersionGate Dane = VersionGate.Parse("2.11");

    /// <summary><c>smtpd_tls_cert_file = none</c> (anonymous server TLS) is recognised (smtpd.c).</summary>
    public static readonly VersionGate ServerCertNone = VersionGate.Parse("2.3");

    /// <summary>The protocol names <c>TLSv1.1</c> and <c>TLSv1.2</c> (tls_misc.c protocol table; with OpenSSL 1.0.1 or later).</summary>
    public static readonly VersionGate ProtocolTls12Names = VersionGate.Parse("2.6.15,2.7.9,2.8.10,2.9.2,2.10");

    /// <summary>The protocol name <c>TLSv1.3</c> is accepted (tls_misc.c protocol table).</summary>
    public static readonly VersionGate ProtocolTls13Name = VersionGate.Parse("3.0");

    /// <summary><c>TLSv1.3</c> in a protocol list really controls TLS 1.3 (tls.h, with OpenSSL 1.1.1).</summary>
    public static readonly VersionGate ProtocolTls13Effective = VersionGate.Parse("3.0.14,3.1.10,3.2.7,3.3.2,3.4");

    /// <summary><c>&gt;=VERSION</c> and <c>&lt;=VERSION</c> protocol bounds (tls_misc.c tls_proto_mask_lims).</summary>
    public static readonly VersionGate ProtocolBounds = VersionGate.Parse("3.6");

    /// <summary>Policy attributes at level <c>may</c> and unknown attributes make the entry invalid (smtp_session.c 2.5).</summary>
    public static readonly VersionGate PolicyStrictAttributes = VersionGate.Parse("2.5");

    /// <summary>Policy <c>ciphers=</c>/<c>protocols=</c> are honoured at level <c>may</c>; policy <c>exclude=</c> exists (smtp_session.c 2.6).</summary>
    public static readonly VersionGate PolicyOpportunisticAttributes = VersionGate.Parse("2.6");

    /// <summary>Policy <c>tafile=</c> (smtp_tls_policy.c 2.11).</summary>
    public static readonly VersionGate PolicyTaFile = VersionGate.Parse("2.11");

    /// <summary>Policy <c>servername=</c> and <c>connection_reuse=</c> (smtp_tls_policy.c 3.4).</summary>
    public static readonly VersionGate PolicyServerName = VersionGate.Parse("3.4");

    /// <summary>Policy <c>enable_rpk=</c> (smtp_tls_policy.c 3.9).</summary>
    public static readonly VersionGate PolicyEnableRpk = VersionGate.Parse("3.9");

    /// <summary>Policy plugin attributes and <c>{ name = value }</c> tokens (smtp_tls_policy.c 3.10).</summary>
    public static readonly VersionGate PolicyPluginAttributes = VersionGate.Parse("3.10");

    /// <summary>The typed policy table attributes and the release that brought each (smtp_tls_policy.c); the schema and the rules read this list.</summary>
    public static readonly (string Name, VersionGate Since)[] PolicyAttributes =
    [
        ("protocols", SecurityLevels),
        ("ciphers", SecurityLevels),
        ("match", SecurityLevels),
        ("exclude", PolicyOpportunisticAttributes),
        ("tafile", PolicyTaFile),
        ("servername", PolicyServerName),
        ("connection_reuse", PolicyServerName),
        ("enable_rpk", PolicyEnableRpk),
    ];

    /// <summary>Fingerprints written as plain hex without colons (tls_fprint.c 3.6).</summary>
    public static readonly VersionGate ColonFreeFingerprints = VersionGate.Parse("3.6");

    /// <summary>
    /// <c>compatibility_level</c> takes <c>major.minor.patch</c> (compat_level.c 3.6); before, an integer. The
    /// patch releases 3.3.18, 3.4.21 and 3.5.11 (mail_params.c, HISTORY 20210612: "Support for Postfix 3.6
    /// compatibility_level syntax, to avoid fatal runtime errors when rolling back") read such a value as
    /// its major number; seen live on 3.4.29 by the release suite.
    /// </summary>
    public static readonly VersionGate DottedCompatibilityLevel = VersionGate.Parse("3.3.18,3.4.21,3.5.11,3.6");

    /// <summary>Fingerprint digests default to sha256 when <c>compatibility_level</c> is 3.6 or later.</summary>
    public static readonly VersionGate FingerprintDigestByCompatibilityLevel = VersionGate.Parse("3.6");

    /// <summary>The compatibility level from which the fingerprint digest default is sha256.</summary>
    public static readonly PostfixVersion Sha256FingerprintCompatibilityLevel = new(3, 6);

    /// <summary><c>smtp_tls_security_level</c> defaults to <c>may</c> when <c>compatibility_level</c> is 3.11 or later.</summary>
    public static readonly VersionGate ClientLevelByCompatibilityLevel = VersionGate.Parse("3.11");

    /// <summary>The compatibility level from which the SMTP client defaults to <c>may</c>.</summary>
    public static readonly PostfixVersion OpportunisticClientCompatibilityLevel = new(3, 11);

    /// <summary>Cipher grades <c>low</c> and <c>export</c> are treated as <c>medium</c> (tls_misc.c 3.8).</summary>
    public static readonly VersionGate LowExportAsMedium = VersionGate.Parse("3.8");

    /// <summary>The built-in cipher lists exclude DSA authentication (aDSS) (tls_high/medium_cipherlist defaults of 3.8).</summary>
    public static readonly VersionGate CipherListsWithoutDsa = VersionGate.Parse("3.8");

    /// <summary><c>smtpd_tls_dh1024_param_file = auto</c> lets OpenSSL choose (tls_dh.c 3.7).</summary>
    public static readonly VersionGate DhParamAuto = VersionGate.Parse("3.7");

    /// <summary>
    /// The OpenSSL release from which a client at the default security level (1) refuses the legacy
    /// MD5-SHA1/SHA1 signatures of TLS 1.0 and 1.1 ("legacy sigalg disallowed"; seen live in the release suite).
    /// </summary>
    public static readonly OpenSslVersion OpenSslRefusesLegacySignatures = new(3, 0);

    /// <summary>Session cache timeouts are clamped to at least 2 minutes (tls_scache 2.11).</summary>
    public static readonly VersionGate SessionCacheMinimumTimeout = VersionGate.Parse("2.11");

    /// <summary>An empty <c>tls_eecdh_auto_curves</c> and <c>tls_ffdhe_auto_groups</c> leave group choice to OpenSSL.</summary>
    public static readonly VersionGate EmptyGroupsUseOpenSsl = VersionGate.Parse("3.6.17,3.7.13,3.8.8,3.9.2,3.10");

    /// <summary>TLS log levels are read as a list of names (<c>0</c>-<c>9</c>, <c>routine</c>, <c>debug</c>, ...), no longer as an integer (tls_misc.c 2.9).</summary>
    public static readonly VersionGate LoglevelNames = VersionGate.Parse("2.9");

    /// <summary>The ",trace" suffix on TLS log levels (3.12 snapshot).</summary>
    public static readonly VersionGate LoglevelTrace = VersionGate.Parse("3.12");

    /// <summary><c>${name?{text}}</c>, <c>${name?{a}:{b}}</c> and <c>${{a} == {b} ? {x} : {y}}</c> expressions (mac_expand.c 3.0).</summary>
    public static readonly VersionGate ExpansionExpressions = VersionGate.Parse("3.0");

    /// <summary>The <c>&lt;level</c> family of compatibility-level comparisons in expressions (mac_expand.c 3.6).</summary>
    public static readonly VersionGate ExpansionLevelComparison = VersionGate.Parse("3.6");

    /// <summary>Built-in functions in expansions, <c>${name{text}}</c> (mac_expand.c 3.11).</summary>
    public static readonly VersionGate ExpansionFunctions = VersionGate.Parse("3.11");

    /// <summary>
    /// <c>tlsproxy_client_security_level</c>/<c>tlsproxy_client_policy_maps</c> defaults that honour the
    /// 3.4-3.6 names correctly; earlier 3.7+ patch releases yield an empty value when an old name is set.
    /// </summary>
    public static readonly VersionGate TlsproxyOldNamesFixed = VersionGate.Parse("3.7.16,3.8.11,3.9.5,3.10.4,3.11");

    /// <summary>Releases whose code read <c>tls_fast_shutdown</c> instead of <c>tls_fast_shutdown_enable</c>.</summary>
    public static readonly FrozenSet<PostfixVersion> FastShutdownOldName =
        new[] { "3.1.13", "3.2.10", "3.3.5", "3.4.6" }.Select(PostfixVersion.Parse).ToFrozenSet();

    /// <summary>The most a session cache timeout can be (100 days), in seconds.</summary>
    public const long SessionCacheMaximumSeconds = 100L * 24 * 3600;

    /// <summary>The least a non-zero session cache timeout can be from 2.11 (2 minutes), in seconds.</summary>
    public const long SessionCacheMinimumSeconds = 120;

    /// <summary>
    /// Lookup table types and the first release that knows each (util/dict_open.c and
    /// global/mail_dict.c of each release). Whether a given build has a type (lmdb, cdb, pcre, ldap, ...)
    /// depends on the installed packages; <c>postconf -m</c> lists them.
    /// </summary>
    public static readonly FrozenDictionary<string, VersionGate> MapTypes = new Dictionary<string, VersionGate>(StringComparer.Ordinal)
    {
        ["btree"] = VersionGate.Parse("2.2"),
        ["cdb"] = VersionGate.Parse("2.2"),
        ["cidr"] = VersionGate.Parse("2.2"),
        ["dbm"] = VersionGate.Parse("2.2"),
        ["environ"] = VersionGate.Parse("2.2"),
        ["hash"] = VersionGate.Parse("2.2"),
        ["ldap"] = VersionGate.Parse("2.2"),
        ["mysql"] = VersionGate.Parse("2.2"),
        ["netinfo"] = VersionGate.Parse("2.2"),
        ["nis"] = VersionGate.Parse("2.2"),
        ["nisplus"] = VersionGate.Parse("2.2"),
        ["pcre"] = VersionGate.Parse("2.2"),
        ["pgsql"] = VersionGate.Parse("2.2"),
        ["proxy"] = VersionGate.Parse("2.2"),
        ["regexp"] = VersionGate.Parse("2.2"),
        ["sdbm"] = VersionGate.Parse("2.2"),
        ["static"] = VersionGate.Parse("2.2"),
        ["tcp"] = VersionGate.Parse("2.2"),
        ["unix"] = VersionGate.Parse("2.2"),
        ["internal"] = VersionGate.Parse("2.7"),
        ["sqlite"] = VersionGate.Parse("2.8"),
        ["texthash"] = VersionGate.Parse("2.8"),
        ["fail"] = VersionGate.Parse("2.9"),
        ["memcache"] = VersionGate.Parse("2.9"),
        ["socketmap"] = VersionGate.Parse("2.10"),
        ["lmdb"] = VersionGate.Parse("2.11"),
        ["inline"] = VersionGate.Parse("3.0"),
        ["pipemap"] = VersionGate.Parse("3.0"),
        ["randmap"] = VersionGate.Parse("3.0"),
        ["unionmap"] = VersionGate.Parse("3.0"),
        ["mongodb"] = VersionGate.Parse("3.9"),
        ["debug"] = VersionGate.Parse("3.11"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Table types that take only the in-line form <c>type:{ ... }</c>: for <c>type:/path</c> Postfix stops with
    /// "bad syntax ... need type:{...}" (dict_inline.c, dict_pipe.c, dict_random.c, dict_union.c).
    /// </summary>
    public static readonly FrozenSet<string> InlineOnlyMapTypes = new[] { "inline", "pipemap", "randmap", "unionmap" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Table types that take <c>type:{ ... }</c> in-line text, and the release from which they do.</summary>
    public static readonly FrozenDictionary<string, VersionGate> InlineMapForms = new Dictionary<string, VersionGate>(StringComparer.Ordinal)
    {
        ["inline"] = VersionGate.Parse("3.0"),
        ["static"] = VersionGate.Parse("3.0"),
        ["pipemap"] = VersionGate.Parse("3.0"),
        ["unionmap"] = VersionGate.Parse("3.0"),
        ["randmap"] = VersionGate.Parse("3.0"),
        ["cidr"] = VersionGate.Parse("3.7"),
        ["pcre"] = VersionGate.Parse("3.7"),
        ["regexp"] = VersionGate.Parse("3.7"),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

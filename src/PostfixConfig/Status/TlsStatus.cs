using PostfixConfig.Diagnostics;

namespace PostfixConfig.Status;

/// <summary>
/// The plain answer to "is TLS on?" for an existing main.cf and the master.cf beside it, read as Postfix
/// would apply them: one <see cref="InboundListener"/> per smtpd or postscreen listener of master.cf, and
/// the SMTP client's <see cref="Outbound"/> settings. Made by <see cref="PostfixTls.Status(string, StatusOptions?)"/>;
/// <c>postfix-config status</c> prints it and <c>lint</c> says the same in info lines. This type is immutable.
/// </summary>
public sealed record TlsStatus
{
    /// <summary>The release the files were read for (resolved from <see cref="StatusOptions.PostfixVersion"/>).</summary>
    public required PostfixVersion Release { get; init; }

    /// <summary>The main.cf read.</summary>
    public string? MainCfPath { get; init; }

    /// <summary>
    /// The master.cf read, or <see langword="null"/> when there is none beside main.cf: then
    /// <see cref="Inbound"/> holds the one listener every Postfix package ships (<c>smtp inet ... smtpd</c>).
    /// </summary>
    public string? MasterCfPath { get; init; }

    /// <summary>The smtpd and postscreen listeners, in master.cf order.</summary>
    public ValueList<InboundListener> Inbound { get; init; }

    /// <summary>The SMTP client (mail this host sends).</summary>
    public required OutboundStatus Outbound { get; init; }

    /// <summary>Problems met while reading the files (a main.cf that Postfix would refuse, a master.cf entry it cannot read).</summary>
    public DiagnosticList Diagnostics { get; init; } = DiagnosticList.Empty;

    /// <summary>The status as text: a heading, one line per listener, one for the SMTP client.</summary>
    public string ToText() => TlsStatusWriter.Text(this);

    /// <summary>The status as JSON, in the shape of <c>schema/tls-status.schema.json</c>: <c>{"inbound": [{"service", "port", "tls", ...}], "outbound": {"level", ...}}</c>.</summary>
    public string ToJson() => TlsStatusWriter.Json(this);
}

/// <summary>What a listener does about TLS.</summary>
public enum InboundTls
{
    /// <summary>No TLS: the level is <c>none</c> (or not set), or there is no certificate, so no STARTTLS is offered.</summary>
    Off,

    /// <summary>STARTTLS is offered; clients may send without it (level <c>may</c> with a certificate).</summary>
    Offered,

    /// <summary>STARTTLS is required before mail is accepted (level <c>encrypt</c>).</summary>
    Required,

    /// <summary>TLS from the first byte (<c>smtpd_tls_wrappermode = yes</c>, port 465).</summary>
    Implicit,
}

/// <summary>Where an effective setting comes from.</summary>
public enum SettingOrigin
{
    /// <summary>Postfix's default for the release (nothing sets it).</summary>
    Default,

    /// <summary>A line of main.cf.</summary>
    MainCf,

    /// <summary>An <c>-o</c> option of the master.cf entry.</summary>
    MasterCf,
}

/// <summary>An effective setting: its value after <c>$name</c> expansion, and where it was set.</summary>
/// <param name="Parameter">The parameter that decides (<c>smtpd_tls_security_level</c>, or the legacy <c>smtpd_use_tls</c>).</param>
/// <param name="Value">The effective value.</param>
/// <param name="Origin">Where it was set.</param>
/// <param name="Span">The position of the setting (main.cf line, or master.cf line and column of the <c>-o</c> value), or <see langword="null"/> for a default.</param>
public sealed record SettingSource(string Parameter, string Value, SettingOrigin Origin, SourceSpan? Span);

/// <summary>What kind of certificate a listener would serve.</summary>
public enum CertificateKind
{
    /// <summary>No certificate is configured.</summary>
    Missing,

    /// <summary>Debian's <c>ssl-cert-snakeoil</c> pair, made at install time for the host name: self-signed.</summary>
    Snakeoil,

    /// <summary>A self-signed certificate (known only when the files were read, <see cref="StatusOptions.CheckFiles"/>).</summary>
    SelfSigned,

    /// <summary>Certificate files (their issuer and expiry when the files were read).</summary>
    Files,
}

/// <summary>The certificate a listener would serve.</summary>
public sealed record ServedCertificate
{
    /// <summary>What kind it is.</summary>
    public CertificateKind Kind { get; init; }

    /// <summary>The files named by <c>smtpd_tls_chain_files</c> or <c>smtpd_tls_cert_file</c> (and its ECDSA/DSA siblings), expanded.</summary>
    public ValueList<string> Files { get; init; }

    /// <summary>The issuer of the first certificate, when the files were read.</summary>
    public string? Issuer { get; init; }

    /// <summary>When the first certificate expires, when the files were read.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Why the files could not be read (with <see cref="StatusOptions.CheckFiles"/>), or <see langword="null"/>.</summary>
    public string? Problem { get; init; }
}

/// <summary>One smtpd or postscreen listener of master.cf and what it does about TLS.</summary>
public sealed record InboundListener
{
    /// <summary>The service field as master.cf names it: <c>smtp</c>, <c>submission</c>, <c>127.0.0.1:2525</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The type field: <c>inet</c>, or <c>unix</c> for a unix-domain listener.</summary>
    public required string Type { get; init; }

    /// <summary>The program: <c>smtpd</c> or <c>postscreen</c> (whose sessions the <c>smtpd pass</c> entry takes over).</summary>
    public required string Program { get; init; }

    /// <summary>The TCP port (25 for <c>smtp</c>, names resolved through <c>/etc/services</c>), or <see langword="null"/> for a unix-domain listener or a name that does not resolve.</summary>
    public int? Port { get; init; }

    /// <summary>The line of master.cf where the entry starts (0 when master.cf was not found).</summary>
    public int Line { get; init; }

    /// <summary>What the listener does about TLS.</summary>
    public InboundTls Tls { get; init; }

    /// <summary>The effective security level and where it was set.</summary>
    public required SettingSource Level { get; init; }

    /// <summary><c>smtpd_tls_wrappermode = yes</c>, where it was set, or <see langword="null"/>.</summary>
    public SettingSource? WrapperMode { get; init; }

    /// <summary>Why <see cref="Tls"/> is what it is, in one sentence.</summary>
    public required string Reason { get; init; }

    /// <summary>The certificate it would serve.</summary>
    public required ServedCertificate Certificate { get; init; }

    /// <summary>The lowest protocol the listener accepts (<c>TLSv1.2</c>), or <see langword="null"/> when TLS is off.</summary>
    public string? ProtocolFloor { get; init; }
}

/// <summary>The SMTP client's TLS policy table: its map type, name and number of entries.</summary>
/// <param name="Type">The map type (<c>hash</c>, <c>lmdb</c>, <c>texthash</c>, ...).</param>
/// <param name="Name">The map name (usually the source file).</param>
/// <param name="Entries">The number of entries in the source file, or <see langword="null"/> when it could not be read.</param>
public sealed record PolicyTableStatus(string Type, string Name, int? Entries);

/// <summary>What the SMTP client does about TLS.</summary>
public sealed record OutboundStatus
{
    /// <summary>The effective <c>smtp_tls_security_level</c> in Postfix's own words (<c>none</c>, <c>may</c>, <c>encrypt</c>, <c>dane</c>, <c>dane-only</c>, <c>fingerprint</c>, <c>verify</c>, <c>secure</c>), legacy switches resolved.</summary>
    public required SettingSource Level { get; init; }

    /// <summary>Why the level is what it is, in one sentence.</summary>
    public required string Reason { get; init; }

    /// <summary>Whether the level or the policy table asks for DANE.</summary>
    public bool DaneUsed { get; init; }

    /// <summary>Whether DANE works as configured: <c>smtp_dns_support_level = dnssec</c> (otherwise <c>dane</c> acts as <c>may</c>).</summary>
    public bool DaneComplete { get; init; }

    /// <summary>The effective <c>smtp_dns_support_level</c> (empty: Postfix's default, DNS without DNSSEC).</summary>
    public required string DnsSupportLevel { get; init; }

    /// <summary>The policy table (<c>smtp_tls_policy_maps</c>), or <see langword="null"/> when there is none.</summary>
    public PolicyTableStatus? PolicyTable { get; init; }

    /// <summary>The session cache (<c>smtp_tls_session_cache_database</c>), or <see langword="null"/> when sessions are not cached.</summary>
    public string? SessionCache { get; init; }

    /// <summary>The lowest protocol the client offers at this level, or <see langword="null"/> when TLS is off.</summary>
    public string? ProtocolFloor { get; init; }

    /// <summary>
    /// The answer of the host's resolver to Postfix's own <c>dnssec_probe</c> (with
    /// <see cref="StatusOptions.CheckDns"/>), or <see langword="null"/> when DNS was not asked. When it does not
    /// validate (<see cref="Dns.DnssecCheck.Validates"/> false), <c>dane</c> silently works as <c>may</c> and
    /// <c>dane-only</c> defers all mail.
    /// </summary>
    public Dns.DnssecCheck? DnssecValidation { get; init; }
}

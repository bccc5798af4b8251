using PostfixConfig.Certificates;
using PostfixConfig.Probe;

namespace PostfixConfig.Dns;

/// <summary>The DNSSEC status of a DNS answer, as Postfix trusts its resolver.</summary>
public enum DnssecStatus
{
    /// <summary>The resolver validated the answer (the AD bit is set): Postfix uses it for DANE.</summary>
    Secure,

    /// <summary>An answer without the AD bit (an unsigned zone, or a resolver that does not validate): Postfix does not use it for DANE.</summary>
    Insecure,

    /// <summary>The resolver answered SERVFAIL and answers the same query with checking disabled (CD): DNSSEC validation failed, and Postfix defers the mail.</summary>
    Bogus,
}

/// <summary>Which DNS resolver to ask, and how long to wait.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record DnsResolverOptions
{
    /// <summary>The resolvers of <c>/etc/resolv.conf</c>, 5 seconds per lookup.</summary>
    public static DnsResolverOptions Default { get; } = new();

    /// <summary>
    /// A resolver as <c>ADDR</c>, <c>ADDR:PORT</c> or <c>[IPV6]:PORT</c>; <see langword="null"/> for the
    /// <c>nameserver</c> lines of <see cref="ResolvConf"/>, which is what Postfix uses.
    /// </summary>
    public string? Resolver { get; init; }

    /// <summary>The resolv.conf whose <c>nameserver</c> lines are used when <see cref="Resolver"/> is null (default <c>/etc/resolv.conf</c>; a chrooted Postfix reads <c>$queue_directory/etc/resolv.conf</c>).</summary>
    public string ResolvConf { get; init; } = "/etc/resolv.conf";

    /// <summary>How long one lookup may take in all (the name servers share it, tried in order; default 5 seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>What <see cref="PostfixTls.CheckDnssec(DnssecCheckOptions, CancellationToken)"/> asks.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record DnssecCheckOptions
{
    /// <summary>Postfix's default probe against the resolvers of <c>/etc/resolv.conf</c>.</summary>
    public static DnssecCheckOptions Default { get; } = new();

    /// <summary>The probe as Postfix's <c>dnssec_probe</c> parameter writes it, <c>qtype:qname</c> (default <c>ns:.</c>, the root's NS records).</summary>
    public string Probe { get; init; } = "ns:.";

    /// <summary>The resolver and the timeout.</summary>
    public DnsResolverOptions Dns { get; init; } = DnsResolverOptions.Default;
}

/// <summary>
/// Whether DNSSEC validation is available to Postfix through the resolver: the answer to Postfix's
/// own <c>dnssec_probe</c> query. Without it, <c>smtp_tls_security_level = dane</c> silently acts as
/// <c>may</c> and <c>dane-only</c> defers all mail.
/// </summary>
/// <param name="Validates">The reply had the AD bit: the resolver validates, and outbound DANE works.</param>
/// <param name="Answered">The resolver answered at all (false: no reply within the timeout, or refused connections).</param>
/// <param name="Probe">The probe sent, <c>qtype:qname</c>.</param>
/// <param name="Resolver">The resolver asked, for messages (<c>127.0.0.1 (/etc/resolv.conf)</c>).</param>
/// <param name="Detail">A sentence in Postfix's words: <c>dnssec_probe 'ns:.' received a response that is not DNSSEC validated</c>, ...</param>
public sealed record DnssecCheck(bool Validates, bool Answered, string Probe, string Resolver, string Detail);

/// <summary>What <see cref="PostfixTls.ProbeMx(MxProbeOptions, CancellationToken)"/> looks up and probes.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record MxProbeOptions
{
    /// <summary>Creates options for the mail domain <paramref name="domain"/> (or, with <see cref="LookupMx"/> false, the MX host itself).</summary>
    public MxProbeOptions(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Domain = domain;
    }

    /// <summary>The mail domain whose MX records are looked up, or the MX host when <see cref="LookupMx"/> is false.</summary>
    public string Domain { get; init; }

    /// <summary>Look up the MX records of <see cref="Domain"/> (default); false to take <see cref="Domain"/> as the one MX host.</summary>
    public bool LookupMx { get; init; } = true;

    /// <summary>The TCP port (25; TLSA records are looked up at <c>_PORT._tcp.HOST</c>).</summary>
    public int Port { get; init; } = 25;

    /// <summary>The resolver and the timeout of each lookup.</summary>
    public DnsResolverOptions Dns { get; init; } = DnsResolverOptions.Default;

    /// <summary>How long to wait for each connection, reply and TLS handshake (default 10 seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The name the probe gives in EHLO; <see langword="null"/> for this machine's host name.</summary>
    public string? HeloName { get; init; }

    /// <summary>The clock for expiry and validity (tests pass a fixed one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>What <see cref="PostfixTls.ProbeMx(MxProbeOptions, CancellationToken)"/> found for one domain.</summary>
/// <remarks>This type is immutable.</remarks>
public sealed record MxProbeReport
{
    /// <summary>The domain (or, without an MX lookup, the host) as given.</summary>
    public required string Domain { get; init; }

    /// <summary>The DNSSEC status of the MX lookup; <see langword="null"/> when the host was given as the MX.</summary>
    public DnssecStatus? Dnssec { get; init; }

    /// <summary>The resolver asked, for messages.</summary>
    public required string Resolver { get; init; }

    /// <summary>The TCP port probed and looked up (<c>_PORT._tcp.HOST</c>).</summary>
    public int Port { get; init; } = 25;

    /// <summary>Each MX host, by preference (then name).</summary>
    public required IReadOnlyList<MxHostReport> Hosts { get; init; }

    /// <summary>Whether every MX host would receive mail over TLS as DANE intends (<see cref="DaneVerdict.Authenticated"/> or <see cref="DaneVerdict.EncryptOnly"/>).</summary>
    public bool AllReceiveWithTls => Hosts.Count > 0 && Hosts.All(h => h.Dane.Verdict is DaneVerdict.Authenticated or DaneVerdict.EncryptOnly);
}

/// <summary>One MX host: its lookups, the probe of its first address, and what Postfix at level <c>dane</c> would do.</summary>
/// <remarks>This type is immutable.</remarks>
public sealed record MxHostReport
{
    /// <summary>The MX host name.</summary>
    public required string Host { get; init; }

    /// <summary>The MX preference, or <see langword="null"/> when the host was given as the MX.</summary>
    public int? Preference { get; init; }

    /// <summary>The address probed (the first A record, else the first AAAA record), or <see langword="null"/> when the lookup failed.</summary>
    public string? Address { get; init; }

    /// <summary>The DNSSEC status the verdict rests on: bogus when a lookup is bogus, secure when the address and TLSA lookups are secure, else insecure; <see langword="null"/> when a lookup failed.</summary>
    public DnssecStatus? Dnssec { get; init; }

    /// <summary>The DNSSEC status of the address lookup, or <see langword="null"/> when it was not made or failed.</summary>
    public DnssecStatus? AddressDnssec { get; init; }

    /// <summary>The DNSSEC status of the TLSA lookup, or <see langword="null"/> when Postfix would not look them up (an insecure address) or it failed.</summary>
    public DnssecStatus? TlsaDnssec { get; init; }

    /// <summary>The TLSA records found (validated or not; only validated ones count).</summary>
    public IReadOnlyList<TlsaAssociation> Tlsa { get; init; } = [];

    /// <summary>What Postfix at level <c>dane</c> would do: the verdict and, with validated TLSA records, what each matched.</summary>
    public required DaneResult Dane { get; init; }

    /// <summary>Whether Postfix would deliver to this host at all (with or without TLS).</summary>
    public required bool WouldDeliver { get; init; }

    /// <summary>The SMTP session, or <see langword="null"/> when none was made (a DNS failure) or it failed (see <see cref="Error"/>).</summary>
    public ProbeReport? Probe { get; init; }

    /// <summary>Why there is no session (a failed lookup or probe), or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The findings of the probe (certificate, chain, TLSA matches) and of the lookups.</summary>
    public Diagnostics.DiagnosticList Diagnostics { get; init; } = PostfixConfig.Diagnostics.DiagnosticList.Empty;
}

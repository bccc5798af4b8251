using PostfixConfig.Dns;

namespace PostfixConfig;

/// <content>
/// DNS with DNSSEC status: what Postfix's SMTP client at level <c>dane</c> would do for a domain,
/// whether the host's resolver validates (Postfix's <c>dnssec_probe</c>), and the published TLSA
/// records against what should be published.
/// </content>
public static partial class PostfixTls
{
    /// <summary>
    /// Looks up the MX records of <see cref="MxProbeOptions.Domain"/> (or takes it as the MX host), then
    /// for each MX host its address and <c>_25._tcp.HOST</c> TLSA records, each with its DNSSEC status,
    /// probes the host, and says what Postfix with <c>smtp_tls_security_level = dane</c> and
    /// <c>smtp_dns_support_level = dnssec</c> would do (what <c>posttls-finger -l dane</c> shows).
    /// </summary>
    /// <remarks>
    /// Lookups go to the resolver of <see cref="DnsResolverOptions"/> with the DO bit; an answer with the
    /// AD bit is secure, one without insecure, a SERVFAIL that a query with CD (checking disabled)
    /// answers is bogus. Errors (no value): the domain is not a name, the resolver does not answer
    /// or fails the MX lookup, the domain has no MX record (or a null MX). A failed lookup or probe
    /// of one MX host is that host's verdict, not an error.
    /// </remarks>
    /// <param name="options">The domain, the resolver and the timeouts.</param>
    /// <param name="cancellation">Stops early.</param>
    public static async Task<Result<MxProbeReport>> ProbeMxAsync(MxProbeOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await MxDaneProber.RunAsync(options, cancellation).ConfigureAwait(false);
    }

    /// <summary>The synchronous form of <see cref="ProbeMxAsync(MxProbeOptions, CancellationToken)"/>.</summary>
    /// <param name="options">The domain, the resolver and the timeouts.</param>
    /// <param name="cancellation">Stops early.</param>
    public static Result<MxProbeReport> ProbeMx(MxProbeOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => MxDaneProber.RunAsync(options, cancellation), cancellation).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Is outbound DANE effective on this host? Sends Postfix's own DNSSEC probe (the
    /// <c>dnssec_probe</c> parameter, <c>qtype:qname</c>, default <c>ns:.</c>) to the host's resolver with
    /// the DO bit, and reports whether the reply is DNSSEC validated (the AD bit), exactly the test
    /// Postfix makes before it logs "DNSSEC validation may be unavailable". Without validation,
    /// <c>dane</c> silently works as <c>may</c> and <c>dane-only</c> defers all mail.
    /// </summary>
    /// <remarks>
    /// Errors (no value) only for a malformed probe or resolver address. A resolver that does not
    /// answer gives a value with <see cref="DnssecCheck.Answered"/> false (Postfix: "received no response").
    /// </remarks>
    /// <param name="options">The probe, the resolver and the timeout (<see cref="DnssecCheckOptions.Default"/>: <c>ns:.</c> to <c>/etc/resolv.conf</c>).</param>
    /// <param name="cancellation">Stops early.</param>
    public static Result<DnssecCheck> CheckDnssec(DnssecCheckOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => DnssecProbe.RunAsync(options, cancellation), cancellation).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The <c>3 1 M</c> TLSA association of a bare key (the next key of a rollover, published before it
    /// is used): the digest of its SubjectPublicKeyInfo. The file holds a private key (PKCS#8,
    /// traditional RSA or EC) or a public key (SubjectPublicKeyInfo, PKCS#1 RSA), PEM or DER; RSA and ECDSA.
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <param name="matching">The matching type (default SHA-256).</param>
    /// <exception cref="IOException">The file does not exist or cannot be read.</exception>
    public static Result<Certificates.TlsaAssociation> TlsaKeyFile(string path, Certificates.TlsaMatchingType matching = Certificates.TlsaMatchingType.Sha256)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Certificates.KeyTlsa.FromFile(path, matching);
    }

    /// <summary>
    /// Compares what should be published for a chain file (3 1 1 of its key, 3 1 1 of
    /// <see cref="TlsaDnsOptions.NextKey"/>, 2 1 1 of each issuing intermediate) with the TLSA records DNS
    /// holds at <c>_PORT._tcp.HOST</c>, looked up with DNSSEC status: what to add, what is stale, whether
    /// the current chain is authenticated, and whether renewing now would break delivery by DANE clients.
    /// </summary>
    /// <remarks>Errors (no value): the chain or key file cannot be read, the resolver is not an address or does not answer.</remarks>
    /// <param name="chainPath">The served chain, leaf first (for Let's Encrypt: fullchain.pem).</param>
    /// <param name="options">The host, the next key and the resolver.</param>
    /// <param name="cancellation">Stops early.</param>
    /// <exception cref="IOException">The chain file does not exist or cannot be read.</exception>
    public static Result<TlsaDnsReport> CheckTlsaDns(string chainPath, TlsaDnsOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(chainPath);
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => TlsaPublication.RunAsync(chainPath, options, cancellation), cancellation).GetAwaiter().GetResult();
    }
}

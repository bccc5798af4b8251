using PostfixConfig.Certificates;

namespace PostfixConfig.Probe;

/// <summary>What one TLSA record does with the served chain (RFC 7671, RFC 7672).</summary>
public enum TlsaOutcome
{
    /// <summary>The record matches and authenticates the server: a DANE-EE record the server's own certificate, or a DANE-TA record an issuer whose chain down to the server certificate is valid and names the server.</summary>
    Authenticates,

    /// <summary>The record matches a served certificate but does not authenticate the server (see the detail: position in the chain, names, expiry).</summary>
    MatchRejected,

    /// <summary>The record matches no served certificate.</summary>
    NoMatch,

    /// <summary>Usage 0 (PKIX-TA) or 1 (PKIX-EE): not used for SMTP (RFC 7672, section 3.1.3); DANE clients ignore the record.</summary>
    NotUsedForSmtp,

    /// <summary>An unknown usage, selector or matching type, or a digest of the wrong length: DANE clients ignore the record.</summary>
    Unusable,
}

/// <summary>What a DANE client would do with the TLSA records and the served chain.</summary>
public enum DaneVerdict
{
    /// <summary>A usable record authenticates the server: the client delivers.</summary>
    Authenticated,

    /// <summary>No record is usable: the client still requires TLS but does not authenticate (Postfix's <c>encrypt</c>), and delivers over TLS.</summary>
    EncryptOnly,

    /// <summary>Usable records exist but none authenticates the server: the client defers the mail.</summary>
    NotAuthenticated,

    /// <summary>No TLS session (STARTTLS not offered): with TLSA records published the client defers the mail.</summary>
    NoTls,

    /// <summary>A lookup the verdict needs (MX, address or TLSA) failed DNSSEC validation: the client defers the mail (<see cref="PostfixTls.ProbeMx(Dns.MxProbeOptions, CancellationToken)"/> only).</summary>
    DnsBogus,

    /// <summary>A lookup the verdict needs failed without a validation failure (no answer, a server failure, no address): the client defers or skips the host (<see cref="PostfixTls.ProbeMx(Dns.MxProbeOptions, CancellationToken)"/> only).</summary>
    DnsError,

    /// <summary>The SMTP session could not be completed (connection refused, timeout, TLS handshake failure): the client tries the next MX host and defers when none is left (<see cref="PostfixTls.ProbeMx(Dns.MxProbeOptions, CancellationToken)"/> only).</summary>
    ProbeFailed,
}

/// <summary>One TLSA record and what it matched.</summary>
/// <param name="Record">The record.</param>
/// <param name="Outcome">What it does with the served chain.</param>
/// <param name="Depth">The depth of the served certificate it matches (0 the server's own), or <see langword="null"/>.</param>
/// <param name="Detail">A sentence saying what matched and why it counts or not.</param>
public sealed record TlsaMatch(TlsaAssociation Record, TlsaOutcome Outcome, int? Depth, string Detail);

/// <summary>The TLSA records matched against a served chain, and the verdict of a DANE client.</summary>
/// <param name="Records">Each record, in the order given.</param>
/// <param name="Verdict">What a DANE client would do.</param>
/// <param name="Detail">A sentence explaining the verdict.</param>
public sealed record DaneResult(IReadOnlyList<TlsaMatch> Records, DaneVerdict Verdict, string Detail)
{
    /// <summary>Whether a DANE client would deliver mail (<see cref="DaneVerdict.Authenticated"/> or <see cref="DaneVerdict.EncryptOnly"/>).</summary>
    public bool WouldDeliver => Verdict is DaneVerdict.Authenticated or DaneVerdict.EncryptOnly;
}

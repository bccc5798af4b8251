namespace PostfixConfig.Diagnostics;

/// <content>DNS and DNSSEC: <c>probe --mx --dane</c>, <c>tlsa --dns</c>, <c>lint --check-dns</c> (PFX8018 and on).</content>
public static partial class DiagnosticCodes
{
    /// <summary>A DNS lookup failed without a DNSSEC validation failure: the resolver did not answer within the timeout, answered SERVFAIL also with checking disabled, or refused.</summary>
    public const string DnsLookupFailed = "PFX8018";

    /// <summary>The resolver given (<c>--resolver</c>) is not an IP address with an optional port (<c>ADDR</c>, <c>ADDR:PORT</c>, <c>[IPV6]:PORT</c>).</summary>
    public const string DnsResolverInvalid = "PFX8019";

    /// <summary><c>dnssec_probe</c> is not <c>qtype:qname</c> (Postfix stops with a fatal error on such a value).</summary>
    public const string DnssecProbeMalformed = "PFX8020";

    /// <summary>Whether the resolver validates DNSSEC for Postfix (Postfix's <c>dnssec_probe</c>): information when it does, a warning (an error with <c>dane-only</c>) when outbound DANE silently falls back.</summary>
    public const string DnssecValidation = "PFX8021";

    /// <summary>The mail domain has no MX record (NXDOMAIN or NODATA) or publishes a null MX, so there is no MX host to probe.</summary>
    public const string NoMxRecord = "PFX8022";

    /// <summary>A TLSA record that should be published for the chain or the next key is not in DNS (or not DNSSEC-validated there).</summary>
    public const string TlsaMissing = "PFX8023";

    /// <summary>A published TLSA record matches neither the served chain nor the next key: it is stale and can be removed.</summary>
    public const string TlsaStale = "PFX8024";

    /// <summary>No published TLSA record would match the chain after a renewal (or matches the current chain): renewing now would break delivery by DANE clients.</summary>
    public const string TlsaRolloverUnsafe = "PFX8025";

    /// <summary>The TLSA records in DNS are not DNSSEC-validated (an unsigned zone, or a bogus answer), so DANE clients ignore or defer on them.</summary>
    public const string TlsaNotValidated = "PFX8026";

    /// <summary>A bare key file (<c>tlsa --key</c>) cannot be read as a private or public key (PEM or DER).</summary>
    public const string KeyFileUnreadable = "PFX8027";
}

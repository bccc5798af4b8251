namespace PostfixConfig.Probe;

/// <summary>How the probed session started TLS.</summary>
public enum TlsStart
{
    /// <summary>Plain SMTP, then STARTTLS (ports 25 and 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465, <c>smtpd_tls_wrappermode = yes</c>).</summary>
    Implicit,
}

/// <summary>What <see cref="PostfixTls.Probe(ProbeOptions, CancellationToken)"/> saw: the SMTP session, TLS as the world sees it, and the DANE verdict.</summary>
/// <remarks>This type is immutable.</remarks>
public sealed record ProbeReport
{
    /// <summary>The host probed, as given.</summary>
    public required string Host { get; init; }

    /// <summary>The TCP port.</summary>
    public required int Port { get; init; }

    /// <summary>The IP address connected to (the first address of <see cref="Host"/>).</summary>
    public required string Address { get; init; }

    /// <summary>How TLS was (or would have been) started.</summary>
    public required TlsStart Mode { get; init; }

    /// <summary>The server's greeting, its lines joined by a space (<c>220 mail.example.com ESMTP Postfix</c>).</summary>
    public required string Banner { get; init; }

    /// <summary>The EHLO keywords before TLS (<c>PIPELINING</c>, <c>SIZE 10240000</c>, <c>STARTTLS</c>, ...); with implicit TLS, those after it.</summary>
    public required IReadOnlyList<string> Extensions { get; init; }

    /// <summary>Whether the EHLO reply offers STARTTLS (always false with implicit TLS, where it does not apply).</summary>
    public required bool StartTlsOffered { get; init; }

    /// <summary>The TLS session, or <see langword="null"/> when no TLS was negotiated (STARTTLS not offered).</summary>
    public TlsSessionInfo? Tls { get; init; }

    /// <summary>Each certificate type tried on its own handshake (RSA, ECDSA, Ed25519), empty when no TLS was negotiated.</summary>
    public IReadOnlyList<CertificateOffer> Certificates { get; init; } = [];

    /// <summary>The cipher suites accepted per protocol version (empty unless <see cref="ProbeOptions.ScanCiphers"/>).</summary>
    public IReadOnlyList<ProtocolCiphers> Ciphers { get; init; } = [];

    /// <summary>Whether a second connection resumed the first one's session, or <see langword="null"/> unless <see cref="ProbeOptions.CheckResumption"/>.</summary>
    public ResumptionResult? Resumption { get; init; }

    /// <summary>Each protocol version tried on its own connection (empty unless <see cref="ProbeOptions.ScanProtocols"/>).</summary>
    public IReadOnlyList<ProtocolProbe> Protocols { get; init; } = [];

    /// <summary>The TLSA records matched against the served chain, or <see langword="null"/> when none were given.</summary>
    public DaneResult? Dane { get; init; }
}

/// <summary>The negotiated TLS session and the certificate chain the server sent.</summary>
/// <remarks>This type is immutable.</remarks>
public sealed record TlsSessionInfo
{
    /// <summary>The negotiated protocol in OpenSSL's and Postfix's spelling: <c>TLSv1.3</c>, <c>TLSv1.2</c>, <c>TLSv1.1</c>, <c>TLSv1</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The negotiated cipher suite by its IANA name (<c>TLS_AES_256_GCM_SHA384</c>).</summary>
    public required string CipherSuite { get; init; }

    /// <summary>The cipher's secret bits (256 for <c>TLS_AES_256_GCM_SHA384</c>).</summary>
    public int CipherBits { get; init; }

    /// <summary>The key exchange as posttls-finger names it: <c>X25519</c>, <c>ECDHE (prime256v1)</c>, <c>DHE (2048 bits)</c>; <see langword="null"/> for RSA key transport.</summary>
    public string? KeyExchange { get; init; }

    /// <summary>The server's handshake signature as posttls-finger names it: <c>RSA-PSS (2048 bits)</c>, <c>ECDSA (prime256v1)</c>, <c>ED25519</c>.</summary>
    public string? ServerSignature { get; init; }

    /// <summary>The digest of the server's signature (<c>SHA256</c>), <see langword="null"/> for Ed25519 or without a signature.</summary>
    public string? ServerDigest { get; init; }

    /// <summary>The OCSP response the server stapled, or <see langword="null"/> when it stapled none.</summary>
    public OcspStaple? Ocsp { get; init; }

    /// <summary>The certificates as served, the server's own first (depth 0).</summary>
    public required IReadOnlyList<ServedCertificate> Chain { get; init; }

    /// <summary>The name checked against the certificate (<see cref="ProbeOptions.ServerName"/> or the host name), or <see langword="null"/> when an address was probed without one.</summary>
    public string? ReferenceName { get; init; }

    /// <summary>Whether the server certificate's names cover <see cref="ReferenceName"/> (as a verifying Postfix client matches them); <see langword="null"/> without a name.</summary>
    public bool? NameMatches { get; init; }

    /// <summary>Whether each served certificate after the first issued the one before it.</summary>
    public required bool ChainInOrder { get; init; }

    /// <summary>Whether the server sends every certificate it should: the chain leads to a root (served, or in the trust store), or up to an intermediate whose issuer (a root the client must hold) is not served.</summary>
    public required bool ChainComplete { get; init; }

    /// <summary>Whether OpenSSL verifies the chain to a root in the system trust store, or in <see cref="ProbeOptions.CaFile"/> / <see cref="ProbeOptions.CaPath"/> (what MTA-STS and other verifying senders need; DANE does not).</summary>
    public required bool PkixTrusted { get; init; }

    /// <summary>Whole days until the server certificate expires (negative when it has expired).</summary>
    public required int DaysToExpiry { get; init; }

    /// <summary>The EHLO keywords after TLS (with STARTTLS; empty with implicit TLS, where <see cref="ProbeReport.Extensions"/> has them).</summary>
    public IReadOnlyList<string> ExtensionsAfterTls { get; init; } = [];
}

/// <summary>One certificate of the served chain.</summary>
/// <remarks>This type is immutable.</remarks>
public sealed record ServedCertificate
{
    /// <summary>The position in the served chain: 0 for the server's own certificate.</summary>
    public required int Depth { get; init; }

    /// <summary>The subject distinguished name.</summary>
    public required string Subject { get; init; }

    /// <summary>The DNS names: for the server certificate those a verifying client matches (the subject alternative names, or the common name when there are none); for issuers their subject alternative names.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>The issuer distinguished name.</summary>
    public required string Issuer { get; init; }

    /// <summary>The key algorithm: <c>RSA</c>, <c>ECDSA</c>, <c>Ed25519</c>, ...</summary>
    public required string KeyAlgorithm { get; init; }

    /// <summary>The key size in bits (the curve size for ECDSA), 0 when unknown.</summary>
    public required int KeyBits { get; init; }

    /// <summary>The key in words: <c>RSA 2048-bit</c>, <c>ECDSA P-256</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Valid from (UTC).</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>Valid until (UTC).</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The SHA-256 fingerprint of the certificate, <c>AB:CD:...</c> (what <c>openssl x509 -fingerprint -sha256</c> and Postfix's <c>fingerprint</c> level use).</summary>
    public required string Sha256Fingerprint { get; init; }

    /// <summary>The SHA-256 fingerprint of the public key (SubjectPublicKeyInfo), <c>AB:CD:...</c>; the data of a <c>3 1 1</c> record in another spelling.</summary>
    public required string PublicKeySha256Fingerprint { get; init; }

    /// <summary>Whether subject and issuer are the same (a root, or a self-signed server certificate).</summary>
    public required bool SelfSigned { get; init; }

    /// <summary>Whether it is a CA certificate (basic constraints).</summary>
    public required bool IsCa { get; init; }

    /// <summary>The certificate in PEM.</summary>
    public required string Pem { get; init; }
}

/// <summary>The answer to one protocol version tried on its own.</summary>
public enum ProtocolOutcome
{
    /// <summary>The server completed a handshake with this version.</summary>
    Accepted,

    /// <summary>The server refused this version (a TLS alert or a closed connection during the handshake).</summary>
    Refused,

    /// <summary>This process's OpenSSL does not offer the version, so the server's answer is unknown.</summary>
    NotTestable,

    /// <summary>The connection failed before the handshake (see the detail).</summary>
    Failed,
}

/// <summary>One protocol version tried on its own connection.</summary>
/// <param name="Protocol">The version in OpenSSL's spelling (<c>SSLv3</c>, <c>TLSv1</c>, <c>TLSv1.1</c>, <c>TLSv1.2</c>, <c>TLSv1.3</c>).</param>
/// <param name="Outcome">What happened.</param>
/// <param name="CipherSuite">The negotiated cipher suite when accepted, else <see langword="null"/>.</param>
/// <param name="Detail">A sentence: the TLS alert, the failure, or why it could not be tested.</param>
public sealed record ProtocolProbe(string Protocol, ProtocolOutcome Outcome, string? CipherSuite, string Detail);

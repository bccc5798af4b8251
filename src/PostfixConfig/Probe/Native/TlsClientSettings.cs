namespace PostfixConfig.Probe.Native;

/// <summary>The signature algorithm families a server can hold a certificate for: one handshake each finds every certificate it serves.</summary>
internal enum CertificateFamily
{
    /// <summary>Whatever the server prefers (OpenSSL's default offer).</summary>
    Any,

    Rsa,
    Ecdsa,
    Ed25519,
}

/// <summary>
/// What one client handshake offers. <see cref="SecurityLevel"/> is 0 in a probe: the probe must be
/// able to complete a handshake with whatever the server accepts (TLS 1.0, SHA-1 signatures, small
/// keys, anonymous suites when asked for), and report it; it authenticates nothing.
/// </summary>
internal sealed record TlsClientSettings
{
    /// <summary>The name sent as SNI, or null.</summary>
    public string? ServerName { get; init; }

    /// <summary>The lowest and highest protocol version (OpenSSL's numbers, 0 for no bound).</summary>
    public int MinVersion { get; init; }

    /// <summary>The highest protocol version (0 for no bound).</summary>
    public int MaxVersion { get; init; }

    /// <summary>The TLS 1.2-and-older cipher list (OpenSSL's syntax), or null for the default.</summary>
    public string? CipherList { get; init; }

    /// <summary>The TLS 1.3 suites (colon-separated), or null for the default.</summary>
    public string? CipherSuites { get; init; }

    /// <summary>The signature algorithm family to offer (which certificate the server must use).</summary>
    public CertificateFamily Family { get; init; }

    /// <summary>Ask the server to staple an OCSP response.</summary>
    public bool RequestOcsp { get; init; }

    /// <summary>A PEM file of trusted CAs beside (not instead of) the system's (<c>--cafile</c>).</summary>
    public string? CaFile { get; init; }

    /// <summary>A hashed folder of trusted CAs beside the system's (<c>--capath</c>).</summary>
    public string? CaPath { get; init; }

    /// <summary>The OpenSSL security level; 0 lets the probe see what a server accepts.</summary>
    public int SecurityLevel { get; init; }

    /// <summary>The signature algorithms OpenSSL offers for a family (TLS 1.2 and 1.3 spellings).</summary>
    public static string? SignatureAlgorithms(CertificateFamily family) => family switch
    {
        CertificateFamily.Rsa => "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512:RSA+SHA224:RSA+SHA1",
        CertificateFamily.Ecdsa => "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ECDSA+SHA224:ECDSA+SHA1",
        CertificateFamily.Ed25519 => "ed25519",
        _ => null,
    };
}

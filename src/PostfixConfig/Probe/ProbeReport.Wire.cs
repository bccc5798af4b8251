namespace PostfixConfig.Probe;

/// <summary>What a handshake offering only one signature algorithm family found.</summary>
public enum CertificateOutcome
{
    /// <summary>The server completed the handshake with a certificate of this type.</summary>
    Served,

    /// <summary>The server refused the handshake: it holds no certificate of this type.</summary>
    NotServed,

    /// <summary>The connection failed for another reason (see the detail).</summary>
    Failed,
}

/// <summary>One certificate type (signature algorithm family) tried on its own handshake.</summary>
/// <remarks>This type is immutable.</remarks>
public sealed record CertificateOffer
{
    /// <summary>The family offered: <c>RSA</c>, <c>ECDSA</c> or <c>Ed25519</c>.</summary>
    public required string Family { get; init; }

    /// <summary>What the server did.</summary>
    public required CertificateOutcome Outcome { get; init; }

    /// <summary>The chain served for this family (empty unless <see cref="CertificateOutcome.Served"/>).</summary>
    public IReadOnlyList<ServedCertificate> Chain { get; init; } = [];

    /// <summary>The server's signature in that handshake (<c>ECDSA (prime256v1)</c>), or <see langword="null"/>.</summary>
    public string? ServerSignature { get; init; }

    /// <summary>A sentence: what was served, or why nothing was.</summary>
    public required string Detail { get; init; }
}

/// <summary>An OCSP response stapled by the server (TLS status_request).</summary>
/// <param name="ResponseStatus">The response status: <c>successful</c>, <c>tryLater</c>, ... (<c>malformed</c> when it does not parse).</param>
/// <param name="CertificateStatus"><c>good</c>, <c>revoked</c> or <c>unknown</c> for the first certificate in the response; <see langword="null"/> when it holds none.</param>
/// <param name="Length">The size of the response in bytes.</param>
public sealed record OcspStaple(string ResponseStatus, string? CertificateStatus, int Length);

/// <summary>Whether a second connection resumed the session of the first.</summary>
/// <param name="Resumed">Whether the server resumed the session.</param>
/// <param name="Detail">A sentence: how (session ticket or cache), or why not.</param>
public sealed record ResumptionResult(bool Resumed, string Detail);

/// <summary>One cipher suite the server accepted.</summary>
/// <param name="Name">The IANA name (<c>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</c>).</param>
/// <param name="OpenSslName">OpenSSL's and Postfix's name (<c>ECDHE-RSA-AES128-GCM-SHA256</c>).</param>
/// <param name="Bits">The secret bits.</param>
/// <param name="Weaknesses">Why it is weak: <c>anonymous</c>, <c>export</c>, <c>RC4</c>, <c>3DES</c>, <c>null-encryption</c>, <c>under-128-bits</c>; empty when none.</param>
public sealed record CipherSuiteInfo(string Name, string OpenSslName, int Bits, IReadOnlyList<string> Weaknesses);

/// <summary>The cipher suites accepted with one protocol version, in the order the server chose them (its preference, when it has one).</summary>
/// <param name="Protocol">The version (<c>TLSv1.2</c>).</param>
/// <param name="Outcome">Accepted (at least one suite), refused, not testable here, or failed.</param>
/// <param name="Suites">The accepted suites.</param>
/// <param name="Detail">A sentence: the count and the weak ones, or why nothing was found.</param>
public sealed record ProtocolCiphers(string Protocol, ProtocolOutcome Outcome, IReadOnlyList<CipherSuiteInfo> Suites, string Detail);

using PostfixConfig.Certificates;

namespace PostfixConfig.Probe;

/// <summary>How the probe starts TLS.</summary>
public enum StartTlsMode
{
    /// <summary>Implicit TLS on port 465 (submissions); elsewhere whatever the server does: a plain-text greeting means STARTTLS (when the EHLO reply offers it), silence for a short while means implicit TLS (a ClientHello is tried).</summary>
    Auto,

    /// <summary>Send STARTTLS even when the EHLO reply does not offer it (and report the server's answer).</summary>
    Yes,

    /// <summary>No STARTTLS: TLS from the first byte, as on port 465 or an smtpd with <c>smtpd_tls_wrappermode = yes</c>.</summary>
    No,
}

/// <summary>What <see cref="PostfixTls.Probe(ProbeOptions, CancellationToken)"/> connects to and checks.</summary>
/// <remarks>
/// This type is immutable; change it with <c>with</c>. The probe is a polite client: one TCP
/// connection for the session, one more per certificate type (RSA, ECDSA, Ed25519) at the same
/// time, and more when <see cref="ScanProtocols"/>, <see cref="ScanCiphers"/> or
/// <see cref="CheckResumption"/> is set, <see cref="Timeout"/> for the connection and for each reply, no retries, the session
/// ended with QUIT, and no mail sent.
/// </remarks>
public sealed record ProbeOptions
{
    /// <summary>Creates options for the SMTP server <paramref name="host"/> (a host name or an IP address).</summary>
    public ProbeOptions(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
    }

    /// <summary>The server: a host name (its first address is used) or an IP address.</summary>
    public string Host { get; init; }

    /// <summary>The TCP port: 25 (SMTP), 587 (submission with STARTTLS) or 465 (submissions, implicit TLS).</summary>
    public int Port { get; init; } = 25;

    /// <summary>How TLS is started (default: implicit TLS on port 465, STARTTLS elsewhere).</summary>
    public StartTlsMode StartTls { get; init; } = StartTlsMode.Auto;

    /// <summary>
    /// The name sent as SNI and checked against the certificate (and used by DANE-TA records);
    /// <see langword="null"/> for <see cref="Host"/> when it is a name (an address has no name to check).
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>TLSA records to match against the served chain (from <see cref="PostfixTls.ParseTlsa(string, string?)"/>).</summary>
    public IReadOnlyList<TlsaAssociation> Tlsa { get; init; } = [];

    /// <summary>Also try each protocol version (SSLv3, TLS 1.0 to 1.3) on its own connection.</summary>
    public bool ScanProtocols { get; init; }

    /// <summary>Also find the cipher suites the server accepts, per protocol version (many handshakes; weak suites are flagged).</summary>
    public bool ScanCiphers { get; init; }

    /// <summary>Also connect a second time offering the first session, and report whether the server resumed it.</summary>
    public bool CheckResumption { get; init; }

    /// <summary>A PEM file of CA certificates trusted beside the system's (a private CA), as posttls-finger <c>-F</c> and openssl <c>-CAfile</c>.</summary>
    public string? CaFile { get; init; }

    /// <summary>A folder of hashed CA certificates (<c>c_rehash</c>) trusted beside the system's, as openssl <c>-CApath</c>.</summary>
    public string? CaPath { get; init; }

    /// <summary>How long to wait for the connection, for each reply and for the TLS handshake (default 10 seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The name the probe gives in EHLO; <see langword="null"/> for this machine's host name.</summary>
    public string? HeloName { get; init; }

    /// <summary>The clock for expiry and validity (tests pass a fixed one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>A certificate that expires sooner than this gets a warning (default 14 days, as <c>--check-files</c>).</summary>
    public TimeSpan ExpiryWarning { get; init; } = TimeSpan.FromDays(14);
}

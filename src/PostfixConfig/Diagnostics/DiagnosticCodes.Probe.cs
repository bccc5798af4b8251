namespace PostfixConfig.Diagnostics;

/// <content>Probing a live server (<c>PFX8xxx</c>): connection failures, TLS findings, TLSA records and DANE.</content>
public static partial class DiagnosticCodes
{
    /// <summary>The probe could not connect: the name does not resolve, the connection is refused, or the host does not answer within the timeout.</summary>
    public const string ProbeConnectFailed = "PFX8001";

    /// <summary>The server did not send its greeting, a reply, or its part of the TLS handshake within the timeout.</summary>
    public const string ProbeTimeout = "PFX8002";

    /// <summary>The server closed (or reset) the connection in the middle of the session, for example right after STARTTLS.</summary>
    public const string ProbeConnectionClosed = "PFX8003";

    /// <summary>What the server sent is not an SMTP reply (no three-digit code, an overlong line, data after the reply to STARTTLS).</summary>
    public const string ProbeNotSmtp = "PFX8004";

    /// <summary>The server refused the session or a command the probe needs (a 554 greeting, EHLO or STARTTLS answered with an error).</summary>
    public const string ProbeSmtpRejected = "PFX8005";

    /// <summary>The TLS handshake failed (no protocol or cipher in common, a TLS alert, plain text where TLS was expected).</summary>
    public const string ProbeTlsFailed = "PFX8006";

    /// <summary>The server's EHLO reply does not offer STARTTLS, so mail to it goes unencrypted (or is deferred by senders that require TLS).</summary>
    public const string StartTlsNotOffered = "PFX8007";

    /// <summary>The served chain is incomplete: an intermediate certificate is missing, so verifying senders cannot build the chain to a root.</summary>
    public const string ChainIncomplete = "PFX8008";

    /// <summary>The server negotiates or accepts an obsolete protocol (TLS 1.1 or older, SSLv3).</summary>
    public const string WeakProtocol = "PFX8009";

    /// <summary>A protocol version could not be tested because this process's OpenSSL does not offer it (information).</summary>
    public const string ProtocolNotTestable = "PFX8010";

    /// <summary>A TLSA record given to the probe cannot be read (not <c>USAGE SELECTOR MATCHING DATA</c> or a zone file line, a bad number, bad hex), or a <c>--tlsa</c> value is malformed (an undefined usage, selector or matching type, a digest of the wrong length).</summary>
    public const string TlsaSyntax = "PFX8011";

    /// <summary>A TLSA record's owner name is for another port or host than the one probed (<c>_465._tcp...</c> while probing port 25).</summary>
    public const string TlsaOtherService = "PFX8012";

    /// <summary>A TLSA record matches the served chain and would authenticate the server (information).</summary>
    public const string TlsaMatched = "PFX8013";

    /// <summary>A usable TLSA record matches no served certificate, or matches one but does not authenticate the server (names, expiry, position in the chain).</summary>
    public const string TlsaNotMatched = "PFX8014";

    /// <summary>A TLSA record with usage 0 (PKIX-TA) or 1 (PKIX-EE), which SMTP does not use (RFC 7672); DANE clients ignore it.</summary>
    public const string TlsaNotForSmtp = "PFX8015";

    /// <summary>A TLSA record DANE clients cannot use (an unknown usage, selector or matching type, or a digest of the wrong length), so they ignore it.</summary>
    public const string TlsaUnusable = "PFX8016";

    /// <summary>What a DANE client (Postfix with <c>smtp_tls_security_level = dane</c>) would do with the given TLSA records: deliver or defer.</summary>
    public const string DaneVerdict = "PFX8017";

    /// <summary><c>probe --ciphers</c>: the server accepts a weak cipher suite (anonymous, export, RC4, 3DES, NULL, under 128 bits); information where our profiles allow it (anonymous and 3DES on port 25).</summary>
    public const string WeakCipher = "PFX8028";
}

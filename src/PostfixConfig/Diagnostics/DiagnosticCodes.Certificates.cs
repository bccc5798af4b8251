namespace PostfixConfig.Diagnostics;

/// <content>
/// Codes about the certificate and key files a configuration names (<c>PFX7xxx</c>), reported by
/// <see cref="PostfixTls.CheckFiles"/> (<c>--check-files</c>) and, for reload hooks, by rendering.
/// </content>
public static partial class DiagnosticCodes
{
    /// <summary>A certificate or key file does not exist (Postfix disables TLS).</summary>
    public const string CertificateFileMissing = "PFX7001";

    /// <summary>A certificate or key file exists but cannot be read at all (a folder, an I/O error, unreadable even by root).</summary>
    public const string CertificateFileUnreadable = "PFX7002";

    /// <summary>A file could not be read as the current (non-root) user; Postfix reads it as root, so its contents were not checked.</summary>
    public const string CertificateFileNotReadableAsUser = "PFX7003";

    /// <summary>A file holds no PEM data, or a PEM object that does not decode (DER, PKCS#12, damaged base64 or ASN.1).</summary>
    public const string NotPem = "PFX7004";

    /// <summary>A PEM object Postfix does not accept where it is (<c>EC PARAMETERS</c>, <c>TRUSTED CERTIFICATE</c>, ...), or one it ignores (a second key in a combined file).</summary>
    public const string UnexpectedPemObject = "PFX7005";

    /// <summary>A private key is protected by a pass phrase; Postfix cannot use it.</summary>
    public const string EncryptedPrivateKey = "PFX7006";

    /// <summary>Keys and certificates are in the wrong order: each key must come first, then its certificate, then the issuer chain.</summary>
    public const string ChainOrder = "PFX7007";

    /// <summary>A private key does not belong to the certificate that follows it (or that its parameter pairs it with).</summary>
    public const string KeyMismatch = "PFX7008";

    /// <summary>A chain file list holds two keys of the same algorithm; Postfix allows at most one key per algorithm.</summary>
    public const string DuplicateKeyAlgorithm = "PFX7009";

    /// <summary>A private key or a certificate is missing: a key without a certificate, a certificate file without a certificate, no key at all.</summary>
    public const string MissingKeyOrCertificate = "PFX7010";

    /// <summary>The certificate has expired.</summary>
    public const string CertificateExpired = "PFX7011";

    /// <summary>The certificate is not valid yet (its start date is in the future; check the clock).</summary>
    public const string CertificateNotYetValid = "PFX7012";

    /// <summary>The certificate expires within the warning period (14 days by default).</summary>
    public const string CertificateExpiresSoon = "PFX7013";

    /// <summary>The server certificate's names (SAN, or CN without SAN) do not cover the mail host name (<c>myhostname</c>, or the SNI name).</summary>
    public const string HostNameNotCovered = "PFX7014";

    /// <summary>The server certificate has an extended key usage without server authentication; verifying senders reject it.</summary>
    public const string NoServerAuthUsage = "PFX7015";

    /// <summary>The server certificate is self-signed (such as Debian's snakeoil certificate): fine for opportunistic TLS, not trusted by verifying senders.</summary>
    public const string SelfSignedCertificate = "PFX7016";

    /// <summary>Whether the server certificate chain leads to a root in the trust store (information for senders that verify, such as MTA-STS).</summary>
    public const string TrustChain = "PFX7017";

    /// <summary>The certificate's names cover the mail host name and it allows server authentication: a web server certificate like it serves mail too.</summary>
    public const string WebCertificateReusable = "PFX7018";

    /// <summary>A private key file is readable by every user; it must be readable by root only.</summary>
    public const string PrivateKeyWorldReadable = "PFX7019";

    /// <summary>A summary of one key and certificate pair: algorithm, names, issuer, validity and days left.</summary>
    public const string CertificateSummary = "PFX7020";

    /// <summary>A certificate of the issuer chain has expired or is not valid yet.</summary>
    public const string ChainCertificateNotValid = "PFX7021";

    /// <summary>The issuer chain after the leaf is out of order, or holds a certificate that is not part of the leaf's chain.</summary>
    public const string ChainMisordered = "PFX7022";

    /// <summary>Something could not be checked (a <c>$name</c> that does not resolve, a table type without a source file, a key algorithm whose pairing is not checked, no <c>myhostname</c>).</summary>
    public const string NotChecked = "PFX7023";

    /// <summary>A client certificate has an extended key usage without client authentication; servers that verify client certificates may refuse it.</summary>
    public const string NoClientAuthUsage = "PFX7024";

    /// <summary>A rendered reload hook watches no file, cannot watch a path, or can never fire for a certbot renewal.</summary>
    public const string ReloadHookIncomplete = "PFX7025";

    /// <summary>TLSA records cannot be made as asked: an invalid host name or port, or usage 2 (DANE-TA) without an issuer certificate in the file.</summary>
    public const string TlsaNotPossible = "PFX7026";

    /// <summary>The file given to <c>tlsa</c> holds no issuer certificate, so only the DANE-EE (3 1 1) record is made; it breaks when the key changes.</summary>
    public const string LeafOnly = "PFX7027";

    /// <summary>A CA file (<c>smtp_tls_CAfile</c>, <c>smtpd_tls_CAfile</c>) that holds no CA certificate (only leaf certificates) or the server's own certificate: no chain can end there.</summary>
    public const string CaFileWithoutCa = "PFX7028";
}

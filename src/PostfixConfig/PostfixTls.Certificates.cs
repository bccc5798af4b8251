using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <content>
/// Certificates and DANE: check the key and certificate files a configuration names, compute
/// fingerprints for the policy table, and TLSA records to publish.
/// </content>
public static partial class PostfixTls
{
    /// <summary>
    /// Checks the key and certificate files the configuration names, on the host that has them
    /// (the CLI's <c>--check-files</c>): <c>smtpd_tls_chain_files</c> (or <c>smtpd_tls_cert_file</c>
    /// with <c>smtpd_tls_key_file</c>, <c>smtpd_tls_eccert_file</c> with <c>smtpd_tls_eckey_file</c>),
    /// the <c>smtp_</c> and <c>lmtp_</c> client equivalents, and the files listed in the source
    /// file of <c>tls_server_sni_maps</c> when it is readable.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Errors: a file is missing or unreadable, not PEM, in the wrong order (each private key must
    /// come first, then its certificate, then the issuer chain), holds an encrypted key, or a key
    /// does not match its certificate; a certificate has expired. Warnings: a certificate expires
    /// within <see cref="CertificateCheckOptions.ExpiryWarning"/>, a server certificate does not
    /// cover <c>myhostname</c> or lacks server authentication, a private key file is readable by
    /// everyone. Information: a summary of each pair, whether the chain leads to a trusted root,
    /// a self-signed (snakeoil) certificate, and whether the certificate (a web server's, say)
    /// is fit for mail. A complete, correct setup gives no warning.
    /// </para>
    /// <para>
    /// Key material is read into memory only to compare public keys, wiped after use, and never
    /// written anywhere or put in a message. Run as root to check root-only key files; as another
    /// user they are reported as not checked.
    /// </para>
    /// </remarks>
    /// <param name="config">The configuration (from YAML, C#, or a main.cf read by lint); its <c>$name</c> references are expanded.</param>
    /// <param name="options">Clock, warning period, host name and trust store; <see langword="null"/> for <see cref="CertificateCheckOptions.Default"/>.</param>
    public static DiagnosticList CheckFiles(TlsConfiguration config, CertificateCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return CertificateChecker.Check(config, options ?? CertificateCheckOptions.Default);
    }

    /// <summary>
    /// The fingerprint of a certificate in Postfix's form: upper-case hex byte pairs joined by
    /// colons (<c>AB:CD:...</c>), as <c>smtp_tls_fingerprint_cert_match</c>, a <c>fingerprint</c>
    /// policy entry's <c>match</c> attribute, <c>check_ccert_access</c> and <c>relay_clientcerts</c> take it.
    /// </summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="digest">The digest; it must equal the <c>*_tls_fingerprint_digest</c> in use (sha256 by default since Postfix 3.6).</param>
    /// <param name="publicKey">
    /// <see langword="true"/> for the public-key fingerprint (the digest of the DER
    /// SubjectPublicKeyInfo; Postfix 2.9.6 and later), which survives renewals that keep the key.
    /// </param>
    public static string Fingerprint(X509Certificate2 certificate, FingerprintDigest digest = FingerprintDigest.Sha256, bool publicKey = false)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Dane.Fingerprint(certificate, digest, publicKey);
    }

    /// <summary>
    /// The fingerprint (see <see cref="Fingerprint(X509Certificate2, FingerprintDigest, bool)"/>) of the
    /// first certificate in a PEM file (a chain file gives its leaf) or of a DER certificate file.
    /// </summary>
    /// <exception cref="IOException">The file does not exist or cannot be read.</exception>
    public static Result<string> FingerprintFile(string path, FingerprintDigest digest = FingerprintDigest.Sha256, bool publicKey = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var diagnostics = new List<Diagnostic>();
        var certificates = CertificateFile.Read(path, diagnostics);
        try
        {
            var value = certificates.Count > 0 ? Dane.Fingerprint(certificates[0], digest, publicKey) : null;
            return new Result<string>(value, DiagnosticList.Create(diagnostics));
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// The TLSA records for a server certificate chain (leaf first, as in Let's Encrypt's
    /// <c>fullchain.pem</c>). With no <see cref="TlsaOptions.Usage"/> the recommended set: <c>3 1 1</c>
    /// for the leaf's key plus <c>2 1 1</c> for each issuing intermediate in the chain, so that a
    /// renewal (even with a new key) from the same intermediate keeps matching.
    /// </summary>
    /// <remarks>
    /// With usage 2 and a chain that starts with a CA certificate (an intermediate on its own), that
    /// certificate and its issuers get the records.
    /// Errors (no value): an invalid host name or port, or usage 2 without an issuer in the chain.
    /// Information: only a leaf was given, so only a <c>3</c> record could be made.
    /// </remarks>
    public static Result<IReadOnlyList<TlsaRecord>> Tlsa(IReadOnlyList<X509Certificate2> chain, TlsaOptions options)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new List<Diagnostic>();
        var records = new List<TlsaRecord>();
        var owner = Dane.OwnerName(options.Host, options.Port);
        if (owner is null)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaNotPossible, null,
                $"'{options.Host}' port {options.Port} is not a host name and port for a TLSA record. Give the MX host name in ASCII (IDNA A-labels, such as xn--...) and a port from 1 to 65535 (25 for SMTP)."));
            return new Result<IReadOnlyList<TlsaRecord>>(null, DiagnosticList.Create(diagnostics));
        }

        if (chain.Count == 0)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaNotPossible, null,
                "There is no certificate to make TLSA records for. Give the server certificate chain (for Let's Encrypt: fullchain.pem)."));
            return new Result<IReadOnlyList<TlsaRecord>>(null, DiagnosticList.Create(diagnostics));
        }

        var leaf = chain[0];
        var intermediates = Dane.Intermediates(leaf, chain);
        if (options.Usage is (TlsaUsage.DaneTa or TlsaUsage.PkixTa) && CertificateFacts.IsCa(leaf))
        {
            // A file that starts with a CA certificate (an intermediate on its own): it is the trust anchor.
            intermediates.Insert(0, leaf);
        }

        if (options.Usage is null or TlsaUsage.DaneEe or TlsaUsage.PkixEe)
        {
            records.Add(Record(owner, options.Usage ?? TlsaUsage.DaneEe, options, leaf));
        }

        if (options.Usage is null or TlsaUsage.DaneTa or TlsaUsage.PkixTa)
        {
            foreach (var intermediate in intermediates)
            {
                records.Add(Record(owner, options.Usage ?? TlsaUsage.DaneTa, options, intermediate));
            }
        }

        if (intermediates.Count == 0)
        {
            if (options.Usage is TlsaUsage.DaneTa or TlsaUsage.PkixTa)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaNotPossible, null,
                    "Usage 2 (DANE-TA) needs the issuer certificates, but the chain holds only the leaf (or only self-signed certificates). Give the full chain (for Let's Encrypt: fullchain.pem, not cert.pem)."));
            }
            else if (options.Usage is null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.LeafOnly, null,
                    "Only the leaf certificate was given, so only the 3 1 1 record was made; it stops matching when the key changes. Give the full chain (for Let's Encrypt: fullchain.pem) to also get 2 1 1 records for the issuer, or renew with the same key (certbot --reuse-key)."));
            }
        }

        return new Result<IReadOnlyList<TlsaRecord>>(records, DiagnosticList.Create(diagnostics));
    }

    /// <summary>
    /// The TLSA records (see <see cref="Tlsa(IReadOnlyList{X509Certificate2}, TlsaOptions)"/>) for the
    /// certificates of a PEM file, leaf first (Let's Encrypt's <c>fullchain.pem</c>); private keys
    /// in the file are skipped.
    /// </summary>
    /// <exception cref="IOException">The file does not exist or cannot be read.</exception>
    public static Result<IReadOnlyList<TlsaRecord>> TlsaFile(string path, TlsaOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new List<Diagnostic>();
        var certificates = CertificateFile.Read(path, diagnostics);
        try
        {
            if (diagnostics.Count > 0)
            {
                return new Result<IReadOnlyList<TlsaRecord>>(null, DiagnosticList.Create(diagnostics));
            }

            return Tlsa(certificates, options);
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }

    private static TlsaRecord Record(string owner, TlsaUsage usage, TlsaOptions options, X509Certificate2 certificate) =>
        new(owner, usage, options.Selector, options.MatchingType, Dane.AssociationData(certificate, options.Selector, options.MatchingType), certificate.Subject);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe.Native;

namespace PostfixConfig.Probe;

/// <summary>
/// What the served chain says: each certificate's facts, the name check, order, completeness,
/// trust and expiry, with findings as diagnostics (the same codes as <c>--check-files</c>, worded
/// for a chain that came over the wire).
/// </summary>
internal static class ServedChain
{
    public static ServedCertificate Describe(X509Certificate2 certificate, int depth)
    {
        var algorithm = KeyFacts.AlgorithmOf(certificate);
        var bits = 0;
        if (algorithm is KeyAlgorithm.Rsa or KeyAlgorithm.RsaPss)
        {
            using var rsa = certificate.GetRSAPublicKey();
            bits = rsa?.KeySize ?? 0;
        }
        else if (algorithm is KeyAlgorithm.Ec)
        {
            try
            {
                using var ec = certificate.GetECDsaPublicKey();
                bits = ec?.KeySize ?? 0;
            }
            catch (CryptographicException)
            {
                bits = 0;
            }
        }
        else if (algorithm is KeyAlgorithm.Ed25519)
        {
            bits = 256;
        }
        else if (algorithm is KeyAlgorithm.Ed448)
        {
            bits = 456;
        }

        return new ServedCertificate
        {
            Depth = depth,
            Subject = certificate.Subject,
            Names = depth == 0 ? CertificateFacts.HostNames(certificate) : CertificateFacts.DnsNames(certificate),
            Issuer = certificate.Issuer,
            KeyAlgorithm = new KeyFacts(algorithm, 0, null, null).SlotName,
            KeyBits = bits,
            Key = CertificateFacts.KeyDescription(certificate),
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            Sha256Fingerprint = Dane.Fingerprint(certificate, FingerprintDigest.Sha256, publicKey: false),
            PublicKeySha256Fingerprint = Dane.Fingerprint(certificate, FingerprintDigest.Sha256, publicKey: true),
            SelfSigned = CertificateFacts.IsSelfIssued(certificate),
            IsCa = CertificateFacts.IsCa(certificate),
            Pem = certificate.ExportCertificatePem() + "\n",
        };
    }

    /// <summary>Facts about the session's chain, with findings added to <paramref name="diagnostics"/>.</summary>
    public static TlsSessionInfo Inspect(NegotiatedSession session, string? referenceName, ProbeOptions options, List<Diagnostic> diagnostics)
    {
        var chain = session.Chain;
        var protocol = session.Protocol;
        var cipher = session.CipherSuite;
        var now = options.Clock.GetUtcNow();
        var leaf = chain[0];
        var name = CertificateFacts.ShortName(leaf);
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var left = notAfter - now;
        var days = (int)Math.Floor(left.TotalDays);
        var selfSigned = CertificateFacts.IsSelfIssued(leaf);

        if (now > notAfter)
        {
            diagnostics.Add(Warning(DiagnosticCodes.CertificateExpired,
                $"The server certificate ({name}) expired on {CertificateFacts.Date(leaf.NotAfter)}. Senders that verify refuse it; renew it and reload Postfix (postfix reload). DANE-EE (3 1 1) records still match it."));
        }
        else if (now < notBefore)
        {
            diagnostics.Add(Warning(DiagnosticCodes.CertificateNotYetValid,
                $"The server certificate ({name}) is not valid before {CertificateFacts.Date(leaf.NotBefore)}. Check the server's clock and the certificate."));
        }
        else if (left < options.ExpiryWarning)
        {
            diagnostics.Add(Warning(DiagnosticCodes.CertificateExpiresSoon, string.Create(CultureInfo.InvariantCulture,
                $"The server certificate ({name}) expires on {CertificateFacts.Date(leaf.NotAfter)}, in {days} days. Renew it now and reload Postfix; check that automatic renewal works.")));
        }

        var names = CertificateFacts.HostNames(leaf);
        bool? nameMatches = null;
        if (referenceName is null)
        {
            diagnostics.Add(Info(DiagnosticCodes.NotChecked,
                $"The certificate names ({(names.Count > 0 ? string.Join(", ", names) : "none")}) were not checked: an address was probed without a server name. Give the MX host name as the server name to check them."));
        }
        else
        {
            nameMatches = HostNameMatcher.Covers(names, referenceName);
            if (nameMatches == false)
            {
                diagnostics.Add(Warning(DiagnosticCodes.HostNameNotCovered,
                    $"The server certificate names {(names.Count > 0 ? string.Join(", ", names) : "no host")}, which does not cover {referenceName}. Senders that verify (MTA-STS, ...) and DANE-TA records check that name: serve a certificate that includes {referenceName}."));
            }
        }

        if (selfSigned)
        {
            diagnostics.Add(Info(DiagnosticCodes.SelfSignedCertificate,
                $"The server certificate ({name}) is self-signed: fine for opportunistic TLS and with a DANE-EE (3 1 1) record, not trusted by senders that verify (MTA-STS, ...)."));
        }

        var inOrder = true;
        for (var i = 1; i < chain.Count; i++)
        {
            var c = chain[i];
            if (now.UtcDateTime > c.NotAfter.ToUniversalTime() || now.UtcDateTime < c.NotBefore.ToUniversalTime())
            {
                diagnostics.Add(Warning(DiagnosticCodes.ChainCertificateNotValid, string.Create(CultureInfo.InvariantCulture,
                    $"The served issuer certificate at depth {i} ({c.Subject}) is {(now.UtcDateTime > c.NotAfter.ToUniversalTime() ? "expired since " + CertificateFacts.Date(c.NotAfter) : "not valid before " + CertificateFacts.Date(c.NotBefore))}. Serve the current chain from your CA.")));
            }

            if (inOrder && !CertificateFacts.IsIssuedBy(chain[i - 1], c))
            {
                inOrder = false;
                var issuer = chain.Select((x, d) => (x, d)).FirstOrDefault(p => p.d != i - 1 && CertificateFacts.IsIssuedBy(chain[i - 1], p.x));
                diagnostics.Add(Warning(DiagnosticCodes.ChainMisordered, issuer.x is not null
                    ? string.Create(CultureInfo.InvariantCulture, $"The served chain is out of order: the certificate at depth {i} ({c.Subject}) did not issue the one at depth {i - 1}; its issuer is at depth {issuer.d}. List each certificate directly before the one that issued it in the chain file (key, leaf, intermediate, ...), then reload Postfix.")
                    : string.Create(CultureInfo.InvariantCulture, $"The served certificate at depth {i} ({c.Subject}) did not issue the one at depth {i - 1} ({chain[i - 1].Subject}) and is not part of its chain. Serve the chain your CA provides (for Let's Encrypt: fullchain.pem).")));
            }
        }

        var (complete, trusted, trustText) = Trust(chain, session, options);
        diagnostics.Add(complete ? Info(DiagnosticCodes.TrustChain, trustText) : Warning(DiagnosticCodes.ChainIncomplete, trustText));
        if (protocol is "TLSv1" or "TLSv1.1" or "SSLv3")
        {
            diagnostics.Add(Warning(DiagnosticCodes.WeakProtocol,
                $"The server negotiated {protocol} although the probe offered up to TLS 1.3: its TLS library or its settings stop at {protocol} (RFC 8996 retired it). Update its OpenSSL or remove the ceiling (a '!TLSv1.2' or '<=TLSv1.1' in smtpd_tls_protocols); Postfix clients with OpenSSL 3.0 that authenticate the server (dane, verify) cannot complete a {protocol} handshake."));
        }

        return new TlsSessionInfo
        {
            Protocol = protocol,
            CipherSuite = cipher,
            CipherBits = session.CipherBits,
            KeyExchange = session.KeyExchange,
            ServerSignature = session.ServerSignature,
            ServerDigest = session.ServerDigest,
            Chain = [.. chain.Select(Describe)],
            ReferenceName = referenceName,
            NameMatches = nameMatches,
            ChainInOrder = inOrder,
            ChainComplete = complete,
            PkixTrusted = trusted,
            DaysToExpiry = days,
            Ocsp = session.Ocsp is { } o ? new OcspStaple(o.ResponseStatus, o.CertificateStatus, o.Length) : null,
        };
    }

    /// <summary>
    /// Whether the server sends every certificate it should (all but a root), whether OpenSSL
    /// verified the chain against the trust store (the system's CA folder, plus <c>--cafile</c> and
    /// <c>--capath</c>), and a sentence that names what is missing.
    /// </summary>
    private static (bool Complete, bool Trusted, string Text) Trust(IReadOnlyList<X509Certificate2> chain, NegotiatedSession session, ProbeOptions options)
    {
        var name = CertificateFacts.ShortName(chain[0]);
        var extra = options.CaFile ?? options.CaPath;
        var store = extra is null ? "the system trust store" : $"the system trust store or {extra}";
        var path = new List<X509Certificate2> { chain[0] };
        while (path.Count < chain.Count && chain.FirstOrDefault(c => !path.Contains(c) && CertificateFacts.IsIssuedBy(path[^1], c)) is { } next)
        {
            path.Add(next);
        }

        var top = path[^1];
        var cafileHint = extra is null ? " Give the probe that root with --cafile ROOT.pem to check the chain against it." : string.Empty;
        switch (session.VerifyResult)
        {
            case 0:
                return (true, true, $"The served chain of {name} leads to a root in {store}: senders that verify (MTA-STS, ...) and trust that root can trust it. (For DANE only the TLSA records matter.)");
            case 18 or 19: // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
                return (true, false, $"The served chain of {name} ends at {top.Subject}, a self-signed root that is not in {store} (a private CA, or a self-signed server certificate): fine for opportunistic TLS and DANE, not trusted by senders that verify against public CAs.{cafileHint}");
            case 2 or 20 or 21 when CertificateFacts.IsCa(top) && path.Count > 1:
                return (true, false, $"The served chain of {name} ends at the intermediate {top.Subject}, whose issuer ({top.Issuer}) is not in {store}. A server need not send the root: if {top.Issuer} is a private CA's root, only senders that hold it can verify the chain (fine for opportunistic TLS and DANE).{cafileHint} If it is a public CA's intermediate, serve it after {CertificateFacts.ShortName(top)}.");
            case 2 or 20 or 21:
                var sent = path.Count == 1 ? "only the server certificate" : $"the chain up to {top.Subject}";
                return (false, false, $"The served chain of {name} is incomplete: the server sends {sent}, and its issuer ({top.Issuer}) is neither served nor in {store}. Serve the issuing intermediate certificate after {CertificateFacts.ShortName(top)} in the chain file (for Let's Encrypt: fullchain.pem, not cert.pem), then reload Postfix; senders that verify cannot build the chain otherwise.");
            default:
                return (true, false, $"The served chain of {name} does not verify against {store}: {session.VerifyText}.");
        }
    }

    private static Diagnostic Warning(string code, string message) => new(DiagnosticSeverity.Warning, code, null, message);

    private static Diagnostic Info(string code, string message) => new(DiagnosticSeverity.Info, code, null, message);
}

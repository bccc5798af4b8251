using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;

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
    public static TlsSessionInfo Inspect(IReadOnlyList<X509Certificate2> chain, string protocol, string cipher, string? referenceName,
        ProbeOptions options, List<Diagnostic> diagnostics)
    {
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

        var (complete, trusted, trustText) = Trust(chain, now);
        if (!complete)
        {
            diagnostics.Add(Warning(DiagnosticCodes.ChainIncomplete, trustText));
        }
        else
        {
            diagnostics.Add(Info(DiagnosticCodes.TrustChain, trustText));
        }

        if (protocol is "TLSv1" or "TLSv1.1" or "SSLv3")
        {
            diagnostics.Add(Warning(DiagnosticCodes.WeakProtocol,
                $"The server negotiated {protocol}, which is obsolete (RFC 8996), though it should support TLS 1.2 or 1.3: update its OpenSSL, and allow TLSv1.2 and TLSv1.3 (smtpd_tls_protocols = >=TLSv1.2 from Postfix 3.6). Postfix clients with OpenSSL 3.0 that authenticate the server (dane, verify) cannot complete a {protocol} handshake."));
        }

        return new TlsSessionInfo
        {
            Protocol = protocol,
            CipherSuite = cipher,
            Chain = [.. chain.Select(Describe)],
            ReferenceName = referenceName,
            NameMatches = nameMatches,
            ChainInOrder = inOrder,
            ChainComplete = complete,
            PkixTrusted = trusted,
            DaysToExpiry = days,
        };
    }

    /// <summary>Whether the served chain leads to a root (served, or in the system store), whether that root is trusted, and a sentence.</summary>
    private static (bool Complete, bool Trusted, string Text) Trust(IReadOnlyList<X509Certificate2> chain, DateTimeOffset now)
    {
        using var x509 = new X509Chain();
        var policy = x509.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid
            | X509VerificationFlags.IgnoreNotTimeNested | X509VerificationFlags.IgnoreWrongUsage;
        foreach (var c in chain.Skip(1))
        {
            policy.ExtraStore.Add(c);
        }

        var name = CertificateFacts.ShortName(chain[0]);
        if (x509.Build(chain[0]))
        {
            return (true, true, $"The served chain of {name} leads to {x509.ChainElements[^1].Certificate.Subject}, a root in the system trust store: senders that verify (MTA-STS, ...) can trust it. (For DANE only the TLSA records matter.)");
        }

        var statuses = x509.ChainStatus.Select(s => s.Status).ToHashSet();
        var last = x509.ChainElements.Count > 0 ? x509.ChainElements[^1].Certificate : chain[0];
        if (statuses.Contains(X509ChainStatusFlags.PartialChain))
        {
            return (false, false, $"The served chain of {name} is incomplete: it stops at {last.Subject}, whose issuer ({last.Issuer}) the server does not send and the system trust store does not hold. Serve the intermediate certificates after the server certificate (for Let's Encrypt: fullchain.pem, not cert.pem), then reload Postfix; senders that verify cannot build the chain otherwise.");
        }

        if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot))
        {
            return (true, false, $"The served chain of {name} ends at {last.Subject}, a root that is not in the system trust store (a private CA or a self-signed certificate): fine for opportunistic TLS and DANE, not trusted by senders that verify against public CAs.");
        }

        return (true, false, $"The served chain of {name} does not verify against the system trust store: " + string.Join("; ", x509.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)) + ".");
    }

    private static Diagnostic Warning(string code, string message) => new(DiagnosticSeverity.Warning, code, null, message);

    private static Diagnostic Info(string code, string message) => new(DiagnosticSeverity.Info, code, null, message);
}

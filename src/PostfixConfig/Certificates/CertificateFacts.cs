using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostfixConfig.Certificates;

/// <summary>Facts read from an X.509 certificate: names, usages, issuer links, and its raw public key.</summary>
internal static class CertificateFacts
{
    private const string OidCommonName = "2.5.4.3";
    private const string OidServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string OidClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string OidAnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>The DNS names of the subject alternative name extension.</summary>
    public static IReadOnlyList<string> DnsNames(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                try
                {
                    return [.. san.EnumerateDnsNames()];
                }
                catch (CryptographicException)
                {
                    return [];
                }
            }
        }

        return [];
    }

    /// <summary>The subject's common names (CN), in order.</summary>
    public static IReadOnlyList<string> CommonNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        try
        {
            foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            {
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == OidCommonName && rdn.GetSingleElementValue() is { } cn)
                {
                    names.Add(cn);
                }
            }
        }
        catch (CryptographicException)
        {
            // an undecodable subject has no usable names
        }

        return names;
    }

    /// <summary>
    /// The names a verifying client matches: the DNS SANs, or (as OpenSSL does) the subject's
    /// common names when there are none.
    /// </summary>
    public static IReadOnlyList<string> HostNames(X509Certificate2 certificate)
    {
        var dns = DnsNames(certificate);
        return dns.Count > 0 ? dns : CommonNames(certificate);
    }

    /// <summary>
    /// The extended key usages, or null when the certificate has no such extension (then every
    /// usage is allowed).
    /// </summary>
    public static IReadOnlySet<string>? ExtendedKeyUsages(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension eku)
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                foreach (var oid in eku.EnhancedKeyUsages)
                {
                    if (oid.Value is { } v)
                    {
                        set.Add(v);
                    }
                }

                return set;
            }
        }

        return null;
    }

    /// <summary>Whether the certificate may be used by a TLS server (no EKU, serverAuth, or anyExtendedKeyUsage).</summary>
    public static bool AllowsServerAuth(X509Certificate2 certificate) =>
        ExtendedKeyUsages(certificate) is not { } eku || eku.Contains(OidServerAuth) || eku.Contains(OidAnyExtendedKeyUsage);

    /// <summary>Whether the certificate may be used by a TLS client (no EKU, clientAuth, or anyExtendedKeyUsage).</summary>
    public static bool AllowsClientAuth(X509Certificate2 certificate) =>
        ExtendedKeyUsages(certificate) is not { } eku || eku.Contains(OidClientAuth) || eku.Contains(OidAnyExtendedKeyUsage);

    /// <summary>
    /// Whether every part the checks read decodes: validity dates, names and the extensions they use.
    /// X509CertificateLoader accepts certificates whose parts fail only when read (a damaged date or key
    /// identifier), so the loaders refuse those as invalid certificates up front.
    /// </summary>
    public static bool IsDecodable(X509Certificate2 certificate)
    {
        try
        {
            _ = certificate.NotBefore;
            _ = certificate.NotAfter;
            _ = certificate.Subject;
            _ = certificate.Issuer;
            _ = certificate.SerialNumber;
            foreach (var extension in certificate.Extensions)
            {
                _ = extension switch
                {
                    X509AuthorityKeyIdentifierExtension a => a.KeyIdentifier?.Length ?? 0,
                    X509SubjectKeyIdentifierExtension k => k.SubjectKeyIdentifierBytes.Length,
                    X509BasicConstraintsExtension b => b.CertificateAuthority ? 1 : 0,
                    X509EnhancedKeyUsageExtension u => u.EnhancedKeyUsages.Count,
                    X509KeyUsageExtension u => (int)u.KeyUsages,
                    X509SubjectAlternativeNameExtension n => n.EnumerateDnsNames().Count(),
                    _ => 0,
                };
            }

            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>Whether the certificate is a CA certificate (basic constraints cA = true).</summary>
    public static bool IsCa(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    /// <summary>Whether subject and issuer are the same (and, when both are present, the key identifiers agree).</summary>
    public static bool IsSelfIssued(X509Certificate2 certificate) => IsIssuedBy(certificate, certificate);

    /// <summary>
    /// Whether <paramref name="issuer"/> issued <paramref name="child"/>, judged by names (and by
    /// key identifiers when both certificates carry them), as chain building does.
    /// </summary>
    public static bool IsIssuedBy(X509Certificate2 child, X509Certificate2 issuer)
    {
        if (!child.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
        {
            return false;
        }

        var aki = child.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var ski = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return aki is not { } a || ski is not { } s || a.Span.SequenceEqual(s.Span);
    }

    /// <summary>
    /// The DER SubjectPublicKeyInfo exactly as it appears in the certificate (what Postfix's
    /// public-key fingerprints and TLSA selector 1 digest).
    /// </summary>
    public static byte[] SubjectPublicKeyInfo(X509Certificate2 certificate)
    {
        // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
        //   signature, issuer, validity, subject, subjectPublicKeyInfo, ... }, ... }
        var reader = new AsnReader(certificate.RawData, AsnEncodingRules.DER);
        var tbs = reader.ReadSequence().ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            tbs.ReadEncodedValue();
        }

        tbs.ReadEncodedValue(); // serialNumber
        tbs.ReadEncodedValue(); // signature
        tbs.ReadEncodedValue(); // issuer
        tbs.ReadEncodedValue(); // validity
        tbs.ReadEncodedValue(); // subject
        return tbs.ReadEncodedValue().ToArray();
    }

    /// <summary>A short name for messages: the first DNS name, else the CN, else the whole subject.</summary>
    public static string ShortName(X509Certificate2 certificate)
    {
        var names = HostNames(certificate);
        return names.Count > 0 ? names[0] : certificate.Subject;
    }

    /// <summary>The issuer's CN (or the whole issuer name) for messages.</summary>
    public static string IssuerShortName(X509Certificate2 certificate)
    {
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: true);
        return string.IsNullOrEmpty(cn) ? certificate.Issuer : cn;
    }

    /// <summary>A date for messages (UTC, ISO 8601).</summary>
    public static string Date(DateTime value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The key description of a certificate's public key (<c>RSA 2048-bit</c>, <c>ECDSA P-256</c>).</summary>
    public static string KeyDescription(X509Certificate2 certificate)
    {
        var algorithm = KeyFacts.AlgorithmOf(certificate);
        var size = 0;
        if (algorithm is KeyAlgorithm.Rsa)
        {
            using var rsa = certificate.GetRSAPublicKey();
            size = rsa?.KeySize ?? 0;
        }

        return new KeyFacts(algorithm, size, algorithm is KeyAlgorithm.Ec ? KeyFacts.CurveOf(certificate) : null, null).Description;
    }
}

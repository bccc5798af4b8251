using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostfixConfig.Certificates;

/// <summary>The digest of a certificate or public-key fingerprint (Postfix's <c>*_tls_fingerprint_digest</c>).</summary>
public enum FingerprintDigest
{
    /// <summary>SHA-256, the default from Postfix 3.6 on (with <c>compatibility_level</c> 3.6 or later).</summary>
    Sha256,

    /// <summary>SHA-1.</summary>
    Sha1,

    /// <summary>MD5, the default up to Postfix 3.5; weak, avoid for new pins.</summary>
    Md5,

    /// <summary>SHA-512.</summary>
    Sha512,
}

/// <summary>TLSA certificate usage (RFC 6698); SMTP uses 3 and 2 only (RFC 7672).</summary>
public enum TlsaUsage
{
    /// <summary>0, PKIX-TA: not for SMTP.</summary>
    PkixTa = 0,

    /// <summary>1, PKIX-EE: not for SMTP.</summary>
    PkixEe = 1,

    /// <summary>2, DANE-TA: an issuer (trust anchor) in the chain the server sends.</summary>
    DaneTa = 2,

    /// <summary>3, DANE-EE: the server's own certificate or key.</summary>
    DaneEe = 3,
}

/// <summary>TLSA selector: what is digested.</summary>
public enum TlsaSelector
{
    /// <summary>0, the whole certificate (changes at every renewal).</summary>
    FullCertificate = 0,

    /// <summary>1, the SubjectPublicKeyInfo (survives renewals that keep the key).</summary>
    SubjectPublicKeyInfo = 1,
}

/// <summary>TLSA matching type: how the selected data is given.</summary>
public enum TlsaMatchingType
{
    /// <summary>0, the data itself (not recommended).</summary>
    Full = 0,

    /// <summary>1, SHA-256 of the data (recommended).</summary>
    Sha256 = 1,

    /// <summary>2, SHA-512 of the data.</summary>
    Sha512 = 2,
}

/// <summary>What <see cref="PostfixTls.Tlsa(IReadOnlyList{X509Certificate2}, TlsaOptions)"/> makes records for.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record TlsaOptions
{
    /// <summary>Creates options for the TLS service on <paramref name="host"/> (the MX host name).</summary>
    public TlsaOptions(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
    }

    /// <summary>The MX host name the records are for (<c>mail.example.com</c>).</summary>
    public string Host { get; init; }

    /// <summary>The TCP port (25 for SMTP; 465 or 587 for submission).</summary>
    public int Port { get; init; } = 25;

    /// <summary>
    /// The usage, or <see langword="null"/> for the recommended pair: <c>3 S M</c> for the leaf and
    /// <c>2 S M</c> for each issuing intermediate in the file, so that a renewal with a new key
    /// from the same CA still matches the <c>2</c> records.
    /// </summary>
    public TlsaUsage? Usage { get; init; }

    /// <summary>The selector (default 1, the public key).</summary>
    public TlsaSelector Selector { get; init; } = TlsaSelector.SubjectPublicKeyInfo;

    /// <summary>The matching type (default 1, SHA-256).</summary>
    public TlsaMatchingType MatchingType { get; init; } = TlsaMatchingType.Sha256;
}

/// <summary>One TLSA resource record to publish in DNS (signed with DNSSEC).</summary>
/// <param name="OwnerName">The record's name: <c>_25._tcp.mail.example.com.</c></param>
/// <param name="Usage">The certificate usage.</param>
/// <param name="Selector">The selector.</param>
/// <param name="MatchingType">The matching type.</param>
/// <param name="Data">The association data in lower-case hex.</param>
/// <param name="Certificate">The subject of the certificate it was made from, for humans.</param>
public sealed record TlsaRecord(string OwnerName, TlsaUsage Usage, TlsaSelector Selector, TlsaMatchingType MatchingType, string Data, string Certificate)
{
    /// <summary>The zone file line: <c>_25._tcp.mail.example.com. IN TLSA 3 1 1 &lt;hex&gt;</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{OwnerName} IN TLSA {(int)Usage} {(int)Selector} {(int)MatchingType} {Data}");
}

/// <summary>Fingerprints and TLSA data as Postfix, OpenSSL and DANE tools compute them.</summary>
internal static class Dane
{
    /// <summary>
    /// Postfix's fingerprint form: the digest of the DER certificate (or of its DER
    /// SubjectPublicKeyInfo) as upper-case hex byte pairs joined by colons.
    /// </summary>
    public static string Fingerprint(X509Certificate2 certificate, FingerprintDigest digest, bool publicKey)
    {
        var data = publicKey ? CertificateFacts.SubjectPublicKeyInfo(certificate) : certificate.RawData;
        return string.Join(':', Hash(data, digest).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }

    public static byte[] Hash(byte[] data, FingerprintDigest digest) => digest switch
    {
        FingerprintDigest.Sha1 => SHA1Hash(data),
        FingerprintDigest.Md5 => Md5Hash(data),
        FingerprintDigest.Sha512 => SHA512.HashData(data),
        _ => SHA256.HashData(data),
    };

#pragma warning disable CA5350, CA5351 // Postfix fingerprints may use SHA-1 or MD5 by configuration; they identify, they do not protect.
    private static byte[] SHA1Hash(byte[] data) => SHA1.HashData(data);

    private static byte[] Md5Hash(byte[] data) => MD5.HashData(data);
#pragma warning restore CA5350, CA5351

    /// <summary>The association data of one TLSA record in lower-case hex.</summary>
    public static string AssociationData(X509Certificate2 certificate, TlsaSelector selector, TlsaMatchingType matching)
    {
        var data = selector == TlsaSelector.FullCertificate ? certificate.RawData : CertificateFacts.SubjectPublicKeyInfo(certificate);
        var bytes = matching switch
        {
            TlsaMatchingType.Sha256 => SHA256.HashData(data),
            TlsaMatchingType.Sha512 => SHA512.HashData(data),
            _ => data,
        };
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// The issuing intermediates of the leaf found in <paramref name="chain"/>, in order (the
    /// leaf's issuer first), without self-signed roots.
    /// </summary>
    public static List<X509Certificate2> Intermediates(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain)
    {
        var result = new List<X509Certificate2>();
        var current = leaf;
        while (result.Count < chain.Count)
        {
            var issuer = chain.FirstOrDefault(c => !ReferenceEquals(c, current) && !CertificateFacts.IsSelfIssued(c)
                && CertificateFacts.IsIssuedBy(current, c) && !result.Contains(c));
            if (issuer is null)
            {
                break;
            }

            result.Add(issuer);
            current = issuer;
        }

        return result;
    }

    /// <summary>The owner name <c>_PORT._PROTO.HOST.</c>, or null when the host is not a DNS name.</summary>
    public static string? OwnerName(string host, int port)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.Length == 0 || name.Length > 253 || port is < 1 or > 65535)
        {
            return null;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return null;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"_{port}._tcp.{name}.");
    }
}

using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostfixConfig.Certificates;

/// <summary>Public key algorithms as OpenSSL gives them certificate slots (at most one key each in a chain file list).</summary>
internal enum KeyAlgorithm
{
    Rsa,
    RsaPss,
    Ec,
    Dsa,
    Ed25519,
    Ed448,
    Other,
}

/// <summary>
/// What the checks need to know about a private key: its algorithm, size, and the public key it
/// belongs to (as a SubjectPublicKeyInfo, for comparing with a certificate). The private key
/// itself is not kept.
/// </summary>
internal sealed record KeyFacts(KeyAlgorithm Algorithm, int KeySize, string? Curve, byte[]? PublicKeyInfo)
{
    private const string OidRsa = "1.2.840.113549.1.1.1";
    private const string OidRsaPss = "1.2.840.113549.1.1.10";
    private const string OidEc = "1.2.840.10045.2.1";
    private const string OidDsa = "1.2.840.10040.4.1";
    private const string OidEd25519 = "1.3.101.112";
    private const string OidEd448 = "1.3.101.113";

    /// <summary>The name used in messages: <c>RSA 2048-bit</c>, <c>ECDSA P-256</c>, <c>Ed25519</c>.</summary>
    public string Description => Algorithm switch
    {
        KeyAlgorithm.Rsa => $"RSA {KeySize}-bit",
        KeyAlgorithm.RsaPss => $"RSA-PSS {KeySize}-bit",
        KeyAlgorithm.Ec => Curve is null ? "ECDSA" : $"ECDSA {Curve}",
        KeyAlgorithm.Dsa => "DSA",
        KeyAlgorithm.Ed25519 => "Ed25519",
        KeyAlgorithm.Ed448 => "Ed448",
        _ => "unknown-algorithm",
    };

    /// <summary>The OpenSSL slot name for messages (<c>RSA</c>, <c>ECDSA</c>, ...).</summary>
    public string SlotName => Algorithm switch
    {
        KeyAlgorithm.Rsa => "RSA",
        KeyAlgorithm.RsaPss => "RSA-PSS",
        KeyAlgorithm.Ec => "ECDSA",
        KeyAlgorithm.Dsa => "DSA",
        KeyAlgorithm.Ed25519 => "Ed25519",
        KeyAlgorithm.Ed448 => "Ed448",
        _ => "other",
    };

    /// <summary>
    /// Decodes a private key PEM object (PKCS#8, traditional RSA or EC). Returns null when the bytes
    /// do not decode as a key. The caller wipes the object's bytes.
    /// </summary>
    public static KeyFacts? FromPem(PemObject pem)
    {
        try
        {
            return pem.Label switch
            {
                PemLabels.RsaPrivateKey => FromRsa(rsa => rsa.ImportRSAPrivateKey(pem.Der, out _)),
                PemLabels.EcPrivateKey => FromEc(ec => ec.ImportECPrivateKey(pem.Der, out _)),
                PemLabels.DsaPrivateKey => new KeyFacts(KeyAlgorithm.Dsa, 0, null, null),
                PemLabels.PrivateKey => FromPkcs8(pem.Der),
                _ => null,
            };
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (AsnContentException)
        {
            return null;
        }
        catch (PlatformNotSupportedException)
        {
            return null; // an EC key on a curve OpenSSL does not know (or a damaged curve OID)
        }
    }

    /// <summary>The certificate's public key in the same form as <see cref="PublicKeyInfo"/>, or null for other algorithms.</summary>
    public static byte[]? PublicKeyInfoOf(X509Certificate2 certificate)
    {
        try
        {
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is not null)
            {
                return rsa.ExportSubjectPublicKeyInfo();
            }

            using var ec = certificate.GetECDsaPublicKey();
            return ec?.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The algorithm of a certificate's public key.</summary>
    public static KeyAlgorithm AlgorithmOf(X509Certificate2 certificate) => FromOid(certificate.PublicKey.Oid.Value);

    private static KeyAlgorithm FromOid(string? oid) => oid switch
    {
        OidRsa => KeyAlgorithm.Rsa,
        OidRsaPss => KeyAlgorithm.RsaPss,
        OidEc => KeyAlgorithm.Ec,
        OidDsa => KeyAlgorithm.Dsa,
        OidEd25519 => KeyAlgorithm.Ed25519,
        OidEd448 => KeyAlgorithm.Ed448,
        _ => KeyAlgorithm.Other,
    };

    private static KeyFacts? FromPkcs8(byte[] der)
    {
        // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
        var reader = new AsnReader(der, AsnEncodingRules.BER);
        var info = reader.ReadSequence();
        info.ReadInteger();
        var algorithm = info.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        return FromOid(oid) switch
        {
            KeyAlgorithm.Rsa => FromRsa(rsa => rsa.ImportPkcs8PrivateKey(der, out _)),
            KeyAlgorithm.Ec => FromEc(ec => ec.ImportPkcs8PrivateKey(der, out _)),
            var other => new KeyFacts(other, 0, null, null),
        };
    }

    private static KeyFacts FromRsa(Action<RSA> import)
    {
        using var rsa = RSA.Create();
        import(rsa);
        return new KeyFacts(KeyAlgorithm.Rsa, rsa.KeySize, null, rsa.ExportSubjectPublicKeyInfo());
    }

    private static KeyFacts FromEc(Action<ECDsa> import)
    {
        using var ec = ECDsa.Create();
        import(ec);
        var curve = ec.ExportParameters(false).Curve;
        var name = curve.IsNamed ? CurveName(curve.Oid) : null;
        return new KeyFacts(KeyAlgorithm.Ec, ec.KeySize, name, ec.ExportSubjectPublicKeyInfo());
    }

    private static string? CurveName(Oid oid) => (oid.Value, oid.FriendlyName) switch
    {
        ("1.2.840.10045.3.1.7", _) or (_, "nistP256" or "ECDSA_P256" or "prime256v1") => "P-256",
        ("1.3.132.0.34", _) or (_, "nistP384" or "ECDSA_P384" or "secp384r1") => "P-384",
        ("1.3.132.0.35", _) or (_, "nistP521" or "ECDSA_P521" or "secp521r1") => "P-521",
        _ => oid.FriendlyName ?? oid.Value,
    };

    /// <summary>The curve name of an EC certificate key, for messages.</summary>
    public static string? CurveOf(X509Certificate2 certificate)
    {
        try
        {
            using var ec = certificate.GetECDsaPublicKey();
            if (ec is null)
            {
                return null;
            }

            var curve = ec.ExportParameters(false).Curve;
            return curve.IsNamed ? CurveName(curve.Oid) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}

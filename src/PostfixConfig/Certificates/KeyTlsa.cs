using System.Formats.Asn1;
using System.Security.Cryptography;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Certificates;

/// <summary>
/// The <c>3 1 M</c> record of a bare key, for the next key of a rollover (published before the key
/// is used): the digest of its SubjectPublicKeyInfo. The file is a private key (PKCS#8, traditional
/// RSA or EC) or a public key (SubjectPublicKeyInfo or PKCS#1 RSA), in PEM or DER. Private key bytes
/// are wiped after use and never appear in any output.
/// </summary>
internal static class KeyTlsa
{
    /// <summary>A key file is small; a bigger one is refused, not read.</summary>
    private const int MaxBytes = 1 << 16;

    public static Result<TlsaAssociation> FromFile(string path, TlsaMatchingType matching)
    {
        byte[] bytes;
        try
        {
            bytes = IO.BoundedFile.ReadAllBytes(path, MaxBytes, regularOnly: false);
        }
        catch (IO.InputTooLargeException)
        {
            return Error($"{path} is larger than {MaxBytes} bytes: not a key file.");
        }

        try
        {
            var (spki, why) = PublicKeyInfo(bytes);
            if (spki is null)
            {
                return Error($"{path}: {why}");
            }

            var data = matching switch
            {
                TlsaMatchingType.Sha512 => SHA512.HashData(spki),
                TlsaMatchingType.Full => spki,
                _ => SHA256.HashData(spki),
            };
            return new Result<TlsaAssociation>(
                new TlsaAssociation(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, matching, Convert.ToHexStringLower(data)), DiagnosticList.Empty);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The DER SubjectPublicKeyInfo of the key in <paramref name="bytes"/>, or null and why not.</summary>
    internal static (byte[]? Spki, string Why) PublicKeyInfo(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.IndexOf("-----BEGIN "u8) >= 0)
        {
            var objects = PemReader.Read(span);
            try
            {
                if (objects.FirstOrDefault(o => o.Label is PemLabels.EncryptedPrivateKey || (o.IsPrivateKey && o.HasEncryptionHeader)) is not null)
                {
                    return (null, "the key is protected by a pass phrase. Give the public key instead (openssl pkey -in KEY -pubout -out next.pub).");
                }

                foreach (var o in objects.Where(o => !o.IsMalformed))
                {
                    var spki = o.Label switch
                    {
                        "PUBLIC KEY" => CheckedSpki(o.Der)?.ToArray(), // a copy: the objects are wiped below
                        "RSA PUBLIC KEY" => FromRsaPublic(o.Der),
                        _ when o.IsPrivateKey => KeyFacts.FromPem(o)?.PublicKeyInfo,
                        _ => null,
                    };
                    if (spki is not null)
                    {
                        return (spki, string.Empty);
                    }
                }

                return objects.Any(o => o.IsCertificate)
                    ? (null, "holds a certificate, not a bare key. Make the records of a certificate with 'postfix-config tlsa CERT --host HOST'.")
                    : (null, "holds no private or public key that can be read (PEM PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY, PUBLIC KEY, RSA PUBLIC KEY; RSA and ECDSA keys).");
            }
            finally
            {
                PemReader.Wipe(objects);
            }
        }

        // DER: a public key first, then each private key form.
        var der = CheckedSpki(bytes) ?? FromRsaPublic(bytes);
        if (der is not null)
        {
            return (der, string.Empty);
        }

        foreach (var label in new[] { PemLabels.PrivateKey, PemLabels.RsaPrivateKey, PemLabels.EcPrivateKey })
        {
            if (KeyFacts.FromPem(new PemObject(label, bytes, 1, 1, false, false))?.PublicKeyInfo is { } spki)
            {
                return (spki, string.Empty);
            }
        }

        return (null, "is neither a PEM file with a key nor a DER private or public key (RSA or ECDSA).");
    }

    /// <summary>The bytes when they are exactly one DER SubjectPublicKeyInfo, else null.</summary>
    private static byte[]? CheckedSpki(byte[] der)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var info = reader.ReadSequence();
            var algorithm = info.ReadSequence();
            algorithm.ReadObjectIdentifier();
            info.ReadBitString(out _);
            return !reader.HasData && !info.HasData ? der : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static byte[]? FromRsaPublic(byte[] der)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportRSAPublicKey(der, out var read);
            return read == der.Length ? rsa.ExportSubjectPublicKeyInfo() : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static Result<TlsaAssociation> Error(string message) =>
        new(null, DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.KeyFileUnreadable, null, message)]));
}

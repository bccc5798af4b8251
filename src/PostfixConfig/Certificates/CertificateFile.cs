using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.IO;

namespace PostfixConfig.Certificates;

/// <summary>
/// Reads the certificates of a PEM file (in file order; private keys in it are skipped and their
/// bytes wiped), or of a single DER certificate.
/// </summary>
internal static class CertificateFile
{
    /// <remarks>At most <see cref="PemFile.MaxBytes"/> are read, also from a pipe or device (<c>/dev/stdin</c>).</remarks>
    /// <exception cref="IOException">The file does not exist or cannot be read.</exception>
    public static List<X509Certificate2> Read(string path, List<Diagnostic> diagnostics)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        byte[] data;
        try
        {
            data = BoundedFile.ReadAllBytes(path, PemFile.MaxBytes, regularOnly: false);
        }
        catch (InputTooLargeException e)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.NotPem, null,
                $"{e.Message} That is too large for a certificate file; name the PEM certificate (chain) file."));
            return [];
        }

        try
        {
            var objects = PemReader.Read(data);
            try
            {
                if (objects.Count == 0)
                {
                    try
                    {
                        var der = X509CertificateLoader.LoadCertificate(data);
                        if (!CertificateFacts.IsDecodable(der))
                        {
                            der.Dispose();
                            throw new CryptographicException("a part of the certificate does not decode");
                        }

                        return [der];
                    }
                    catch (CryptographicException)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.NotPem, null,
                            $"{path} holds no PEM certificate (no -----BEGIN CERTIFICATE----- line) and is not a DER certificate. Name the certificate file (for Let's Encrypt: cert.pem or fullchain.pem)."));
                        return [];
                    }
                }

                var certificates = new List<X509Certificate2>();
                foreach (var pem in objects.Where(o => o.IsCertificate))
                {
                    try
                    {
                        var certificate = X509CertificateLoader.LoadCertificate(pem.Der);
                        if (!CertificateFacts.IsDecodable(certificate))
                        {
                            certificate.Dispose();
                            throw new CryptographicException("a part of the certificate does not decode");
                        }

                        certificates.Add(certificate);
                    }
                    catch (CryptographicException)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.NotPem, null,
                            $"{path}: {pem} is not a valid X.509 certificate. Replace the file with an intact copy."));
                        return [];
                    }
                }

                if (certificates.Count == 0)
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MissingKeyOrCertificate, null,
                        $"{path} holds no certificate (only {string.Join(", ", objects.Select(o => o.Label).Distinct(StringComparer.Ordinal))}). Name the certificate file (for Let's Encrypt: cert.pem or fullchain.pem)."));
                }

                return certificates;
            }
            finally
            {
                PemReader.Wipe(objects);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }
}

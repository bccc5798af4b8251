using System.Security.Cryptography;
using PostfixConfig.Diagnostics;
using PostfixConfig.IO;

namespace PostfixConfig.Certificates;

/// <summary>
/// A certificate or key file read from disk as PEM objects. Disposing wipes the decoded bytes
/// (which may be private key material); the file's text is never kept as a string.
/// </summary>
internal sealed class PemFile : IDisposable
{
    /// <summary>Key and certificate files are small; anything larger is not one (1 MiB).</summary>
    public const long MaxBytes = InputLimits.PemBytes;

    private PemFile(string path, List<PemObject> objects)
    {
        Path = path;
        Objects = objects;
    }

    public string Path { get; }

    public List<PemObject> Objects { get; }

    public void Dispose() => PemReader.Wipe(Objects);

    /// <summary>
    /// Reads <paramref name="path"/>, reporting a missing, unreadable, oversized or PEM-less file
    /// through <paramref name="context"/>. Returns null when there is nothing to check.
    /// </summary>
    public static PemFile? Read(string path, CheckContext context, out bool notReadableAsUser)
    {
        notReadableAsUser = false;
        if (Directory.Exists(path))
        {
            context.Error(DiagnosticCodes.CertificateFileUnreadable,
                $"{path} is a folder, not a file. Name the PEM file inside it (for Let's Encrypt: {System.IO.Path.Combine(path, "privkey.pem")} and {System.IO.Path.Combine(path, "fullchain.pem")}).");
            return null;
        }

        if (!File.Exists(path))
        {
            context.Error(DiagnosticCodes.CertificateFileMissing,
                $"{path} does not exist; Postfix would disable TLS. Correct the path, or create the file (a private key and its certificate chain in PEM).");
            return null;
        }

        byte[] data;
        try
        {
            if (!BoundedFile.IsRegularFile(path))
            {
                context.Error(DiagnosticCodes.CertificateFileUnreadable,
                    $"{path} is not a regular file (a FIFO, device or socket), so it was not opened; Postfix could block or read garbage. Name the PEM file that holds the key or certificate chain.");
                return null;
            }

            data = BoundedFile.ReadAllBytes(path, MaxBytes, regularOnly: false);
        }
        catch (InputTooLargeException e)
        {
            context.Error(DiagnosticCodes.NotPem,
                $"{e.Message} Key and certificate PEM files are a few kilobytes; name the PEM file that holds the key or certificate chain.");
            return null;
        }
        catch (UnauthorizedAccessException) when (!Environment.IsPrivilegedProcess)
        {
            notReadableAsUser = true;
            context.Info(DiagnosticCodes.CertificateFileNotReadableAsUser,
                $"{path} cannot be read as user {Environment.UserName}, so its contents were not checked (Postfix reads it as root). Run the check as root to check it.");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error(DiagnosticCodes.CertificateFileUnreadable,
                $"{path} cannot be read ({e.Message}); Postfix would disable TLS. Make it a regular file readable by root.");
            return null;
        }

        try
        {
            var objects = PemReader.Read(data);
            if (objects.Count == 0)
            {
                var hint = data.Length > 0 && data[0] == 0x30
                    ? " It looks like binary DER (or PKCS#12); convert it to PEM, for example: openssl x509 -inform DER -in FILE -out FILE.pem (a certificate) or openssl pkey -inform DER -in FILE -out FILE.pem (a key)."
                    : data.Length == 0 ? " The file is empty." : string.Empty;
                context.Error(DiagnosticCodes.NotPem,
                    $"{path} holds no PEM data (no -----BEGIN ...----- line).{hint} Postfix needs PEM files: a private key and its certificate chain.");
                return null;
            }

            foreach (var malformed in objects.Where(o => o.IsMalformed))
            {
                context.Error(DiagnosticCodes.NotPem,
                    $"{path}: PEM object {malformed.Index} ({malformed.Label}, line {malformed.Line}) is damaged (no matching END line, or invalid base64). Replace the file with an intact copy.");
            }

            if (objects.Any(o => o.IsMalformed))
            {
                PemReader.Wipe(objects);
                return null;
            }

            return new PemFile(path, objects);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Certificates;

/// <summary>
/// <c>--check-files</c> on the CA files (<c>smtp_tls_CAfile</c>, <c>smtpd_tls_CAfile</c>,
/// <c>lmtp_tls_CAfile</c>): a file that holds no CA certificate at all (only leaf certificates), or that
/// holds this server's own certificate, cannot anchor a chain, so every destination (or client) whose
/// certificate Postfix verifies fails. One finding per file.
/// </summary>
internal static class CaFileCheck
{
    private static readonly string[] CaFileParameters = ["smtp_tls_CAfile", "smtpd_tls_CAfile", "lmtp_tls_CAfile"];

    private static readonly string[] ServerCertificateParameters = ["smtpd_tls_chain_files", "smtpd_tls_cert_file", "smtpd_tls_eccert_file"];

    public static void Run(TlsConfiguration config, ParameterExpander expander, List<Diagnostic> output)
    {
        var own = OwnCertificates(config, expander);
        foreach (var parameter in CaFileParameters)
        {
            if (!config.Main.TryGetValue(parameter, out var value) || expander.Expand(value.Text, out _) is not { Length: > 0 } path
                || !Path.IsPathRooted(path) || Load(path) is not { Count: > 0 } certificates)
            {
                continue; // unset, unknown, or unreadable: the file checks of the credentials say nothing about it either
            }

            using var held = new Disposer(certificates);
            var isOwn = certificates.Any(c => own.Contains(Convert.ToHexString(c.RawData)));
            var anyCa = certificates.Any(IsCa);
            if (anyCa && !isOwn)
            {
                continue;
            }

            var whose = parameter.StartsWith("smtpd", StringComparison.Ordinal)
                ? "clients whose certificates smtpd verifies (smtpd_tls_ask_ccert, permit_tls_clientcerts) are not trusted"
                : "destinations whose certificates Postfix verifies (levels verify, secure, fingerprint-less policy entries, MTA-STS) fail and their mail waits in the queue";
            var what = isOwn && !anyCa
                ? $"{path} holds this server's own certificate and no CA certificate"
                : isOwn
                    ? $"{path} holds this server's own certificate besides CA certificates"
                    : $"{path} holds only leaf certificates ({certificates.Count} of them) and no CA certificate";
            output.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.CaFileWithoutCa, parameter,
                $"{parameter}: {what}; a CA file is where chains end, so {whose}. Name a CA bundle instead (Debian: /etc/ssl/certs/ca-certificates.crt), or the issuing CA's certificate.",
                value.Span));
        }
    }

    /// <summary>Whether a certificate can anchor a chain: a CA by its basic constraints, or a self-signed one without them (an old v1 root).</summary>
    internal static bool IsCa(X509Certificate2 c)
    {
        foreach (var extension in c.Extensions)
        {
            if (extension is X509BasicConstraintsExtension basic)
            {
                return basic.CertificateAuthority;
            }
        }

        return c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData);
    }

    /// <summary>The server's own leaf certificates (first certificate of each credential file), as hex DER.</summary>
    private static HashSet<string> OwnCertificates(TlsConfiguration config, ParameterExpander expander)
    {
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in ServerCertificateParameters)
        {
            if (!config.Main.TryGetValue(parameter, out var value) || expander.Expand(value.Text, out _) is not { } text)
            {
                continue;
            }

            foreach (var file in Text.PostfixText.SplitList(text).Where(Path.IsPathRooted))
            {
                if (Load(file) is { Count: > 0 } certificates)
                {
                    using var held = new Disposer(certificates);
                    own.Add(Convert.ToHexString(certificates[0].RawData));
                }
            }
        }

        return own;
    }

    private static List<X509Certificate2>? Load(string path)
    {
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(IO.BoundedFile.ReadAllBytes(path, 16L << 20, regularOnly: true));
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(text);
            return [.. collection];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return null;
        }
    }

    private sealed class Disposer(List<X509Certificate2> certificates) : IDisposable
    {
        public void Dispose() => certificates.ForEach(c => c.Dispose());
    }
}

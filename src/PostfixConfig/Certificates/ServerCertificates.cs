using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Certificates;

/// <summary>
/// The SMTP server's certificate chains, read from the files main.cf names
/// (<c>smtpd_tls_chain_files</c>, else <c>smtpd_tls_cert_file</c> and <c>smtpd_tls_eccert_file</c>):
/// one chain per leaf (an RSA and an ECDSA certificate give two), each leaf first, then the CA
/// certificates that follow it. Private keys in the files are skipped. For the published policy's
/// checks and the TLSA records of <c>dns-records.zone</c>; the files themselves are judged by
/// <see cref="CertificateChecker"/>.
/// </summary>
internal sealed class ServerCertificates : IDisposable
{
    private ServerCertificates(List<List<X509Certificate2>> chains, string files)
    {
        Chains = chains;
        Files = files;
    }

    /// <summary>Each leaf certificate followed by its CA certificates, in file order.</summary>
    public List<List<X509Certificate2>> Chains { get; }

    /// <summary>The files read, for messages.</summary>
    public string Files { get; }

    /// <summary>The leaf certificates' DNS names (subjectAltName, else the common name).</summary>
    public IEnumerable<string> LeafNames => Chains.SelectMany(c => CertificateFacts.HostNames(c[0])).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the server's certificates, or returns <see langword="null"/> with <paramref name="problem"/>
    /// saying why not (no file named, an unresolved <c>$name</c>, a relative path, a file that cannot be
    /// read or holds no certificate).
    /// </summary>
    public static ServerCertificates? Read(ParameterMap main, string configDirectory, out string? problem)
    {
        problem = null;
        var expander = new ParameterExpander(main, configDirectory);
        var parameters = main.ContainsKey("smtpd_tls_chain_files") ? ["smtpd_tls_chain_files"] : new[] { "smtpd_tls_cert_file", "smtpd_tls_eccert_file" };
        var files = new List<string>();
        foreach (var parameter in parameters)
        {
            if (main.GetText(parameter) is not { } text)
            {
                continue;
            }

            if (expander.Expand(text, out var unresolved) is not { } expanded)
            {
                problem = $"{parameter} = {text}: {unresolved} is not set in this configuration, so the file is unknown";
                return null;
            }

            files.AddRange(PostfixText.SplitList(expanded).Where(f => f != "none"));
        }

        if (files.Count == 0)
        {
            problem = "no server certificate is configured (smtpd_tls_chain_files or smtpd_tls_cert_file)";
            return null;
        }

        if (files.FirstOrDefault(f => !Path.IsPathRooted(f)) is { } relative)
        {
            problem = $"{relative} is a relative path";
            return null;
        }

        var chains = new List<List<X509Certificate2>>();
        foreach (var file in files)
        {
            List<X509Certificate2> certificates;
            try
            {
                certificates = CertificateFile.Read(file, []);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Dispose(chains);
                problem = $"{file} cannot be read ({e.Message.TrimEnd('.')})";
                return null;
            }

            foreach (var certificate in certificates)
            {
                if (!CertificateFacts.IsCa(certificate) || chains.Count == 0)
                {
                    chains.Add([certificate]);
                }
                else
                {
                    chains[^1].Add(certificate);
                }
            }
        }

        if (chains.Count == 0)
        {
            problem = $"{string.Join(", ", files)} hold no certificate";
            return null;
        }

        return new ServerCertificates(chains, string.Join(", ", files));
    }

    /// <inheritdoc />
    public void Dispose() => Dispose(Chains);

    private static void Dispose(List<List<X509Certificate2>> chains)
    {
        foreach (var certificate in chains.SelectMany(c => c))
        {
            certificate.Dispose();
        }
    }
}

/// <summary>
/// With <c>--check-files</c>: every MX pattern of the published MTA-STS policy covers a name of the
/// server's certificate, since senders that enforce the policy check the MX host's certificate
/// against the MX host name (RFC 8461 section 4.2).
/// </summary>
internal static class PublishedPolicyCheck
{
    public static void Check(TlsConfiguration config, CertificateCheckOptions options, List<Diagnostic> output)
    {
        if (config.Publish?.MtaSts is not { Mode: not MtaStsMode.None } policy || policy.Mx.IsEmpty)
        {
            return;
        }

        using var certificates = ServerCertificates.Read(config.Main, options.ConfigDirectory, out var problem);
        if (certificates is null)
        {
            output.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.NotChecked, "publish.mta_sts.mx",
                $"The MX patterns of the published policy were not checked against the server certificate: {problem}.", policy.MxSpan ?? policy.Span));
            return;
        }

        var names = certificates.LeafNames.ToList();
        for (var i = 0; i < policy.Mx.Length; i++)
        {
            var pattern = policy.Mx[i];
            if (!names.Any(n => MtaSts.PolicySyntax.CoversCertificateName(pattern, n)))
            {
                output.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.PublishedMxNotInCertificate, "publish.mta_sts.mx",
                    $"The mx pattern {pattern} covers no name of the server certificate ({certificates.Files}: {(names.Count == 0 ? "no DNS name" : string.Join(", ", names))}): senders that enforce the policy check the MX host's certificate against its name and would refuse this host under {pattern}. Get a certificate that includes the MX host name, or, if another host serves {pattern}, check its certificate there.",
                    policy.SpanOfMx(i)));
            }
        }
    }
}

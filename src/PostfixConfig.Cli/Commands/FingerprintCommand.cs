using System.CommandLine;
using PostfixConfig.Certificates;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>fingerprint CERT.pem [--digest sha256|sha1|md5|sha512] [--public-key]</c>: the certificate
/// (or public-key) fingerprint in Postfix's form, for a <c>fingerprint</c> policy entry's <c>match</c>.
/// </summary>
internal static class FingerprintCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string>("CERT")
        {
            Description = "A PEM certificate file (of a chain file, the first certificate: the leaf) or a DER certificate.",
        };
        var digest = new Option<string>("--digest")
        {
            Description = "The digest; use the one smtp_tls_fingerprint_digest names (sha256 by default since Postfix 3.6, md5 before).",
            DefaultValueFactory = _ => "sha256",
        }.AcceptOnlyFromAmong("sha256", "sha1", "md5", "sha512");
        var publicKey = new Option<bool>("--public-key")
        {
            Description = "Digest the public key (SubjectPublicKeyInfo) instead of the whole certificate; survives renewals that keep the key.",
        };
        var command = new Command("fingerprint",
            "Print a certificate's fingerprint as Postfix writes it (AB:CD:...), for smtp_tls_fingerprint_cert_match or a policy entry's match attribute.")
        {
            file, digest, publicKey,
        };
        command.SetAction(parse =>
        {
            var algorithm = parse.GetValue(digest) switch
            {
                "sha1" => FingerprintDigest.Sha1,
                "md5" => FingerprintDigest.Md5,
                "sha512" => FingerprintDigest.Sha512,
                _ => FingerprintDigest.Sha256,
            };
            var result = PostfixTls.FingerprintFile(parse.GetRequiredValue(file), algorithm, parse.GetValue(publicKey));
            DiagnosticPrinter.Print(result.Diagnostics, OutputFormat.Text, io.Error);
            if (result.HasErrors)
            {
                return CliApp.Invalid;
            }

            io.Out.WriteLine(result.Value);
            return CliApp.Ok;
        });
        return command;
    }
}

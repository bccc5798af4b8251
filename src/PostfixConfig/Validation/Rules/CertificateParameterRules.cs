using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Certificate and key parameters of every TLS component, by name and release (file contents are
/// checked elsewhere): <c>*_tls_chain_files</c> together with the legacy certificate and key
/// parameters, a key without its certificate (a key that defaults to its certificate file is fine),
/// and obsolete DSA files.
/// </summary>
internal sealed class CertificateParameterRules : RuleSet
{
    /// <summary>Parameter name prefixes of the components that load certificates.</summary>
    private static readonly string[] Prefixes = ["smtpd_tls_", "smtp_tls_", "lmtp_tls_", "postscreen_tls_", "tlsproxy_tls_", "tlsproxy_client_"];

    private static readonly (string Cert, string Key, string Algorithm)[] Pairs =
    [
        ("cert_file", "key_file", "RSA"),
        ("eccert_file", "eckey_file", "ECDSA"),
        ("dcert_file", "dkey_file", "DSA"),
    ];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var prefix in Prefixes)
        {
            var chain = prefix + "chain_files";
            var chainSet = t.Knows(chain) && t.Resolve(chain) is { Length: > 0 };
            foreach (var (certSuffix, keySuffix, algorithm) in Pairs)
            {
                var cert = prefix + certSuffix;
                var key = prefix + keySuffix;
                if (!t.Knows(cert))
                {
                    continue;
                }

                var certValue = t.Resolve(cert);
                if (chainSet)
                {
                    foreach (var name in new[] { cert, key }.Where(n => t.IsSet(n) && t.Knows(n) && t.Resolve(n) is { Length: > 0 }))
                    {
                        context.Warning(DiagnosticCodes.ChainFilesOverrideLegacyFiles, name,
                            $"{name} is ignored because {chain} is set{(name == cert ? " (Postfix logs a warning about it)" : string.Empty)}. "
                            + $"Put the {algorithm} key and its certificate chain into {chain} and remove {name}.",
                            t.SpanOf(name));
                    }
                }
                else if (t.IsSet(key) && t.Knows(key) && t.Resolve(key) is { Length: > 0 } && certValue is { Length: 0 })
                {
                    context.Warning(DiagnosticCodes.KeyWithoutCertificate, key,
                        $"{key} is set but {cert} is empty, so the key is never loaded. Set {cert} to the matching certificate"
                        + (t.Knows(chain) ? $", or put key and certificate into {chain}." : "."),
                        t.SpanOf(key));
                }

                if (algorithm == "DSA" && new[] { cert, key }.FirstOrDefault(n => t.IsSet(n) && t.Knows(n) && t.Resolve(n) is { Length: > 0 }) is { } dsa)
                {
                    context.Warning(DiagnosticCodes.DsaObsolete, dsa,
                        $"{dsa} configures a DSA certificate or key; DSA is obsolete and the cipher lists of Postfix {Thresholds.CipherListsWithoutDsa.Describe()} and later exclude it. "
                        + $"Use an RSA or ECDSA certificate ({prefix}cert_file / {prefix}eccert_file{(t.Knows(chain) ? $" or {chain}" : string.Empty)}) and remove {dsa}.",
                        t.SpanOf(dsa));
                }
            }
        }
    }
}

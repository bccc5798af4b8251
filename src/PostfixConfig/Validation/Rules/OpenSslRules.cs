using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Settings handed to OpenSSL: the OpenSSL configuration file (3.9 and back-ports), DH parameters
/// (<c>auto</c> from 3.7), key-exchange groups, session tickets, the system CA store, the
/// fast-shutdown name of a few patch releases, and TLS log levels.
/// </summary>
internal sealed class OpenSslRules : RuleSet
{
    /// <summary>Group names OpenSSL 1.1.1-3.5 know for key exchange (unknown names are skipped by Postfix).</summary>
    private static readonly string[] KnownGroups =
    [
        "X25519", "X448", "prime256v1", "secp256r1", "secp384r1", "secp521r1", "P-256", "P-384", "P-521",
        "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "brainpoolP256r1tls13", "brainpoolP384r1tls13", "brainpoolP512r1tls13",
        "X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024", "X448MLKEM1024", "MLKEM512", "MLKEM768", "MLKEM1024",
        "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192",
    ];

    private static readonly string[] ServerCaParameters = ["smtpd_tls_CAfile", "smtpd_tls_CApath"];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        CheckConfigFile(context, t);
        CheckDhParameters(context, t);
        CheckGroups(context, t);
        CheckNotes(context, t);
        CheckLoglevels(context, t);
    }

    private static void CheckConfigFile(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        const string Name = "tls_config_file";
        if (!t.IsSet(Name) || !t.Knows(Name) || t.Resolve(Name) is not { } value)
        {
            return;
        }

        if (value.Equals("none", StringComparison.Ordinal))
        {
            context.Info(DiagnosticCodes.DeploymentNote, Name,
                "tls_config_file = none (no OpenSSL configuration file) needs OpenSSL 1.1.1b or later.", t.SpanOf(Name));
        }
        else if (!value.Equals("default", StringComparison.Ordinal) && !value.StartsWith('/'))
        {
            context.Warning(DiagnosticCodes.InvalidTlsConfigFile, Name,
                $"tls_config_file = {value} is neither default, none nor an absolute file name; a file OpenSSL cannot load disables TLS. Write default, none, or /etc/postfix/openssl.cnf-style absolute path.",
                t.SpanOf(Name));
        }
        else if (value.StartsWith('/'))
        {
            context.Info(DiagnosticCodes.DeploymentNote, Name,
                "A tls_config_file other than the default needs OpenSSL 1.1.1b or later; if the file cannot be loaded, Postfix disables TLS.", t.SpanOf(Name));
        }
    }

    private static void CheckDhParameters(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var name in new[] { "smtpd_tls_dh1024_param_file", "tlsproxy_tls_dh1024_param_file", "postscreen_tls_dh1024_param_file" })
        {
            if (t.IsSet(name) && t.Knows(name) && t.Resolve(name) == "auto" && !t.AtLeast(Thresholds.DhParamAuto))
            {
                context.Warning(DiagnosticCodes.ValueTreatedDifferently, name,
                    $"{name} = auto means \"let OpenSSL choose\" only from Postfix {Thresholds.DhParamAuto.Describe()}; {t.Release} takes 'auto' as a file name, logs a warning and uses its built-in group. Remove the setting.",
                    t.SpanOf(name));
            }
        }
    }

    private static void CheckGroups(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var name in new[] { "tls_eecdh_auto_curves", "tls_ffdhe_auto_groups" })
        {
            if (!t.IsSet(name) || !t.Knows(name) || t.Resolve(name) is not { } value)
            {
                continue;
            }

            var unknown = PostfixText.SplitList(value, colon: true)
                .Where(g => !KnownGroups.Contains(g.TrimStart('?'), StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                context.Info(DiagnosticCodes.DeploymentNote, name,
                    $"{string.Join(", ", unknown)} in {name} {(unknown.Count == 1 ? "is not a group" : "are not groups")} that common OpenSSL versions know; Postfix skips unknown names silently. Check the spelling against 'openssl list -tls-groups'.",
                    t.SpanOf(name));
            }

            if (value.Length == 0 && name == "tls_eecdh_auto_curves" && t.AtLeast(Thresholds.EmptyGroupsUseOpenSsl)
                && (!t.Knows("tls_ffdhe_auto_groups") || t.Resolve("tls_ffdhe_auto_groups") is { Length: 0 }))
            {
                context.Info(DiagnosticCodes.DeploymentNote, name,
                    "With tls_eecdh_auto_curves (and tls_ffdhe_auto_groups) empty, the key-exchange groups come from the OpenSSL configuration, not from Postfix.",
                    t.SpanOf(name));
            }
        }
    }

    private static void CheckNotes(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        if (t.IsSet("tls_session_ticket_cipher") && t.Knows("tls_session_ticket_cipher") && t.Resolve("tls_session_ticket_cipher") is { Length: 0 })
        {
            context.Info(DiagnosticCodes.DeploymentNote, "tls_session_ticket_cipher",
                "An empty tls_session_ticket_cipher turns TLS session tickets off; servers then resume sessions only through the session cache.",
                t.SpanOf("tls_session_ticket_cipher"));
        }

        if (t.Catalog.Find("tls_append_default_CA") is { } appendCa && !appendCa.Since.IsSatisfiedBy(t.Version))
        {
            foreach (var name in ServerCaParameters.Where(n => t.IsSet(n) && t.HasValue(n)))
            {
                context.Info(DiagnosticCodes.DeploymentNote, name,
                    $"{t.Release} always trusts the system's default CAs in addition to {name} (tls_append_default_CA = no only exists from {appendCa.Since.Describe()}); "
                    + "with permit_tls_all_clientcerts any certificate from a public CA is accepted. Use permit_tls_clientcerts with relay_clientcerts instead.",
                    t.SpanOf(name));
                break;
            }
        }

        if (Thresholds.FastShutdownOldName.Contains(t.Version) && t.IsSet("tls_fast_shutdown_enable"))
        {
            context.Info(DiagnosticCodes.DeploymentNote, "tls_fast_shutdown_enable",
                $"The code of {t.Release} reads this setting as tls_fast_shutdown (the name changed in the next patch release); write tls_fast_shutdown for this release.",
                t.SpanOf("tls_fast_shutdown_enable"));
        }
    }

    private static void CheckLoglevels(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (name, _) in t.Config.Main)
        {
            if (!name.EndsWith("_tls_loglevel", StringComparison.Ordinal) || !t.Knows(name) || t.Resolve(name) is not { } text)
            {
                continue;
            }

            var number = text.Split(',')[0].Trim();
            if (int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var level) && level is >= 2 and <= 4)
            {
                context.Info(DiagnosticCodes.DeploymentNote, name,
                    $"{name} = {level} is for debugging: it logs {(level >= 3 ? "hex dumps of the TLS traffic" : "every handshake step")}. Use 1 for normal operation.",
                    t.SpanOf(name));
            }
        }
    }
}

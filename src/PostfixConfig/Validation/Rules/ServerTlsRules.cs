using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// The SMTP server side (smtpd, postscreen and tlsproxy's server role): levels the server does not
/// implement, mandatory TLS on the public MX (RFC 3207), wrapper mode in main.cf, certificates needed
/// for STARTTLS, anonymous TLS and TLS 1.3, <c>smtpd_tls_auth_only</c> and <c>smtpd_tls_req_ccert</c>
/// without the TLS they depend on.
/// </summary>
internal sealed class ServerTlsRules : RuleSet
{
    /// <summary>The settings that turn server TLS on, in the order a message names them.</summary>
    private static readonly string[] Triggers = ["smtpd_tls_security_level", "smtpd_use_tls", "smtpd_enforce_tls", "smtpd_tls_wrappermode"];

    private static readonly TlsFamily[] Servers = [TlsFamily.Smtpd, TlsFamily.Postscreen, TlsFamily.TlsproxyServer];

    /// <summary>
    /// Whether <paramref name="word"/> is a client-only level that a server level parameter accepts
    /// with a warning and treats as <c>encrypt</c> (<c>fingerprint</c> from 2.5, <c>verify</c>, <c>secure</c>).
    /// </summary>
    public static bool ActsAsEncrypt(ValidationTarget t, string parameter, string word)
    {
        if (!IsServerLevel(parameter) || t.Catalog.Find(TlsFamily.Smtp.Level) is not { } client)
        {
            return false;
        }

        var found = client.FindValue(word.Trim());
        return found is not null && found.Since.IsSatisfiedBy(t.Version)
            && LevelsActingAsEncrypt.Contains(found.Value, StringComparer.Ordinal);
    }

    /// <summary>The client-only levels that a server level parameter treats as <c>encrypt</c> (with a warning).</summary>
    internal static readonly string[] LevelsActingAsEncrypt = ["fingerprint", "verify", "secure"];

    /// <summary>Whether <paramref name="parameter"/> is the security level of a server role (smtpd, postscreen, tlsproxy).</summary>
    internal static bool IsServerLevel(string parameter) => Servers.Any(f => f.Level == parameter);

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var family in Servers)
        {
            CheckClientOnlyLevel(context, t, family);
        }

        // For a master.cf service (main.cf plus its -o overrides) the service rules judge mandatory
        // TLS and wrapper mode by the service's role; these rules are about main.cf itself.
        var mainCf = t.Service is null;
        if (mainCf)
        {
            CheckPublicMx(context, t);
        }

        var wrapper = t.Knows("smtpd_tls_wrappermode") && t.Flag("smtpd_tls_wrappermode") == true;
        if (wrapper && t.IsSet("smtpd_tls_wrappermode") && mainCf)
        {
            context.Warning(DiagnosticCodes.ServerWrapperModeInMainCf, "smtpd_tls_wrappermode",
                "smtpd_tls_wrappermode = yes in main.cf makes every smtpd service, the port 25 MX included, expect TLS before SMTP, so ordinary mail "
                + "is refused. Remove it from main.cf and set '-o smtpd_tls_wrappermode=yes' on the submissions (port 465) service in master.cf.",
                t.SpanOf("smtpd_tls_wrappermode"));
            if (t.IsSet("smtpd_tls_security_level"))
            {
                context.Info(DiagnosticCodes.SettingHasNoEffect, "smtpd_tls_security_level",
                    "With smtpd_tls_wrappermode = yes the server ignores smtpd_tls_security_level: TLS is always mandatory.",
                    t.SpanOf("smtpd_tls_security_level"));
            }
        }

        var level = TlsFamily.Smtpd.EffectiveLevel(t);
        var mandatory = wrapper || level is "encrypt" || (level is not null && ActsAsEncrypt(t, TlsFamily.Smtpd.Level, level));
        var offered = mandatory || level is "may";
        CheckAuthOnly(context, t, level, wrapper, mandatory);
        CheckRequireClientCert(context, t, level, mandatory);
        if (offered)
        {
            CheckCertificates(context, t, mandatory);
        }

        if (mandatory && mainCf && (t.IsSet("smtpd_tls_security_level") || t.IsSet("smtpd_enforce_tls")))
        {
            var set = t.IsSet("smtpd_tls_security_level") ? "smtpd_tls_security_level" : "smtpd_enforce_tls";
            context.Info(DiagnosticCodes.DeploymentNote, set,
                "Local 'sendmail -bs' sessions are never offered STARTTLS (that smtpd process cannot read the private key) "
                + "and the TLS requirement does not apply to them; nothing to change.",
                t.SpanOf(set));
        }

        if (t.Flag("smtpd_tls_received_header") == true && t.IsSet("smtpd_tls_received_header"))
        {
            context.Info(DiagnosticCodes.DeploymentNote, "smtpd_tls_received_header",
                "smtpd_tls_received_header adds the TLS protocol and cipher (and a client certificate's names) to Received: headers; "
                + "it is informational only, because earlier hops can forge such headers.",
                t.SpanOf("smtpd_tls_received_header"));
        }
    }

    private static void CheckClientOnlyLevel(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsFamily family)
    {
        if (!t.IsSet(family.Level) || !t.Knows(family.Level) || t.Resolve(family.Level) is not { Length: > 0 } word || !ActsAsEncrypt(t, family.Level, word))
        {
            return;
        }

        context.Warning(DiagnosticCodes.ServerLevelActsAsEncrypt, family.Level,
            $"{family.Component} does not implement level '{word}': Postfix logs a warning and uses encrypt. Write 'encrypt' "
            + "(and only on submission services), or 'may' for the public MX; client certificates are requested with smtpd_tls_ask_ccert.",
            t.SpanOf(family.Level));
    }

    /// <summary>RFC 3207: a publicly referenced MX must not require STARTTLS.</summary>
    private static void CheckPublicMx(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        const string Advice = "RFC 3207 forbids requiring STARTTLS on a publicly referenced MX, and main.cf applies to the port 25 service too. "
            + "Write {0} = may in main.cf and require TLS only where clients log in: '-o smtpd_tls_security_level=encrypt' on the submission (587) service "
            + "in master.cf, or '-o smtpd_tls_wrappermode=yes' on submissions (465).";
        foreach (var family in new[] { TlsFamily.Smtpd, TlsFamily.Postscreen })
        {
            if (!t.Knows(family.Level) && !t.Knows(family.Enforce))
            {
                continue;
            }

            var levelSet = t.Knows(family.Level) && t.IsSet(family.Level);
            var level = levelSet ? t.Resolve(family.Level) : null;
            if (level is { Length: > 0 })
            {
                if (level.Equals("encrypt", StringComparison.OrdinalIgnoreCase) || ActsAsEncrypt(t, family.Level, level))
                {
                    context.Warning(DiagnosticCodes.MandatoryTlsOnPublicMx, family.Level,
                        $"{family.Level} = {level} makes {family.Component} refuse mail without TLS. " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Advice, family.Level),
                        t.SpanOf(family.Level));
                }

                continue;
            }

            if ((level is null && levelSet) || !t.IsSet(family.Enforce) || t.Flag(family.Enforce) != true)
            {
                continue; // unknown, or the legacy switch is off
            }

            if (family.EffectiveLevel(t) == "encrypt")
            {
                context.Warning(DiagnosticCodes.MandatoryTlsOnPublicMx, family.Enforce,
                    $"{family.Enforce} = yes makes {family.Component} refuse mail without TLS. "
                    + string.Format(System.Globalization.CultureInfo.InvariantCulture, Advice, t.Knows(family.Level) ? family.Level : family.Use),
                    t.SpanOf(family.Enforce));
            }
        }
    }

    private static void CheckAuthOnly(ValidationContext<ValidationTarget> context, ValidationTarget t, string? level, bool wrapper, bool mandatory)
    {
        if (!t.IsSet("smtpd_tls_auth_only"))
        {
            return;
        }

        var authOnly = t.Flag("smtpd_tls_auth_only");
        if (authOnly == true && level == "none" && !wrapper)
        {
            context.Warning(DiagnosticCodes.AuthOnlyWithoutTls, "smtpd_tls_auth_only",
                "smtpd_tls_auth_only = yes offers SASL AUTH only after STARTTLS, but the server offers no TLS, so no client can log in. "
                + $"Turn TLS on ({(t.Knows("smtpd_tls_security_level") ? "smtpd_tls_security_level = may" : "smtpd_use_tls = yes")} and a certificate) or remove smtpd_tls_auth_only.",
                t.SpanOf("smtpd_tls_auth_only"));
        }
        else if (authOnly == false && mandatory)
        {
            context.Info(DiagnosticCodes.SettingHasNoEffect, "smtpd_tls_auth_only",
                "smtpd_tls_auth_only = no has no effect: with mandatory TLS (level encrypt or wrapper mode) the server always offers AUTH only after STARTTLS. Remove it.",
                t.SpanOf("smtpd_tls_auth_only"));
        }
    }

    private static void CheckRequireClientCert(ValidationContext<ValidationTarget> context, ValidationTarget t, string? level, bool mandatory)
    {
        if (!t.IsSet("smtpd_tls_req_ccert") || t.Flag("smtpd_tls_req_ccert") != true || level is null || mandatory)
        {
            return;
        }

        context.Warning(DiagnosticCodes.ClientCertWithoutMandatoryTls, "smtpd_tls_req_ccert",
            "smtpd_tls_req_ccert = yes is ignored unless TLS is mandatory (Postfix logs \"Can't require client certs unless TLS is required\"); "
            + "it then only asks for a certificate. Use smtpd_tls_ask_ccert = yes, or require TLS on a submission service in master.cf "
            + "('-o smtpd_tls_security_level=encrypt -o smtpd_tls_req_ccert=yes').",
            t.SpanOf("smtpd_tls_req_ccert"));
    }

    private static void CheckCertificates(ValidationContext<ValidationTarget> context, ValidationTarget t, bool mandatory)
    {
        var cert = t.Resolve("smtpd_tls_cert_file");
        var anonymous = cert is not null && cert.Equals("none", StringComparison.OrdinalIgnoreCase) && t.AtLeast(Thresholds.ServerCertNone);
        string?[] files =
        [
            anonymous ? string.Empty : cert,
            t.Knows("smtpd_tls_eccert_file") ? t.Resolve("smtpd_tls_eccert_file") : string.Empty,
            t.Resolve("smtpd_tls_dcert_file"),
            t.Knows("smtpd_tls_chain_files") ? t.Resolve("smtpd_tls_chain_files") : string.Empty,
        ];
        if (files.Any(f => f is null || f.Length > 0))
        {
            return; // a certificate, or something unknown
        }

        var trigger = Triggers.FirstOrDefault(t.IsSet);
        if (!anonymous)
        {
            var where = t.Knows("smtpd_tls_chain_files") ? "smtpd_tls_chain_files (key first, then its certificate chain)" : "smtpd_tls_cert_file and smtpd_tls_key_file";
            if (mandatory)
            {
                context.Error(DiagnosticCodes.ServerTlsWithoutCertificate, trigger ?? "smtpd_tls_cert_file",
                    $"TLS is mandatory but no certificate is configured: Postfix cannot offer STARTTLS (\"No server certs available\"), so every client is refused. Set {where}.",
                    trigger is null ? null : t.SpanOf(trigger));
                return;
            }

            context.Warning(DiagnosticCodes.ServerTlsWithoutCertificate, trigger ?? "smtpd_tls_cert_file",
                $"Server TLS is turned on but no certificate is configured, so Postfix logs \"No server certs available\" and does not offer STARTTLS. Set {where}.",
                trigger is null ? null : t.SpanOf(trigger));
            return;
        }

        if (!t.AtLeast(Thresholds.ProtocolTls13Effective))
        {
            return;
        }

        var protocols = mandatory ? "smtpd_tls_mandatory_protocols" : "smtpd_tls_protocols";
        if (!t.Knows(protocols) || t.Resolve(protocols) is not { } list)
        {
            return;
        }

        var enabled = ProtocolSyntax.Read(t, list, ", ").Enabled;
        if (enabled is not null && enabled.Contains("TLSv1.3"))
        {
            context.Warning(DiagnosticCodes.AnonymousServerTlsWithTls13, "smtpd_tls_cert_file",
                $"smtpd_tls_cert_file = none asks for anonymous TLS, which TLS 1.3 does not have; with {protocols} = {(list.Length == 0 ? "(empty)" : list)} clients negotiating TLS 1.3 fail. "
                + $"Configure a certificate, or add '!TLSv1.3' to {protocols}.",
                t.SpanOf("smtpd_tls_cert_file"));
        }
    }
}

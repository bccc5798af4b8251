using System.Text.RegularExpressions;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// The SMTP and LMTP client side: wrapper mode (3.0) needs level encrypt or stronger, certificate
/// verification needs trust anchors, certificate name patterns, the SNI name, the per-site table
/// that a policy table hides, the 3.11 default level, connection reuse and raw public keys
/// (TLSRPT: <see cref="TlsRptRules"/>).
/// </summary>
internal sealed partial class ClientTlsRules : RuleSet
{
    /// <summary>Client levels from weakest to strongest, as Postfix orders them (tls.h).</summary>
    private static readonly string[] Strength = ["none", "may", "encrypt", "fingerprint", "dane", "dane-only", "verify", "secure"];

    private static readonly string[] MatchKeywords = ["hostname", "nexthop", "dot-nexthop"];

    /// <summary>Whether <paramref name="level"/> is at least <c>encrypt</c>; <see langword="null"/> for unknown words.</summary>
    internal static bool? IsMandatory(string level)
    {
        var i = Array.IndexOf(Strength, level.ToLowerInvariant());
        return i < 0 ? null : i >= 2;
    }

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        CheckWrapperMode(context, t, TlsFamily.Smtp, "smtp_tls_wrappermode", true);
        CheckWrapperMode(context, t, TlsFamily.Lmtp, "lmtp_tls_wrappermode", false);
        CheckTrustAnchors(context, t);
        CheckCertificateMatch(context, t);
        CheckServerName(context, t);
        CheckPerSite(context, t);
        CheckDefaultLevel(context, t);
        CheckNotes(context, t);
    }

    private static void CheckWrapperMode(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsFamily family, string parameter, bool withPolicy)
    {
        if (!t.Knows(parameter) || t.Flag(parameter) != true)
        {
            return;
        }

        if (family.EffectiveLevel(t) is { } level && IsMandatory(level) == false)
        {
            context.Error(DiagnosticCodes.WrapperModeNeedsEncrypt, parameter,
                $"{parameter} = yes needs {family.Level} = encrypt or stronger; at level {(level.Length == 0 ? "none" : level)} Postfix skips every server "
                + $"(\"requires {family.Level} = encrypt\") and mail is deferred. Set {family.Level} = encrypt (usually with '-o' on a master.cf transport for port 465).",
                t.SpanOf(parameter));
        }

        if (!withPolicy)
        {
            return;
        }

        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (IsMandatory(item.Level.Trim()) == false)
            {
                context.Error(DiagnosticCodes.WrapperModeNeedsEncrypt, $"tls_policy[{item.Destination}]",
                    $"{parameter} = yes needs level encrypt or stronger, but the policy for {item.Destination} is {item.Level}; Postfix would skip its servers. Use encrypt (or stronger) for it.",
                    item.Entry.SpanOf("level"));
            }
        }
    }

    /// <summary>verify and secure check the server certificate against trust anchors; with none configured every check fails.</summary>
    private static void CheckTrustAnchors(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        string?[] anchors =
        [
            t.Resolve("smtp_tls_CAfile"),
            t.Resolve("smtp_tls_CApath"),
            t.Knows("smtp_tls_trust_anchor_file") ? t.Resolve("smtp_tls_trust_anchor_file") : string.Empty,
        ];
        if (anchors.Any(a => a is null || a.Length > 0))
        {
            return;
        }

        var advice = "Set smtp_tls_CAfile (for example /etc/ssl/certs/ca-certificates.crt) or smtp_tls_CApath (/etc/ssl/certs)"
            + (t.Knows("smtp_tls_trust_anchor_file") ? ", or smtp_tls_trust_anchor_file." : ".");
        if (TlsFamily.Smtp.EffectiveLevel(t) is "verify" or "secure" && t.IsSet("smtp_tls_security_level"))
        {
            context.Info(DiagnosticCodes.NoTrustAnchors, "smtp_tls_security_level",
                $"smtp_tls_security_level = {t.Resolve("smtp_tls_security_level")} verifies server certificates, but this configuration sets no trust anchor; unless the installed main.cf does (Debian's sets smtp_tls_CApath), every verification fails and mail is deferred. {advice}",
                t.SpanOf("smtp_tls_security_level"));
        }

        // One diagnostic for the whole table (a big table can have tens of thousands of such entries),
        // at the first entry, with the count.
        var firstItem = PolicyTableRules.FirstMatching(t.Config.TlsPolicy, item => (item.Full is null || item.Full.TaFile.IsEmpty) && IsVerifying(item.Level), out var count);
        if (firstItem?.Entry is { } first)
        {
            var others = PolicyTableRules.AndMore(count, "with verify or secure and no tafile");
            context.Info(DiagnosticCodes.NoTrustAnchors, $"tls_policy[{first.Destination}]",
                $"Level {first.Level} for {first.Destination}{others} verifies the server certificate, but this configuration sets no trust anchor; unless the installed main.cf does (Debian's sets smtp_tls_CApath), verification fails and mail is deferred. "
                + advice + (t.AtLeast(Thresholds.PolicyTaFile) ? " A per-destination 'tafile' works too." : string.Empty),
                first.SpanOf("level"));
        }
    }

    private static bool IsVerifying(string level)
    {
        var l = level.AsSpan().Trim();
        return l.Equals("verify", StringComparison.OrdinalIgnoreCase) || l.Equals("secure", StringComparison.OrdinalIgnoreCase);
    }

    private static void CheckCertificateMatch(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var name in new[] { "smtp_tls_verify_cert_match", "smtp_tls_secure_cert_match", "lmtp_tls_verify_cert_match", "lmtp_tls_secure_cert_match" })
        {
            if (!t.IsSet(name) || !t.Knows(name) || t.Resolve(name) is not { } value)
            {
                continue;
            }

            foreach (var pattern in PostfixText.SplitList(value, colon: true))
            {
                if (!IsMatchPattern(pattern))
                {
                    context.Warning(DiagnosticCodes.InvalidCertificateMatch, name,
                        $"'{pattern}' in {name} is neither hostname, nexthop, dot-nexthop nor a domain (example.com, .example.com), so it matches no certificate. Fix or remove it.",
                        t.SpanOf(name));
                }
            }
        }
    }

    /// <summary>A certificate name pattern of verify/secure: a keyword, a domain or a .domain.</summary>
    internal static bool IsMatchPattern(ReadOnlySpan<char> pattern)
    {
        foreach (var keyword in MatchKeywords)
        {
            if (pattern.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return IsHostname(pattern.StartsWith('.') ? pattern[1..] : pattern);
    }

    /// <summary>A DNS host name as Postfix's valid_hostname() accepts it (labels of letters, digits, '-' and '_').</summary>
    internal static bool IsHostname(ReadOnlySpan<char> name) => name.Length is > 0 and <= 255 && HostnamePattern().IsMatch(name);

    private static void CheckServerName(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var name in new[] { "smtp_tls_servername", "lmtp_tls_servername" })
        {
            if (!t.IsSet(name) || !t.Knows(name) || t.Resolve(name) is not { Length: > 0 } value)
            {
                continue;
            }

            if (!value.Equals("hostname", StringComparison.OrdinalIgnoreCase) && !value.Equals("nexthop", StringComparison.OrdinalIgnoreCase) && !IsHostname(value))
            {
                context.Error(DiagnosticCodes.InvalidHostname, name,
                    $"{name} = {value} is not a valid host name; Postfix would defer all TLS mail (\"specifies an invalid hostname\"). Write hostname, nexthop or a DNS name such as mx.example.com.",
                    t.SpanOf(name));
            }
        }
    }

    private static void CheckPerSite(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (perSite, policy) in new[] { ("smtp_tls_per_site", "smtp_tls_policy_maps"), ("lmtp_tls_per_site", "lmtp_tls_policy_maps"), ("tlsproxy_client_per_site", "tlsproxy_client_policy_maps") })
        {
            if (t.IsSet(perSite) && t.Knows(perSite) && t.Knows(policy) && t.Resolve(perSite) is { Length: > 0 } && t.Resolve(policy) is { Length: > 0 })
            {
                context.Warning(DiagnosticCodes.PerSiteIgnored, perSite,
                    $"{perSite} is never consulted because {policy} is not empty. Move its entries into the policy table (NONE = none, MAY = may, MUST_NOPEERMATCH = encrypt, MUST = verify) and remove {perSite}.",
                    t.SpanOf(perSite));
            }
        }
    }

    /// <summary>From 3.11 the client's default level is may only when compatibility_level is 3.11 or later.</summary>
    private static void CheckDefaultLevel(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        if (!t.AtLeast(Thresholds.ClientLevelByCompatibilityLevel) || t.IsSet("smtp_tls_security_level")
            || t.IsSet("smtp_use_tls") || t.IsSet("smtp_enforce_tls"))
        {
            return;
        }

        var compat = t.Resolve("compatibility_level");
        var threshold = Thresholds.OpportunisticClientCompatibilityLevel;
        if (compat is not null && Expansion.TryParseLevel(compat, out var level)
            && level.CompareTo(((long)threshold.Major, (long)threshold.Minor, 0L)) >= 0)
        {
            return;
        }

        context.Info(DiagnosticCodes.DefaultDependsOnCompatibilityLevel, "smtp_tls_security_level",
            compat is null
                ? $"smtp_tls_security_level is not set: {t.Release} uses may when compatibility_level is {threshold} or later and none (no TLS) otherwise, and compatibility_level is not set here. Set smtp_tls_security_level = may to be sure."
                : $"smtp_tls_security_level is not set and compatibility_level = {compat} is below {threshold}, so the SMTP client does not use TLS. Set smtp_tls_security_level = may.",
            t.SpanOf("compatibility_level"));
    }

    private static void CheckNotes(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var reuse = t.Knows("smtp_tls_connection_reuse") && t.Flag("smtp_tls_connection_reuse") == true && t.IsSet("smtp_tls_connection_reuse");
        TlsPolicyEntry? reuseEntry = null;
        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (item.Full is { ConnectionReuse: true } entry)
            {
                reuseEntry = entry; // the first (a compact row has no attributes)
                break;
            }
        }

        if (reuse || reuseEntry is not null)
        {
            context.Info(DiagnosticCodes.DeploymentNote, reuse ? "smtp_tls_connection_reuse" : $"tls_policy[{reuseEntry!.Destination}]",
                $"TLS connection reuse goes through tlsproxy(8): master.cf needs the 'tlsproxy unix - - n - 0 tlsproxy' service (in the stock master.cf since {t.Catalog.Find("smtp_tls_connection_reuse")?.Since.Describe()}).",
                reuse ? t.SpanOf("smtp_tls_connection_reuse") : reuseEntry!.SpanOf("connection_reuse"));
        }

        foreach (var name in new[] { "smtp_tls_enable_rpk", "smtpd_tls_enable_rpk" })
        {
            if (t.IsSet(name) && t.Knows(name) && t.Flag(name) == true)
            {
                context.Info(DiagnosticCodes.DeploymentNote, name,
                    $"{name} only takes effect when Postfix is built with OpenSSL 3.2 or later; with raw public keys only public-key fingerprints can match.",
                    t.SpanOf(name));
            }
        }

        if (TlsFamily.Lmtp.EffectiveLevel(t) is "dane" or "dane-only" && t.IsSet("lmtp_tls_security_level"))
        {
            context.Info(DiagnosticCodes.DeploymentNote, "lmtp_tls_security_level",
                "DANE works for LMTP over TCP only; deliveries over UNIX-domain sockets are deferred at level dane. Use a TCP next hop (inet:host:port).",
                t.SpanOf("lmtp_tls_security_level"));
        }
    }

    [GeneratedRegex(@"^(?=.{1,255}\z)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?\z")]
    private static partial Regex HostnamePattern();
}

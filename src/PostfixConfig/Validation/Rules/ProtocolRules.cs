using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// TLS protocol lists in main.cf (<c>*_tls_protocols</c>, <c>*_tls_mandatory_protocols</c>): names by
/// release (TLSv1.1/1.2 from 2.10 and back-ports, TLSv1.3 from 3.0, controllable from 3.4 and
/// back-ports), the <c>&gt;=</c>/<c>&lt;=</c> bounds (3.6), ranges with gaps, and release defaults that
/// still allow SSL. Policy <c>protocols=</c> attributes are checked by <see cref="PolicyAttributeRules"/>.
/// </summary>
internal sealed class ProtocolRules : RuleSet
{
    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (name, _) in t.Config.Main)
        {
            var info = t.Catalog.Find(name);
            if (info is null || info.Kind != ParameterKind.ProtocolList || !info.IsKnownIn(t.Version) || t.Resolve(name) is not { } text)
            {
                continue;
            }

            foreach (var issue in ProtocolSyntax.Read(t, text, ", ").Issues)
            {
                context.Add(issue.Severity, issue.Code, name, $"{name}: {issue.Message}", t.SpanOf(name));
            }
        }

        CheckDefault(context, t, TlsFamily.Smtpd, "smtpd_tls_protocols", "smtpd_tls_mandatory_protocols");
        CheckDefault(context, t, TlsFamily.Smtp, "smtp_tls_protocols", "smtp_tls_mandatory_protocols");
    }

    /// <summary>Older releases' defaults still enable SSLv2/SSLv3; suggest excluding them where TLS is used.</summary>
    private static void CheckDefault(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsFamily family, string opportunistic, string mandatory)
    {
        if (!t.IsSet(family.Level) && !t.IsSet(family.Use) && !t.IsSet(family.Enforce))
        {
            return;
        }

        var level = family.EffectiveLevel(t);
        var name = level switch
        {
            null or "none" => null,
            "may" => opportunistic,
            _ => mandatory,
        };
        if (name is null || t.IsSet(name) || !t.Knows(name) || t.Resolve(name) is not { } dflt)
        {
            return;
        }

        var enabled = ProtocolSyntax.Read(t, dflt, ", ").Enabled;
        var ssl = enabled?.Where(p => p.StartsWith("SSL", StringComparison.Ordinal)).ToList();
        if (ssl is { Count: > 0 })
        {
            context.Info(DiagnosticCodes.ProtocolDefaultAllowsSsl, name,
                $"{t.Release}'s default {name} = {(dflt.Length == 0 ? "(empty)" : dflt)} still allows {string.Join(" and ", ssl)}, which {(ssl.Count == 1 ? "is" : "are")} broken. Set {name} = !SSLv2, !SSLv3.",
                t.SpanOf(family.Level) ?? t.SpanOf(family.Use));
        }
    }
}

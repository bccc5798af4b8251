using PostfixConfig.Diagnostics;
using PostfixConfig.Dns;

namespace PostfixConfig.Status;

/// <summary>
/// <c>status --check-dns</c>: asks the resolver Postfix's own <c>dnssec_probe</c> (the effective value the
/// SMTP client sees, default <c>ns:.</c>) through the same code as <c>lint --check-dns</c>
/// (<see cref="DnssecProbe.RunForParameter"/>) and puts the answer into <see cref="OutboundStatus.DnssecValidation"/>.
/// </summary>
internal static class OutboundDnssecCheck
{
    /// <summary>
    /// The outbound status with the answer, and the diagnostics with any error: a malformed probe (at its
    /// position), a resolver that is not an address, a resolver that does not answer.
    /// </summary>
    public static (OutboundStatus Outbound, DiagnosticList Diagnostics) Apply(OutboundStatus outbound, SettingSource probe, DnsResolverOptions dns, DiagnosticList diagnostics)
    {
        var value = probe.Origin == SettingOrigin.Default ? null : probe.Value;
        var result = DnssecProbe.RunForParameter(value, dns, out var disabled);
        if (result.HasErrors)
        {
            var located = result.Diagnostics.Select(d => d.Code == DiagnosticCodes.DnssecProbeMalformed ? d with { Parameter = "dnssec_probe", Span = probe.Span } : d);
            return (outbound, DiagnosticList.Create([.. diagnostics, .. located]));
        }

        var check = result.Value;
        if (disabled is not null)
        {
            check = check with { Detail = check.Detail + disabled };
        }

        outbound = outbound with { DnssecValidation = check };
        return check.Answered
            ? (outbound, diagnostics)
            : (outbound, DiagnosticList.Create([.. diagnostics, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.DnsLookupFailed, null, $"The resolver did not answer: {check.Detail}")]));
    }

    /// <summary>What level <c>dane</c> does with this resolver: <c>works</c>, or <c>falls-back-to-may</c>.</summary>
    public static string DaneWord(DnssecCheck check) => check.Validates ? "works" : "falls-back-to-may";

    /// <summary>The sentence of the status line.</summary>
    public static string Sentence(OutboundStatus o, DnssecCheck check)
    {
        if (check.Validates)
        {
            return o.DaneUsed && !o.DaneComplete
                ? $" DNSSEC validation: yes, but dane needs smtp_dns_support_level = dnssec as well. {check.Detail}"
                : $" DNSSEC validation: yes. {check.Detail}";
        }

        return $" DNSSEC validation: NO. {check.Detail}";
    }
}

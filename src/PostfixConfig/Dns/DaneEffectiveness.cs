using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;

namespace PostfixConfig.Dns;

/// <summary>
/// <c>lint --check-dns</c>: is outbound DANE effective with this main.cf on this host? Runs
/// Postfix's own probe (<see cref="DnssecProbe"/>, with the file's <c>dnssec_probe</c>, default
/// <c>ns:.</c>) against the resolver and says what that means for the DANE levels the file uses
/// (<c>smtp_tls_security_level</c> and the policy table): <c>dane</c> silently works as <c>may</c>
/// without validation, <c>dane-only</c> defers all mail.
/// </summary>
internal static class DaneEffectiveness
{
    public static IEnumerable<Diagnostic> Check(MainCfDocument document, TlsConfiguration config, PostfixVersion? version, DnsResolverOptions dns)
    {
        var probeParameter = document.Find("dnssec_probe");
        var value = probeParameter is null ? null : document.Expand("dnssec_probe", version).Value;
        var span = probeParameter?.ValueSpan;
        var result = DnssecProbe.RunForParameter(value, dns, out var disabled);
        if (result.HasErrors)
        {
            return result.Diagnostics.Select(d => d with { Parameter = d.Code == DiagnosticCodes.DnssecProbeMalformed ? "dnssec_probe" : null, Span = d.Code == DiagnosticCodes.DnssecProbeMalformed ? span : null });
        }

        var check = result.Value;
        if (!check.Answered)
        {
            return [new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.DnsLookupFailed, null, $"The resolver did not answer: {check.Detail}")];
        }

        var levels = DaneLevels(document, config, version);
        var uses = levels.Count == 0 ? null : string.Join(" and ", levels);
        if (check.Validates)
        {
            return [new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.DnssecValidation, "dnssec_probe",
                uses is null
                    ? $"DNSSEC validation is available: {check.Detail}{disabled} (this main.cf uses no DANE level)."
                    : $"Outbound DANE is effective ({uses}): {check.Detail}{disabled}", span)];
        }

        var dependsOnIt = levels.Any(l => l.Contains("dane-only", StringComparison.Ordinal)) ? DiagnosticSeverity.Error
            : uses is not null ? DiagnosticSeverity.Warning
            : DiagnosticSeverity.Info;
        var prefix = uses is null ? "DNSSEC validation is not available (this main.cf uses no DANE level)" : $"Outbound DANE is NOT effective ({uses})";
        return [new Diagnostic(dependsOnIt, DiagnosticCodes.DnssecValidation, "dnssec_probe", $"{prefix}: {check.Detail}{disabled}", span)];
    }

    /// <summary>Where the file asks for DANE: <c>smtp_tls_security_level = dane</c>, policy entries with dane or dane-only.</summary>
    private static List<string> DaneLevels(MainCfDocument document, TlsConfiguration config, PostfixVersion? version)
    {
        var levels = new List<string>();
        var level = document.Expand("smtp_tls_security_level", version).Value?.Trim().ToLowerInvariant();
        if (level is "dane" or "dane-only")
        {
            levels.Add($"smtp_tls_security_level = {level}");
        }

        var entries = config.TlsPolicy.Where(e => e.Level.Trim().ToLowerInvariant() is "dane" or "dane-only").ToList();
        if (entries.Count > 0)
        {
            var only = entries.Any(e => e.Level.Trim().Equals("dane-only", StringComparison.OrdinalIgnoreCase));
            levels.Add($"{entries.Count} policy table entr{(entries.Count == 1 ? "y" : "ies")} with dane{(only ? " or dane-only" : string.Empty)}");
        }

        return levels;
    }
}

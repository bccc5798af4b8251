using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Validation;
using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Lint;

/// <summary>
/// Lint of an existing main.cf: what Postfix would say while reading it (syntax, duplicates,
/// <c>$</c> expressions it cannot expand), every validation rule on the effective settings (with
/// positions in main.cf), the policy table next to it, and advice for the usual distribution
/// defaults (<see cref="LintAdviceRules"/>).
/// </summary>
internal static class MainCfLinter
{
    public static DiagnosticList Lint(string text, string? path, bool isUtf8, LintOptions options)
    {
        var (document, diagnostics) = MainCfDocument.Parse(text, path, isUtf8);
        if (!isUtf8)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.MainCfNotUtf8, null,
                "main.cf is not valid UTF-8; it was checked byte for byte as ISO-8859-1, but merge will not rewrite it. Convert it with iconv if it should be UTF-8.",
                new SourceSpan(path, 1, 1)));
        }

        var catalog = options.Validation.Catalog ?? ParameterCatalog.Default;
        var config = document.ToConfiguration();
        var release = ConfigurationValidation.ResolveRelease(config, options.Validation, catalog, diagnostics);
        if (release is not null && options.CheckPolicyMap)
        {
            var table = PolicyMapFiles.ReadNextTo(document, ParameterExpansion.For(document, release.Version, catalog), diagnostics);
            if (table is not null)
            {
                config = config with { TlsPolicy = table };
            }
        }

        var master = options.ReadMasterCf && path is not null ? MasterCf.ReadNextTo(path, diagnostics) : null;
        if (master is not null)
        {
            MasterCfLint.Syntax(master, diagnostics);
        }

        ValidationTarget? names = null;
        if (release is not null)
        {
            var found = ConfigurationValidation.Run(config, options.Validation, release, master).Found;
            diagnostics.AddRange(found);
            names = new ValidationTarget(config, release, catalog) { Master = master };
            if (master is not null)
            {
                MasterCfLint.Names(master, names.Usage, diagnostics);
                MasterCfLint.Values(config, master, release, catalog, found, diagnostics);
            }
        }

        if (master is not null && release is not null)
        {
            ServiceValidation.LintMasterCf(config, master, release, catalog, diagnostics);
        }
        if (options.CheckFiles is { } fileChecks)
        {
            diagnostics.AddRange(PostfixTls.CheckFiles(config, fileChecks));
        }

        if (options.CheckDns is { } dns)
        {
            diagnostics.AddRange(Dns.DaneEffectiveness.Check(document, config, release?.Version, dns));
        }

        if (release is null)
        {
            return DiagnosticList.Create(diagnostics);
        }

        var expansion = ParameterExpansion.For(document, release.Version, catalog);
        foreach (var p in document.Effective)
        {
            var name = p.Name;
            if (ParameterExpansion.RawParameters.Contains(name))
            {
                continue;
            }

            var r = expansion.ExpandParameter(name);
            if (r.Error is not null)
            {
                diagnostics.Add(ParameterExpansion.ErrorDiagnostic(name, r.Error, r.IsLoop, p.ValueSpan));
            }
        }

        // "$name refers to nothing" by postconf's rule (every branch of ${name?...:...}, restriction classes).
        MainCfUndefined.Report(document, names!.Usage, diagnostics);

        var target = new ValidationTarget(config, release, catalog);
        var advice = LintAdviceRules.Instance.Run(target);

        // The lint advice about a legacy switch names its exact replacement; the general rules that say
        // the same thing for that parameter (deprecated; what the switches amount to) would only repeat it.
        var switches = advice.Where(d => d.Code == DiagnosticCodes.LegacyTlsSwitch).Select(d => d.Parameter).ToHashSet(StringComparer.Ordinal);
        diagnostics.RemoveAll(d => d.Code is DiagnosticCodes.LegacySwitchEquivalent or DiagnosticCodes.ParameterDeprecated or DiagnosticCodes.LegacySwitchOverridden
            && switches.Contains(d.Parameter));
        if (advice.Any(d => d.Code == DiagnosticCodes.OutboundTlsOff))
        {
            // "Outbound TLS is off" says it already; the release rule about the 3.11 default would repeat it.
            diagnostics.RemoveAll(d => d.Code == DiagnosticCodes.DefaultDependsOnCompatibilityLevel && d.Parameter == "smtp_tls_security_level");
        }

        diagnostics.AddRange(advice);
        StatusLint.Report(document, master, release.Version, catalog, options.CheckFiles is not null, diagnostics);
        return DiagnosticList.Create(diagnostics);
    }
}

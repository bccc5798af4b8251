using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Profiles;

namespace PostfixConfig.Validation;

/// <summary>
/// Runs validation: resolves the target release (once, unless the caller already did), expands the
/// profile and service defaults and the MTA-STS resolver's set-up, runs every rule set and the service checks. The outcome is one
/// <see cref="ValidatedConfiguration"/> that every later step (rendering, merge, lint, apply) takes.
/// </summary>
internal static class ConfigurationValidation
{
    /// <summary>Validates <paramref name="config"/>.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="options">The caller's release (wins over the configuration's), catalog and origin reporting.</param>
    /// <param name="release">The release when the caller resolved it already (then <paramref name="options"/>' release is not looked at).</param>
    /// <param name="master">The master.cf next to main.cf, when lint read one.</param>
    public static ValidatedConfiguration Run(TlsConfiguration config, ValidationOptions options, TargetRelease? release = null, MasterCf? master = null)
    {
        var catalog = options.Catalog ?? ParameterCatalog.Default;
        var diagnostics = new List<Diagnostic>();
        release ??= ResolveRelease(config, options, catalog, diagnostics);
        if (release is null)
        {
            return new ValidatedConfiguration(config, null, null, diagnostics);
        }

        var expanded = ProfileExpander.Expand(config, release.Version, diagnostics);
        if (expanded is null)
        {
            return new ValidatedConfiguration(config, release, null, diagnostics);
        }

        expanded = MtaSts.MtaStsSetup.Expand(expanded, release.Version, catalog);
        var effective = expanded.Configuration;
        var target = new ValidationTarget(effective, release, catalog) { Master = master };
        TlsConfigurationValidator.Instance.Run(target, diagnostics);
        ServiceValidation.Collect(effective, release, catalog, diagnostics);
        if (options.ShowOrigins)
        {
            foreach (var origin in expanded.Origins)
            {
                var where = origin.Service is null ? origin.Name : $"{origin.Service}/inet/{origin.Name}";
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ValueOrigin, where,
                    $"{where} = {(origin.Value.Length == 0 ? "(empty)" : origin.Value)} comes from {origin.Detail}.", origin.Span));
            }
        }

        return new ValidatedConfiguration(config, release, expanded, diagnostics);
    }

    /// <summary>The release of a run over <paramref name="config"/>: the caller's option, else the configuration's <c>postfix_version</c>.</summary>
    public static TargetRelease? ResolveRelease(TlsConfiguration config, ValidationOptions options, ParameterCatalog catalog, List<Diagnostic> diagnostics) =>
        TargetRelease.Resolve(options.PostfixVersion, config.PostfixVersion, catalog, diagnostics,
            config.SourcePath is null ? null : new SourceSpan(config.SourcePath, 1, 1));
}

using System.Globalization;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation;

/// <summary>Runs validation: picks the target release, runs the validators, maps failures to diagnostics.</summary>
internal static class ConfigurationValidation
{
    public static DiagnosticList Validate(TlsConfiguration config, ValidationOptions options)
    {
        var diagnostics = new List<Diagnostic>();
        Collect(config, options, diagnostics);
        return DiagnosticList.Create(diagnostics);
    }

    /// <summary>
    /// Adds the diagnostics of <see cref="Validate"/> to <paramref name="diagnostics"/>, unsorted (for
    /// callers that add more and sort once); lint passes the master.cf it read next to main.cf.
    /// Returns the configuration with its profile and service defaults expanded, or
    /// <see langword="null"/> when there is no target release or the profile cannot be expressed.
    /// </summary>
    public static ExpandedConfiguration? Collect(TlsConfiguration config, ValidationOptions options, List<Diagnostic> diagnostics, MainCf.MasterCf? master = null)
    {
        var catalog = options.Catalog ?? ParameterCatalog.Default;
        var version = TargetVersion(config, options, catalog, diagnostics);
        if (version is null)
        {
            return null;
        }

        var expanded = Profiles.ProfileExpander.Expand(config, version.Value, diagnostics);
        if (expanded is null)
        {
            return null;
        }

        var effective = expanded.Configuration;
        var given = options.PostfixVersion ?? config.PostfixVersion ?? version.Value;
        var target = new ValidationTarget(effective, version.Value, catalog) { Given = given, Master = master };
        var result = TlsConfigurationValidator.Instance.Validate(target);
        diagnostics.AddRange(result.Errors.Select(Report.ToDiagnostic));
        ServiceValidation.Collect(effective, version.Value, given, catalog, diagnostics);
        if (options.ShowOrigins)
        {
            foreach (var origin in expanded.Origins)
            {
                var where = origin.Service is null ? origin.Name : $"{origin.Service}/inet/{origin.Name}";
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ValueOrigin, where,
                    $"{where} = {(origin.Value.Length == 0 ? "(empty)" : origin.Value)} comes from {origin.Detail}.", origin.Span));
            }
        }

        return expanded;
    }

    /// <summary>The concrete release to validate for, reporting how it was chosen.</summary>
    public static PostfixVersion? TargetVersion(TlsConfiguration config, ValidationOptions options, ParameterCatalog catalog, List<Diagnostic> diagnostics)
    {
        var releases = catalog.Releases;
        var span = config.SourcePath is null ? (SourceSpan?)null : new SourceSpan(config.SourcePath, 1, 1);
        PostfixVersion given;
        if (options.PostfixVersion is { } fromOptions)
        {
            given = fromOptions;
        }
        else if (config.PostfixVersion is { } fromConfig)
        {
            given = fromConfig;
        }
        else
        {
            given = releases.NewestStable;
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.TargetVersionAssumed, "postfix_version",
                $"No target release given; checking for Postfix {given} (the newest stable release known). Set postfix_version or --postfix-version.",
                span));
        }

        if (given < releases.Oldest)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnsupportedPostfixVersion, "postfix_version",
                string.Create(CultureInfo.InvariantCulture, $"Postfix {given} has no built-in TLS; TLS support starts with {releases.Oldest}."), span));
            return null;
        }

        var newest = releases.Newest[^1];
        if (given.Line > newest.Line)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.UnsupportedPostfixVersion, "postfix_version",
                string.Create(CultureInfo.InvariantCulture, $"Postfix {given} is newer than any release the catalog knows; checking with the rules of {newest}."), span));
        }

        var resolved = releases.Resolve(given);
        if (releases.Provisional.Contains(resolved) || (resolved.IsSnapshot && resolved.Line == newest.Line))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ProvisionalRelease, "postfix_version",
                $"Postfix {resolved} is an unreleased development snapshot; what the catalog says about it is provisional.", span));
        }

        return resolved;
    }
}

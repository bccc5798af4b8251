using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation;

/// <summary>
/// The one value validation produces: the configuration as given, the release it was checked for,
/// its effective settings (profile and service defaults expanded, with their origins) and what was
/// found. Rendering, merge, lint, import, apply and the templates take this value, so the release is
/// resolved exactly once per run.
/// </summary>
internal sealed class ValidatedConfiguration
{
    internal ValidatedConfiguration(TlsConfiguration source, TargetRelease? release, ExpandedConfiguration? expanded, List<Diagnostic> diagnostics)
    {
        Source = source;
        Release = release;
        Expanded = expanded;
        Found = diagnostics;
    }

    /// <summary>The configuration as it was given.</summary>
    public TlsConfiguration Source { get; }

    /// <summary>The release, or <see langword="null"/> when none could be resolved (an error says why).</summary>
    public TargetRelease? Release { get; }

    /// <summary>The effective settings, or <see langword="null"/> without a release or when the profile cannot be expressed.</summary>
    public ExpandedConfiguration? Expanded { get; }

    /// <summary>What validation found, in the order found (callers may add more before sorting once).</summary>
    public List<Diagnostic> Found { get; }

    /// <summary>What validation found, sorted.</summary>
    public DiagnosticList Diagnostics => DiagnosticList.Create(Found);

    /// <summary>Whether anything found is an error.</summary>
    public bool HasErrors => Release is null || Expanded is null || Found.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The effective configuration (<see cref="Expanded"/>'s), for a run that has one.</summary>
    public TlsConfiguration Effective => Expanded?.Configuration ?? throw new InvalidOperationException("The configuration could not be expanded; check Expanded first.");
}

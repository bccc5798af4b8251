using System.Globalization;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Catalog;

/// <summary>Where the target release of a run came from.</summary>
internal enum TargetReleaseSource
{
    /// <summary>The caller named it (<c>--postfix-version</c>, <see cref="ValidationOptions.PostfixVersion"/>); it wins over the configuration.</summary>
    Option,

    /// <summary>The configuration's <c>postfix_version</c>.</summary>
    Configuration,

    /// <summary>Neither named one: the newest stable release the catalog knows.</summary>
    Assumed,
}

/// <summary>
/// The Postfix release a run checks and renders for, resolved once per run by <see cref="Resolve"/>
/// and then handed down: validation, rendering (headers and template variables), lint, merge,
/// import, apply and the schema all read it from here and never resolve it again.
/// </summary>
/// <remarks>This type is immutable.</remarks>
internal sealed record TargetRelease
{
    private TargetRelease(PostfixVersion given, PostfixVersion version, TargetReleaseSource source)
    {
        Given = given;
        Version = version;
        Source = source;
    }

    /// <summary>The release as it was named (<c>3.7</c>, <c>3.7.11</c>), or the assumed one.</summary>
    public PostfixVersion Given { get; }

    /// <summary>The concrete release: a line (<c>3.7</c>) resolved to its newest patch release (<c>3.7.22</c>).</summary>
    public PostfixVersion Version { get; }

    /// <summary>Where <see cref="Given"/> came from.</summary>
    public TargetReleaseSource Source { get; }

    /// <summary>
    /// The release the way users say it, for messages: <c>Postfix 3.7 (3.7.22)</c> when a line was
    /// named (it stands for its newest patch release), otherwise <c>Postfix 3.7.11</c>.
    /// </summary>
    public string Display =>
        Given is { HasPatch: false, IsSnapshot: false } && Given.Line == Version.Line && (Version.HasPatch || Version.IsSnapshot)
            ? string.Create(CultureInfo.InvariantCulture, $"Postfix {Given} ({Version})")
            : string.Create(CultureInfo.InvariantCulture, $"Postfix {Version}");

    /// <summary>A release named in code (tests, tools), resolved against <paramref name="catalog"/>.</summary>
    public static TargetRelease For(PostfixVersion given, ParameterCatalog? catalog = null) =>
        new(given, (catalog ?? ParameterCatalog.Default).Releases.Resolve(given), TargetReleaseSource.Option);

    /// <summary>
    /// Resolves the release of a run: <paramref name="option"/> (the command line) wins over
    /// <paramref name="fromConfiguration"/> (the file), and without either the newest stable release is
    /// assumed (an information diagnostic says so). <see langword="null"/> when the release is older
    /// than any with built-in TLS (an error is added); a release newer than any known is checked with
    /// the newest rules (a warning), a development snapshot is marked provisional (information).
    /// </summary>
    /// <param name="option">The release the caller named, or <see langword="null"/>.</param>
    /// <param name="fromConfiguration">The configuration's <c>postfix_version</c>, or <see langword="null"/>.</param>
    /// <param name="catalog">The catalog whose releases apply.</param>
    /// <param name="diagnostics">Receives what resolving found.</param>
    /// <param name="span">Where to point the diagnostics (the configuration file).</param>
    public static TargetRelease? Resolve(PostfixVersion? option, PostfixVersion? fromConfiguration, ParameterCatalog catalog, List<Diagnostic> diagnostics, SourceSpan? span = null)
    {
        var releases = catalog.Releases;
        PostfixVersion given;
        TargetReleaseSource source;
        if (option is { } fromOption)
        {
            (given, source) = (fromOption, TargetReleaseSource.Option);
        }
        else if (fromConfiguration is { } fromConfig)
        {
            (given, source) = (fromConfig, TargetReleaseSource.Configuration);
        }
        else
        {
            (given, source) = (releases.NewestStable, TargetReleaseSource.Assumed);
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

        return new TargetRelease(given, resolved, source);
    }

    /// <inheritdoc/>
    public override string ToString() => Display;
}

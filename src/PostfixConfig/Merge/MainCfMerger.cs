using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Rendering;
using PostfixConfig.Validation;

namespace PostfixConfig.Merge;

/// <summary>
/// Merges a configuration into an existing main.cf: validates the configuration, applies its
/// parameters in place (<see cref="MainCfEditor"/>), optionally migrates the legacy TLS switches,
/// validates the result, and renders the policy map. Refuses (no value) when the configuration has
/// errors or the merge would introduce one; errors main.cf already had are reported but do not block.
/// </summary>
internal static class MainCfMerger
{
    /// <summary>The comment written before parameters that a merge appends.</summary>
    public const string AppendComment = "Added by postfix-config merge";

    private static readonly ParameterScope[] GroupOrder =
    [
        ParameterScope.Server, ParameterScope.Postscreen, ParameterScope.Client, ParameterScope.Lmtp,
        ParameterScope.TlsProxy, ParameterScope.Shared, ParameterScope.Other,
    ];

    public static Result<MergedConfiguration> Merge(TlsConfiguration config, MainCfDocument document, MergeOptions options)
    {
        var diagnostics = new List<Diagnostic>();
        var catalog = options.Validation.Catalog ?? ParameterCatalog.Default;
        if (!document.IsUtf8)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MainCfNotUtf8, null,
                "main.cf is not valid UTF-8, so merge cannot rewrite it byte for byte; convert it first (iconv -f latin1 -t utf-8).",
                new SourceSpan(document.Path, 1, 1)));
            return Fail(diagnostics);
        }

        // The YAML on its own: input errors, and values that cannot be written into main.cf at all, stop
        // here; errors that depend on other settings are decided on the merged result below (main.cf
        // may supply what the YAML lacks, such as smtp_tls_policy_maps for a tls_policy).
        var validated = ConfigurationValidation.Run(config, options.Validation);
        var validation = validated.Diagnostics;
        if (validated.Release is not { } release || validated.Expanded is not { } expanded
            || validation.Errors.Any(IsUnwritable) || validation.Errors.Any(IsAboutServices))
        {
            diagnostics.AddRange(validation);
            return Fail(diagnostics);
        }

        // The profile's values and the services' defaults are applied like the YAML's own settings.
        config = expanded.Configuration;

        var editor = new MainCfEditor(document);
        var changes = new List<MainCfChange>();
        foreach (var (name, value) in config.Main)
        {
            var definitions = document.FindAll(name).ToList();
            if (!editor.Set(name, value.Text))
            {
                continue;
            }

            changes.Add(definitions.Count == 0
                ? new MainCfChange(name, MainCfChangeKind.Added, null, value.Text)
                : new MainCfChange(name, MainCfChangeKind.Replaced, definitions[^1].Value, value.Text));
            if (definitions.Count > 1)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MergeMultipleDefinitions, name,
                    $"{name} is set {definitions.Count.ToString(CultureInfo.InvariantCulture)} times in main.cf (lines {string.Join(", ", definitions.Select(d => d.FirstLine.ToString(CultureInfo.InvariantCulture)))}); each one now has the new value, as postconf -e does. Remove the extra lines.",
                    definitions[^1].NameSpan));
            }
        }

        if (options.Migrate)
        {
            LegacyTlsMigration.Apply(document, config, release.Version, catalog, editor, diagnostics, changes);
        }

        var text = editor.HasEdits ? editor.Apply(AppendComment, name => GroupOf(catalog, name)) : document.Text;
        var (merged, _) = MainCfDocument.Parse(text, document.Path);
        var mergedConfig = merged.ToConfiguration() with { TlsPolicy = config.TlsPolicy, Sni = config.Sni };
        // Judged with the master.cf beside main.cf, as postconf does: names that only its -o options use are used.
        var masterCf = MasterCfFor(document, options);
        var before = ConfigurationValidation.Run(document.ToConfiguration(), options.Validation, release, masterCf).Diagnostics;
        var after = ConfigurationValidation.Run(mergedConfig, options.Validation, release, masterCf).Diagnostics;
        var afterErrors = after.Errors.Select(d => (d.Code, d.Parameter)).ToHashSet();
        var fromYaml = validation.Where(d => d.Severity != DiagnosticSeverity.Error || afterErrors.Contains((d.Code, d.Parameter))).ToList();
        diagnostics.AddRange(fromYaml);
        var known = before.Concat(validation).Select(d => (d.Code, d.Parameter)).ToHashSet();
        var introduced = after.Where(d => d.Severity != DiagnosticSeverity.Info && !known.Contains((d.Code, d.Parameter))).Select(d => AtYaml(d, config)).ToList();
        diagnostics.AddRange(introduced);
        var preexisting = before.Errors.ToList();
        if (preexisting.Count > 0)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.MergePreexistingErrors, null,
                $"main.cf already had {preexisting.Count.ToString(CultureInfo.InvariantCulture)} error(s) before this merge ({string.Join(", ", preexisting.Select(d => $"{d.Code} {d.Parameter}").Distinct())}); the merge leaves them as they are. Run 'postfix-config lint' to see them.",
                new SourceSpan(document.Path, 1, 1)));
        }

        if (introduced.Concat(fromYaml).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return Fail(diagnostics);
        }

        var files = ImmutableArray.CreateBuilder<RenderedFile>();
        var mainName = document.Path is null ? "main.cf" : Path.GetFileName(document.Path);
        if (!string.Equals(text, document.Text, StringComparison.Ordinal))
        {
            files.Add(new RenderedFile(string.IsNullOrEmpty(mainName) ? "main.cf" : mainName, RenderedFileKind.MainCf, text));
        }

        if (config.TlsPolicy.Count > 0 || config.Sni.Count > 0)
        {
            // Only the maps: main.cf may keep settings that could not be rendered (merge leaves them as they are).
            files.AddRange(ConfigurationRenderer.RenderMaps(mergedConfig, RenderOptions.Default).Files);
        }

        if (config.Services.Count > 0 && MergeMasterCf(config, release, document, options, expanded.Profile, changes) is { } master)
        {
            files.Add(master);
        }

        var result = new MergedConfiguration(document, merged, [.. changes], new RenderedConfiguration(files.ToImmutable())) { Release = release };
        return new Result<MergedConfiguration>(result, DiagnosticList.Create(diagnostics));
    }

    /// <summary>The master.cf that goes with <paramref name="document"/>: options.MasterCfText, or the file beside main.cf.</summary>
    private static MasterCf? MasterCfFor(MainCfDocument document, MergeOptions options)
    {
        var beside = document.Path is { } p ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(p)) ?? ".", "master.cf") : null;
        return options.MasterCfText is { } text ? MasterCf.Parse(text, beside)
            : document.Path is { } mainPath ? MasterCf.ReadNextTo(mainPath)
            : null;
    }

    /// <summary>
    /// The services merged into master.cf (options.MasterCfText, the master.cf next to main.cf, or
    /// Debian's stock file when there is none): the new master.cf, or <see langword="null"/> when it
    /// already says all of it.
    /// </summary>
    private static RenderedFile? MergeMasterCf(TlsConfiguration config, TargetRelease release, MainCfDocument document, MergeOptions options, TlsProfile? profile, List<MainCfChange> changes)
    {
        var text = options.MasterCfText;
        if (text is null && document.Path is { } mainPath)
        {
            var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(mainPath)) ?? ".", "master.cf");
            text = File.Exists(file) ? MainCfDocument.Decode(IO.BoundedFile.ReadAllBytes(file, IO.InputLimits.ConfigFileBytes, regularOnly: true)).Text : null;
        }

        if (text is null)
        {
            var stock = ConfigurationRenderer.Render(config, release, RenderOptions.Default, profile: profile).Files.First(f => f.Kind == RenderedFileKind.MasterCf);
            changes.AddRange(config.Services.Select(s => new MainCfChange($"{s.Listen ?? s.Name}/inet", MainCfChangeKind.Added, null, "(new master.cf)", RenderedFileKind.MasterCf)));
            return stock;
        }

        var editor = new MasterCfEditor(text);
        var managed = config.Services.Select(s => s.Listen ?? s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in config.Services)
        {
            if (ProfileCatalog.Default.FindService(service.Name) is { } definition)
            {
                changes.AddRange(editor.Apply(service, definition, managed));
            }
        }

        return editor.HasEdits ? new RenderedFile("master.cf", RenderedFileKind.MasterCf, editor.Text()) : null;
    }

    /// <summary>
    /// A finding about the merged main.cf, pointed at the YAML line that sets the parameter (the merged
    /// text is not on disk yet, and the live main.cf line still holds the old value). Findings about
    /// parameters the YAML does not set keep their place.
    /// </summary>
    internal static Diagnostic AtYaml(Diagnostic d, TlsConfiguration config) =>
        d.Parameter is { } p && config.Main.TryGetValue(p, out var value) && (value.Span ?? config.Main.NameSpan(p)) is { } span ? d with { Span = span } : d;

    /// <summary>Errors about the services or the profile: main.cf cannot make up for them.</summary>
    private static bool IsAboutServices(Diagnostic d) =>
        d.Parameter is { } p && (p.Contains('/', StringComparison.Ordinal) || p.StartsWith("services", StringComparison.Ordinal) || p == "profile");

    /// <summary>Errors that make the YAML unusable whatever main.cf holds: input errors and text main.cf cannot carry.</summary>
    private static bool IsUnwritable(Diagnostic d) =>
        d.Area == DiagnosticArea.Input || d.Code is DiagnosticCodes.ControlCharacter or DiagnosticCodes.InvalidParameterName;

    private static int GroupOf(ParameterCatalog catalog, string name) =>
        Array.IndexOf(GroupOrder, catalog.Find(name)?.Scope ?? ParameterScope.Other);

    private static Result<MergedConfiguration> Fail(List<Diagnostic> diagnostics) => new(null, DiagnosticList.Create(diagnostics));
}

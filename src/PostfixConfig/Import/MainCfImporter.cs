using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Text;
using PostfixConfig.Usage;
using PostfixConfig.Validation;

namespace PostfixConfig.Import;

/// <summary>
/// Turns a main.cf document (and its policy table) into the YAML model such that rendering the model
/// gives a main.cf that <c>postconf -n</c> reads with the same values: values are taken as written;
/// list parameters become lists only when rendering the list (<c>a, b</c>) prints the same under
/// <c>postconf -n</c> as the original.
/// </summary>
internal static class MainCfImporter
{
    public static Result<TlsConfiguration> Import(MainCfDocument document, ImportOptions options, ParameterCatalog catalog)
    {
        var diagnostics = new List<Diagnostic>();
        var main = ParameterMap.Empty;
        foreach (var (name, _) in document.Values)
        {
            var p = document.Find(name)!;
            var text = p.Value;
            if (text.Contains('\r', StringComparison.Ordinal))
            {
                text = text.Replace('\r', ' ');
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ImportValueAdjusted, name,
                    $"The carriage returns in the value of {name} became spaces so that the value can be written on one line; Postfix reads both the same way in lists.",
                    p.ValueSpan));
            }

            var value = AsList(catalog.Find(name), text, p) ?? PostfixValue.Of(text, p.ValueSpan);
            main = main.Set(name, value, p.NameSpan);
        }

        var release = TargetRelease.Resolve(options.PostfixVersion, null, catalog, []);
        var policy = TlsPolicyTable.Empty;
        if (options.PolicyMapPath is { } explicitPath)
        {
            policy = PolicyMapFiles.Read(explicitPath, diagnostics);
        }
        else if (release is not null
            && PolicyMapFiles.ReadNextTo(document, ParameterExpansion.For(document, release.Version, catalog), diagnostics) is { } found)
        {
            policy = found;
        }

        var config = new TlsConfiguration
        {
            PostfixVersion = options.PostfixVersion,
            Main = main,
            TlsPolicy = policy,
            SourcePath = document.Path,
        };
        if (release is not null && document.Path is { } path && MasterCf.ReadNextTo(path) is { } master)
        {
            config = config with { UsedByMasterCf = UsedOnlyByMasterCf(config, master, release.Version, catalog) };
        }

        return new Result<TlsConfiguration>(config, DiagnosticList.Create(diagnostics));
    }

    /// <summary>
    /// The names of main.cf that postconf counts as used only because of the master.cf beside it (an
    /// <c>-o</c> value that says <c>$name</c>, a service that makes a per-service name): what the YAML must
    /// say in <c>used_by_master_cf</c> so that it validates, renders and reads back as the original does.
    /// </summary>
    internal static ValueList<string> UsedOnlyByMasterCf(TlsConfiguration config, MasterCf master, PostfixVersion version, ParameterCatalog catalog)
    {
        var main = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in config.Main)
        {
            main[name] = value.Text;
        }

        var with = ParameterUsage.Decide(main, UsageInput.Entries(config, master), hasMasterCf: true, version, catalog);
        var without = ParameterUsage.Decide(main, UsageInput.Entries(config, null), hasMasterCf: false, version, catalog);
        return [.. main.Keys.Where(n => with.Of(n) != ParameterUse.Unused && without.Of(n) == ParameterUse.Unused).Order(StringComparer.Ordinal)];
    }

    /// <summary>A list value for a list parameter, when rendering it keeps what postconf prints.</summary>
    private static PostfixValue? AsList(ParameterInfo? info, string text, MainCfParameter p)
    {
        if (info is null || info.Kind is not (ParameterKind.List or ParameterKind.FileList or ParameterKind.MapList or ParameterKind.ProtocolList)
            || text.IndexOfAny(['{', '}', '(', ')']) >= 0)
        {
            return null;
        }

        var items = PostfixText.SplitList(text);
        if (items.Length < 2
            || PostfixText.NormalizeLikePostconf(string.Join(", ", items)) != PostfixText.NormalizeLikePostconf(text))
        {
            return null;
        }

        return PostfixValue.OfList(items, p.ValueSpan);
    }
}

using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Text;

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

        var policy = TlsPolicyTable.Empty;
        if (options.PolicyMapPath is { } explicitPath)
        {
            policy = PolicyMapFiles.Read(explicitPath, diagnostics);
        }
        else if (TargetRelease.Resolve(options.PostfixVersion, null, catalog, []) is { } release
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
        return new Result<TlsConfiguration>(config, DiagnosticList.Create(diagnostics));
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

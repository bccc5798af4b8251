using System.Collections.Frozen;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.MainCf;

/// <summary>The outcome of expanding one parameter.</summary>
/// <param name="Value">The expanded value, or <see langword="null"/> on error or when the parameter has no value.</param>
/// <param name="Error">The expansion error, or <see langword="null"/>.</param>
/// <param name="IsLoop">Whether the error is a reference loop.</param>
/// <param name="Undefined">Referenced names that are neither set nor Postfix parameters (they expand to nothing).</param>
/// <param name="UnknownDefaults">Referenced Postfix parameters whose default the catalog does not know (taken as empty).</param>
internal sealed record ParameterExpansionResult(
    string? Value,
    string? Error,
    bool IsLoop,
    IReadOnlyCollection<string> Undefined,
    IReadOnlyCollection<string> UnknownDefaults)
{
    /// <summary>As a <see cref="Result{T}"/> with diagnostics about <paramref name="parameter"/>.</summary>
    public Result<string> ToResult(string parameter, SourceSpan? span)
    {
        var diagnostics = new List<Diagnostic>();
        if (Error is not null)
        {
            diagnostics.Add(ParameterExpansion.ErrorDiagnostic(parameter, Error, IsLoop, span));
        }
        else if (Value is null)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UndefinedReference, parameter,
                $"{parameter} is not set and is not a parameter of this Postfix release, so it has no value to expand; check the name.", span));
        }

        diagnostics.AddRange(ParameterExpansion.ReferenceDiagnostics(parameter, this, span));
        return new Result<string>(Value, DiagnosticList.Create(diagnostics));
    }
}

/// <summary>
/// Expansion of parameter values as <c>postconf -x</c> does it for a release: a reference resolves to
/// the value set in main.cf, else to the release's default (from the catalog; outside TLS from
/// <see cref="Catalog.OtherDefaults"/>, with a stand-in for a default that depends on the host), else to nothing.
/// </summary>
internal sealed class ParameterExpansion
{
    /// <summary>
    /// Parameters that Postfix reads without <c>$</c> expansion (their <c>$</c> text is for a later,
    /// per-message expansion); <c>postconf -x</c> prints them as written. Checked with postconf 3.7.11.
    /// </summary>
    internal static readonly FrozenSet<string> RawParameters = FrozenSet.ToFrozenSet(
    [
        "command_execution_directory", "default_rbl_reply", "forward_path", "luser_relay", "mailbox_command",
        "postscreen_expansion_filter", "postscreen_reject_footer", "smtpd_expansion_filter", "smtpd_reject_footer",
    ], StringComparer.Ordinal);

    /// <summary>Defaults of non-TLS parameters that TLS defaults refer to (the catalog holds TLS parameters only).</summary>
    private static readonly FrozenDictionary<string, (PostfixVersion Since, string Value)> OtherDefaults =
        new Dictionary<string, (PostfixVersion, string)>(StringComparer.Ordinal)
        {
            // compiled-in default 0 in every release that has the parameter (3.0 and later)
            ["compatibility_level"] = (new PostfixVersion(3, 0), "0"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly Func<string, string?> _explicit;
    private readonly PostfixVersion _version;
    private readonly ParameterCatalog _catalog;
    private readonly HashSet<string> _unknownDefaults = new(StringComparer.Ordinal);

    private ParameterExpansion(Func<string, string?> explicitValues, PostfixVersion version, ParameterCatalog catalog)
    {
        _explicit = explicitValues;
        _version = version;
        _catalog = catalog;
    }

    /// <summary>The release whose defaults and syntax apply.</summary>
    public PostfixVersion Version => _version;

    /// <summary>Expansion against a main.cf document.</summary>
    public static ParameterExpansion For(MainCfDocument document, PostfixVersion? version, ParameterCatalog? catalog)
    {
        catalog ??= ParameterCatalog.Default;
        return new ParameterExpansion(name => document.Find(name)?.Value, catalog.Releases.Resolve(version ?? catalog.Releases.NewestStable), catalog);
    }

    /// <summary>Expansion against a configuration's parameters.</summary>
    public static ParameterExpansion For(ParameterMap main, PostfixVersion version, ParameterCatalog catalog) =>
        new(main.GetText, catalog.Releases.Resolve(version), catalog);

    /// <summary>A parameter's value before expansion: as set, else its default, else <see langword="null"/>.</summary>
    public string? Lookup(string name)
    {
        if (_explicit(name) is { } set)
        {
            return set;
        }

        if (_catalog.Find(name) is { } info)
        {
            return info.DefaultIn(_version);
        }

        if (OtherDefaults.TryGetValue(name, out var other))
        {
            return _version >= other.Since ? other.Value : null;
        }

        if (name.Length > 0 && _catalog.IsKnownName(name, _version))
        {
            // The defaults outside TLS, as postconf -d prints them (3.4 and later); one that depends on the host
            // (mynetworks, myhostname, the directories) is a stand-in, never empty, and reported as not known.
            var outside = Catalog.OtherDefaults.Find(name, _version);
            if (outside is not { FromHost: false })
            {
                _unknownDefaults.Add(name);
            }

            return outside?.Value;
        }

        return null;
    }

    /// <summary>Expands a parameter: its value (or default), with every reference resolved.</summary>
    public ParameterExpansionResult ExpandParameter(string name)
    {
        var value = Lookup(name);
        if (value is null)
        {
            return new ParameterExpansionResult(null, null, false, [], []);
        }

        return RawParameters.Contains(name)
            ? new ParameterExpansionResult(value, null, false, [], [])
            : ExpandText(value);
    }

    /// <summary>Expands arbitrary text with this release's syntax.</summary>
    public ParameterExpansionResult ExpandText(string text)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new ParameterExpansionResult(text, null, false, [], []); // nothing to expand (most values)
        }

        _unknownDefaults.Clear();
        var expander = new MacroExpander(Lookup, braces: _version >= new PostfixVersion(3, 0), levelOperators: _version >= new PostfixVersion(3, 6));
        var r = expander.Expand(text);
        // A legacy name that a default still reads ($virtual_maps in virtual_alias_maps) is no undefined parameter for postconf.
        var undefined = r.Undefined.Where(n => n.Length > 0 && !_unknownDefaults.Contains(n) && Usage.LegacyParameters.Find(n, _version) is null)
            .Order(StringComparer.Ordinal).ToArray();
        var unknown = _unknownDefaults.Order(StringComparer.Ordinal).ToArray();
        return new ParameterExpansionResult(r.Value, r.Error, r.IsLoop, undefined, unknown);
    }

    /// <summary>The diagnostic for an expansion error.</summary>
    internal static Diagnostic ErrorDiagnostic(string parameter, string error, bool loop, SourceSpan? span) =>
        loop && error.StartsWith(MacroExpander.OperandLoop, StringComparison.Ordinal)
        ? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.ExpansionLoop, parameter,
            $"The value of {parameter} refers to itself through the operand of a ${{{{a}} == {{b}} ? ...}} test ({error}); Postfix counts no nesting there, so postconf and every daemon that reads it crash with a segmentation fault. Break the loop.", span)
        : loop
        ? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.ExpansionLoop, parameter,
            $"The value of {parameter} refers to itself through $ references ({error}); Postfix stops with \"macro processing error\". Break the loop.", span)
        : new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.ExpansionSyntax, parameter,
            $"The value of {parameter} has a $ expression Postfix cannot expand ({error}); Postfix stops with \"macro processing error\". Write $name, ${{name}}, ${{name?value}} or ${{name:value}}, and write a literal $ as $$.", span);

    /// <summary>Information about references that expand to nothing, or whose default is not known.</summary>
    internal static IEnumerable<Diagnostic> ReferenceDiagnostics(string parameter, ParameterExpansionResult r, SourceSpan? span)
    {
        foreach (var name in r.Undefined)
        {
            yield return new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.UndefinedReference, parameter,
                $"{parameter} refers to ${name}, which is neither set in main.cf nor a Postfix parameter, so it expands to nothing; define {name} or fix the spelling.", span);
        }

        foreach (var name in r.UnknownDefaults)
        {
            yield return new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.DefaultNotInCatalog, parameter,
                $"{parameter} refers to ${name}, whose default depends on the mail host or is not in the catalog; the expansion here takes a stand-in (or nothing) for it (run 'postconf -x {parameter}' on the mail host for the real value).", span);
        }
    }
}

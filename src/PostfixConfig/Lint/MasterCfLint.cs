using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Text;
using PostfixConfig.Usage;
using PostfixConfig.Validation;

namespace PostfixConfig.Lint;

/// <summary>
/// Lint of the master.cf next to main.cf, by postconf's rules and with positions in master.cf: entries
/// Postfix refuses, <c>-o</c> options postconf cannot read, the names it reports as unused or
/// undefined, read-only assignments, and each entry's <c>-o</c> values validated like main.cf values
/// (an invalid <c>-o smtpd_tls_security_level=bogus</c> is an invalid value, wherever it is).
/// </summary>
internal static class MasterCfLint
{
    /// <summary>Codes about parameter names: the name verdict of an entry comes from <see cref="ParameterUsage"/>, not from validating main.cf with its options.</summary>
    private static readonly HashSet<string> NameCodes = new(StringComparer.Ordinal)
    {
        DiagnosticCodes.UnknownParameter, DiagnosticCodes.ParameterNotYetAvailable, DiagnosticCodes.ParameterRemoved,
        DiagnosticCodes.ParameterNotInRelease, DiagnosticCodes.ServiceParameter, DiagnosticCodes.ServiceParameterUnused,
        DiagnosticCodes.InvalidParameterName, DiagnosticCodes.LegacyParameterName, DiagnosticCodes.ReadOnlyParameter,
        DiagnosticCodes.UndefinedReference,
    };

    /// <summary>Entries Postfix refuses (too few fields, a field it does not accept).</summary>
    public static void Syntax(MasterCf master, List<Diagnostic> diagnostics)
    {
        foreach (var entry in master.Entries)
        {
            if (entry.Error is { } error)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MasterCfSyntax, null,
                    $"This master.cf entry has {error}; Postfix refuses the whole file. Fix the entry or comment it out.",
                    new SourceSpan(master.Path, entry.Line, 1)));
            }

            foreach (var (message, span) in entry.Warnings)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MasterCfOptionSyntax, null,
                    $"postconf cannot read this -o option ({message}), and the daemon refuses to start (\"invalid -o option value\"). Write -o {{ name = value }}.",
                    span));
            }
        }
    }

    /// <summary>What postconf says about names in master.cf: unused and read-only options, undefined references.</summary>
    public static void Names(MasterCf master, ParameterUsage usage, List<Diagnostic> diagnostics)
    {
        for (var i = 0; i < master.Services.Count; i++)
        {
            var service = master.Services[i];
            var entry = service.Entry!;
            var where = $"{service.Name}/{service.Type}";
            foreach (var option in LastOfEach(entry.Options))
            {
                if (usage.ReadOnlyAssignments.Contains((i, option.Name)))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ReadOnlyParameter, $"{where}/{option.Name}",
                        $"{option.Name} is set by Postfix itself for each process; the {where} entry's -o {option.Name} is ignored (postconf: \"read-only parameter assignment\"). Remove it.",
                        option.NameSpan));
                }
                else if (!usage.IsUsedIn(i, option.Name))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MasterCfParameterUnused, $"{where}/{option.Name}",
                        $"-o {option.Name} in the {where} entry is not a parameter of this release, and nothing in this entry or in main.cf refers to it as ${option.Name}, so it has no effect (postconf: \"unused parameter\"). Fix the name, or remove it.",
                        option.NameSpan));
                }
            }
        }

        // The entry ("name/type"), its line, and the position of the value of its -o PARAMETER (null when not its own).
        (string Where, SourceSpan Line, SourceSpan? Value)? OptionOf(int? entry, string parameter)
        {
            if (entry is not { } e || e >= master.Services.Count)
            {
                return null;
            }

            var service = master.Services[e];
            var option = service.Entry!.Options.LastOrDefault(o => o.Name == parameter);
            return ($"{service.Name}/{service.Type}", new SourceSpan(master.Path, service.Line, 1), option?.ValueSpan);
        }

        foreach (var unreadable in usage.Unreadable)
        {
            if (OptionOf(unreadable.Entry, unreadable.Parameter) is not (string where, SourceSpan line, var value))
            {
                continue;
            }

            var loop = unreadable.Error.StartsWith("unreasonable macro call nesting", StringComparison.Ordinal);
            var crash = unreadable.Error.StartsWith(MacroExpander.OperandLoop, StringComparison.Ordinal);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, loop || crash ? DiagnosticCodes.ExpansionLoop : DiagnosticCodes.ExpansionSyntax, $"{where}/{unreadable.Parameter}",
                crash
                    ? $"The {where} entry's -o {unreadable.Parameter} value refers to itself through the operand of a ${{{{a}} == {{b}} ? ...}} test ({unreadable.Error}); Postfix counts no nesting there, so postconf and the daemon crash with a segmentation fault. Break the loop."
                    : loop
                    ? $"The {where} entry's -o {unreadable.Parameter} value refers to itself through $ references ({unreadable.Error}); postconf stops with \"fatal: macro processing error\", and so does the daemon. Break the loop."
                    : $"postconf cannot expand the {where} entry's -o {unreadable.Parameter} value ({unreadable.Error}) and stops with \"fatal: macro processing error\": postconf -n and -M show nothing. "
                        + "A -oNAME=VALUE written without a space is cut by postconf at the next letter o; write -o NAME=VALUE, or close the ${...}.",
                value ?? line));
        }

        foreach (var undefined in usage.Undefined)
        {
            if (OptionOf(undefined.Entry, undefined.Parameter) is not (string where, SourceSpan line, var value))
            {
                continue;
            }

            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MasterCfUndefinedReference, $"{where}/{undefined.Parameter}",
                undefined.Listed
                    ? $"The {where} entry's smtpd_restriction_classes lists {undefined.Name}, but neither the entry nor main.cf sets it (postconf: \"undefined parameter\"). Define it in main.cf as {undefined.Name} = restrictions, or remove it from the list."
                    : $"-o {undefined.Parameter} in the {where} entry refers to ${undefined.Name}, which neither the entry nor main.cf sets and which is not a Postfix parameter, so it expands to nothing (postconf: \"undefined parameter\"). Define {undefined.Name} in main.cf, or fix the spelling.",
                value is { } v ? Shift(v, undefined.Offset) : line));
        }
    }

    /// <summary>
    /// Each entry's <c>-o</c> values validated like main.cf's: main.cf's settings with the entry's options
    /// applied, and what that finds beyond main.cf's own findings about those options.
    /// </summary>
    public static void Values(TlsConfiguration mainCf, MasterCf master, TargetRelease release, ParameterCatalog catalog, IReadOnlyCollection<Diagnostic> baseline, List<Diagnostic> diagnostics)
    {
        var known = baseline.Select(Key).ToHashSet();
        foreach (var service in master.Services)
        {
            var entry = service.Entry!;
            if (entry.Options.Count == 0 || entry.Error is not null)
            {
                continue;
            }

            var main = mainCf.Main;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var option in LastOfEach(entry.Options))
            {
                main = main.Set(option.Name, PostfixValue.Of(option.Value, option.ValueSpan), option.NameSpan);
                names.Add(option.Name);
            }

            var target = new ValidationTarget(mainCf with { Main = main, TlsPolicy = TlsPolicyTable.Empty }, release, catalog) { Master = master, Service = ServiceRole.Other };
            var where = $"{service.Name}/{service.Type}";
            foreach (var d in TlsConfigurationValidator.Instance.Run(target))
            {
                if (NameCodes.Contains(d.Code) || known.Contains(Key(d))
                    || !(d.Parameter is { } p && names.Contains(p) && d.Span?.File == master.Path))
                {
                    continue;
                }

                diagnostics.Add(d with { Parameter = $"{where}/{d.Parameter}", Message = $"In the {where} entry: {d.Message}" });
            }
        }
    }

    /// <summary>The last option of each name (the one that counts), in the order of their last occurrence.</summary>
    internal static IEnumerable<MasterCfOption> LastOfEach(IReadOnlyList<MasterCfOption> options) =>
        options.Where((o, i) => !options.Skip(i + 1).Any(later => later.Name == o.Name));

    private static SourceSpan Shift(SourceSpan span, int offset) => offset < 0 ? span : span with { Column = span.Column + offset };

    private static (string, string?, string) Key(Diagnostic d) => (d.Code, d.Parameter, d.Message);
}

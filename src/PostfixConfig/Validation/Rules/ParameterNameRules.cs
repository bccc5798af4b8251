using System.Text.RegularExpressions;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Parameter names: unknown names (with a suggestion), per-service names that depend on master.cf,
/// names the target release does not have yet or any more, deprecated and obsolete parameters.
/// Driven entirely by the catalog's gates.
/// </summary>
internal sealed partial class ParameterNameRules : RuleSet
{
    /// <summary>The name that the code of a few patch releases read instead of <c>tls_fast_shutdown_enable</c>.</summary>
    private const string FastShutdownOldName = "tls_fast_shutdown";

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        HashSet<string>? referenced = null;
        foreach (var (name, _) in t.Config.Main)
        {
            var span = t.NameSpanOf(name);
            if (!NamePattern().IsMatch(name))
            {
                context.Error(DiagnosticCodes.InvalidParameterName, name,
                    $"'{PostfixText.Printable(name)}' is not a valid parameter name; main.cf names use only letters, digits and '_'.", span);
                continue;
            }

            var info = t.Catalog.Find(name);
            if (info is null)
            {
                // With master.cf known, a per-service name is judged by its services as postconf does,
                // also the ones the catalog lists because Debian's stock master.cf defines them (relay_*).
                var service = ServiceParameters.Find(t.Catalog, name, t.Version);
                if (service is not null && t.Master is { } master && (!t.Catalog.IsKnownName(name) || ServiceParameters.IsFromStockMasterCf(name)))
                {
                    if (!master.Defines(service.Service, service.ProgramNames) && !IsReferenced(name))
                    {
                        var program = master.ProgramOf(service.Service);
                        context.Warning(DiagnosticCodes.ServiceParameterUnused, name,
                            $"{name} is a per-service setting for a master.cf service '{service.Service}' (a {service.Programs} service), but "
                            + (program is null ? "master.cf next to main.cf has no such service" : $"master.cf runs '{service.Service}' with {program}, which does not read it")
                            + ", so it has no effect (postconf reports it as unused). "
                            + (program is null && master.SuggestService(service.Service, service.ProgramNames) is { } close ? $"Did you mean '{close}'? " : string.Empty)
                            + "Fix the service name, or remove it.",
                            span);
                    }

                    continue; // otherwise a service of master.cf with a program that reads it: a valid parameter
                }

                if (t.Catalog.IsKnownName(name))
                {
                    if (!t.Catalog.IsKnownName(name, t.Version))
                    {
                        context.Warning(DiagnosticCodes.ParameterNotInRelease, name,
                            $"{name} is not a parameter of {t.Release} (it exists from {t.Catalog.NameSince(name)}); postconf would report it as unused. Remove it or target a newer release.", span);
                    }

                    continue;
                }

                if (IsReferenced(name))
                {
                    continue; // a user-defined parameter, referenced as $name elsewhere (main.cf, or master.cf -o)
                }

                if (name == FastShutdownOldName && Thresholds.FastShutdownOldName.Contains(t.Version))
                {
                    continue; // what these patch releases read (see OpenSslRules)
                }

                if (service is not null)
                {
                    context.Info(DiagnosticCodes.ServiceParameter, name,
                        $"{name} is a per-service setting for the master.cf service '{service.Service}' (a {service.Programs} service); it defaults to ${service.Default}. It only takes effect if master.cf defines '{service.Service}', otherwise postconf reports it as unused.",
                        span);
                    continue;
                }

                var suggestion = t.Catalog.Suggest(name);
                context.Error(DiagnosticCodes.UnknownParameter, name,
                    suggestion is null
                        ? $"Unknown parameter '{name}'; check the spelling against postconf(5)."
                        : $"Unknown parameter '{name}'; did you mean '{suggestion}'?",
                    span);
                continue;
            }

            CheckRelease(context, t, info, span);
        }

        // Used as $name somewhere: in main.cf, or in a master.cf -o option.
        bool IsReferenced(string name) =>
            (referenced ??= ReferencedNames(t.Config)).Contains(name) || (t.Master?.ReferencedNames.Contains(name) ?? false);
    }

    private static void CheckRelease(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo info, SourceSpan? span)
    {
        var name = info.Name;
        var instead = info.Replacements.IsEmpty ? string.Empty : $" Use {string.Join(" or ", info.Replacements)} instead.";
        var warns = info.PostconfWarnsIn(t.Version) ? " postconf warns about it." : string.Empty;
        if (!info.Since.IsSatisfiedBy(t.Version))
        {
            context.Error(DiagnosticCodes.ParameterNotYetAvailable, name,
                $"{name} needs Postfix {info.Since.Describe()}; {t.Release} does not know it, so it would have no effect.{instead}"
                + (instead.Length == 0 ? " Remove it or target a newer release." : string.Empty), span);
            return;
        }

        if (info.Removed is { } removed && removed.IsSatisfiedBy(t.Version))
        {
            if (ReadThroughDefault(t, name) is { } reader)
            {
                context.Warning(DiagnosticCodes.ParameterDeprecated, name,
                    $"{name} was renamed: {t.Release} only reads it through the default of {reader}.{warns} Set {reader} instead.", span);
                return;
            }

            context.Warning(DiagnosticCodes.ParameterRemoved, name,
                $"{name} no longer exists in {t.Release} (gone since {removed.Describe()}); postconf would report it as unused.{(instead.Length > 0 ? instead : " Remove it.")}", span);
            return;
        }

        if (info.IsObsoleteIn(t.Version))
        {
            context.Warning(DiagnosticCodes.ParameterObsolete, name,
                $"{name} has no effect in {t.Release} (ignored since {info.Obsolete!.Describe()}).{warns} Remove it.{instead}", span);
            return;
        }

        if (info.IsDeprecatedIn(t.Version))
        {
            context.Warning(DiagnosticCodes.ParameterDeprecated, name,
                $"{name} is deprecated since Postfix {info.Deprecated!.Describe()}.{warns}{(instead.Length > 0 ? instead : " Leave it at its default.")}", span);
        }
    }

    /// <summary>The parameter whose default in the target release reads <paramref name="name"/>, if any.</summary>
    private static string? ReadThroughDefault(ValidationTarget t, string name)
    {
        foreach (var p in t.Catalog.Parameters)
        {
            if (p.DefaultIn(t.Version) is { } d && MacroReferences.RefersTo(d, name))
            {
                return p.Name;
            }
        }

        return null;
    }

    /// <summary>Names referenced as <c>$name</c>, <c>${name...}</c> or <c>$(name)</c> in any value (main.cf and the services' <c>-o</c> overrides).</summary>
    internal static HashSet<string> ReferencedNames(TlsConfiguration config)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in config.Main.Concat(config.Services.SelectMany(s => s.Overrides)))
        {
            MacroReferences.AddTo(value.Text, names);
        }

        return names;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+\\z")]
    private static partial Regex NamePattern();
}

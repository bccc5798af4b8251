using System.Text.RegularExpressions;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;
using PostfixConfig.Usage;

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
        var usage = t.Usage;
        foreach (var (name, _) in t.Config.Main)
        {
            var span = t.NameSpanOf(name);
            var use = usage.Of(name);
            switch (use)
            {
                case ParameterUse.ReadOnly:
                    context.Warning(DiagnosticCodes.ReadOnlyParameter, name,
                        $"{name} is set by Postfix itself for each process; Postfix ignores this assignment (postconf: \"read-only parameter assignment\"). Remove it.", span);
                    continue;
                case ParameterUse.Legacy:
                    LegacyAdvice(context, t, name, span);
                    continue;
                // Service names may hold '-', '.' and ':' (policyd-spf_time_limit, 127.0.0.1:10025_recipient_limit): such a
                // per-service name is judged below as one.
                case ParameterUse.Unused when !NamePattern().IsMatch(name) && ServiceParameters.Find(t.Catalog, name, t.Version) is null:
                    context.Error(DiagnosticCodes.InvalidParameterName, name,
                        $"'{PostfixText.Printable(name)}' is not a valid parameter name; main.cf names use only letters, digits and '_', and per-service names a master.cf service name before _suffix (postconf would report it as unused).", span);
                    continue;
            }

            var info = t.Catalog.Find(name);
            if (info is not null && use == ParameterUse.BuiltIn)
            {
                CheckRelease(context, t, info, span);
                continue;
            }

            if (use != ParameterUse.Unused)
            {
                continue; // a parameter of the release, a per-service one master.cf makes, or one of the user's own that is used
            }

            if (name == FastShutdownOldName && Thresholds.FastShutdownOldName.Contains(t.Version))
            {
                continue; // what these patch releases read (see OpenSslRules)
            }

            if (info is not null)
            {
                CheckRelease(context, t, info, span); // a TLS parameter of another release
                continue;
            }

            var service = ServiceParameters.Find(t.Catalog, name, t.Version);
            if (service is not null && t.Master is { } master)
            {
                var program = master.ProgramOf(service.Service);
                context.Warning(DiagnosticCodes.ServiceParameterUnused, name,
                    $"{name} is a per-service setting for a master.cf service '{service.Service}' (a {service.Programs} service), but "
                    + (program is null ? "master.cf next to main.cf has no such service" : $"master.cf runs '{service.Service}' with {program}, which does not read it")
                    + ", so it has no effect (postconf reports it as unused). "
                    + (program is null && master.SuggestService(service.Service, service.ProgramNames) is { } close ? $"Did you mean '{close}'? " : string.Empty)
                    + "Fix the service name, or remove it.",
                    span);
                continue;
            }

            if (t.Catalog.IsKnownName(name))
            {
                var since = t.Catalog.NameSince(name);
                context.Warning(DiagnosticCodes.ParameterNotInRelease, name,
                    since is { } s && s > t.Version.Line
                        ? $"{name} is not a parameter of {t.Release} (it exists from {s}); postconf would report it as unused. Remove it or target a newer release."
                        : $"{name} is not a parameter of {t.Release} any more; postconf would report it as unused. Remove it.",
                    span);
                continue;
            }

            if (service is not null)
            {
                context.Info(DiagnosticCodes.ServiceParameter, name,
                    $"{name} is a per-service setting for the master.cf service '{service.Service}' (a {service.Programs} service); it defaults to ${service.Default}. It only takes effect if master.cf defines '{service.Service}', otherwise postconf reports it as unused.",
                    span);
                continue;
            }

            var suggestion = t.Catalog.Suggest(name);
            var unused = t.Master is null && t.Config.Services.Count == 0
                ? $" Nothing here refers to it; if master.cf's -o options do ($name), list it under used_by_master_cf."
                : " Nothing in main.cf or master.cf refers to it as $name, so postconf reports it as unused.";
            context.Error(DiagnosticCodes.UnknownParameter, name,
                (suggestion is null
                    ? $"Unknown parameter '{name}'; check the spelling against postconf(5)."
                    : $"Unknown parameter '{name}'; did you mean '{suggestion}'?") + unused,
                span);
        }
    }

    /// <summary>A legacy name: still read through its successor's default, unless the successor is set.</summary>
    private static void LegacyAdvice(ValidationContext<ValidationTarget> context, ValidationTarget t, string name, SourceSpan? span)
    {
        var legacy = LegacyParameters.Find(name, t.Version)!;
        var successor = legacy.Successor;
        if (!t.Knows(successor))
        {
            return;
        }

        var warns = t.Version.Line >= new PostfixVersion(3, 11) ? " postconf warns that support for it will be removed." : string.Empty;
        if (t.IsSet(successor))
        {
            context.Warning(DiagnosticCodes.LegacyParameterName, name,
                $"{name} was renamed to {successor} in {legacy.RenamedIn}; {successor} is set too, so {name} has no effect.{warns} Remove it.", span);
            return;
        }

        context.Warning(DiagnosticCodes.LegacyParameterName, name,
            $"{name} was renamed to {successor} in {legacy.RenamedIn}; {t.Release} still honours it through the default of {successor}.{warns} Rename it to {successor} (same value).", span);
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

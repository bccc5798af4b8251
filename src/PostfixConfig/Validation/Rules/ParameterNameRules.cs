using System.Text.RegularExpressions;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Parameter names: unknown names (with a suggestion), names the target release does not have
/// yet or any more, deprecated and obsolete parameters. Driven entirely by the catalog's gates.
/// </summary>
internal sealed partial class ParameterNameRules : AbstractValidator<ValidationTarget>
{
    public ParameterNameRules()
    {
        RuleFor(t => t.Config).Custom((_, context) =>
        {
            var t = context.InstanceToValidate;
            HashSet<string>? referenced = null;
            foreach (var (name, _) in t.Config.Main)
            {
                var span = t.NameSpanOf(name);
                if (!NamePattern().IsMatch(name))
                {
                    context.Error(DiagnosticCodes.InvalidParameterName, name,
                        $"'{Printable(name)}' is not a valid parameter name; main.cf names use only letters, digits and '_'.", span);
                    continue;
                }

                var info = t.Catalog.Find(name);
                if (info is null)
                {
                    if (t.Catalog.IsKnownName(name))
                    {
                        if (!t.Catalog.IsKnownName(name, t.Version))
                        {
                            context.Warning(DiagnosticCodes.ParameterNotInRelease, name,
                                $"{name} is not a parameter of Postfix {t.Version} (it exists from {t.Catalog.NameSince(name)}); postconf would report it as unused.", span);
                        }

                        continue;
                    }

                    referenced ??= ReferencedNames(t.Config);
                    if (referenced.Contains(name))
                    {
                        continue; // a user-defined parameter, referenced as $name elsewhere
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
        });
    }

    private static void CheckRelease(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo info, SourceSpan? span)
    {
        var name = info.Name;
        var instead = info.Replacements.IsEmpty ? string.Empty : $" Use {string.Join(" or ", info.Replacements)} instead.";
        if (!info.Since.IsSatisfiedBy(t.Version))
        {
            context.Error(DiagnosticCodes.ParameterNotYetAvailable, name,
                $"{name} needs Postfix {info.Since.Describe()}; Postfix {t.Version} does not know it, so it would have no effect.{instead}", span);
            return;
        }

        if (info.Removed is { } removed && removed.IsSatisfiedBy(t.Version))
        {
            context.Warning(DiagnosticCodes.ParameterRemoved, name,
                $"{name} no longer exists in Postfix {t.Version} (gone since {removed.Describe()}); postconf would report it as unused.{instead}", span);
            return;
        }

        if (info.IsObsoleteIn(t.Version))
        {
            context.Warning(DiagnosticCodes.ParameterObsolete, name,
                $"{name} has no effect in Postfix {t.Version} (ignored since {info.Obsolete!.Describe()}); remove it.{instead}", span);
            return;
        }

        if (info.IsDeprecatedIn(t.Version))
        {
            var warns = info.PostconfWarnsIn(t.Version) ? " postconf warns about it." : string.Empty;
            context.Warning(DiagnosticCodes.ParameterDeprecated, name,
                $"{name} is deprecated since Postfix {info.Deprecated!.Describe()}.{warns}{(instead.Length > 0 ? instead : " Leave it at its default.")}", span);
        }
    }

    /// <summary>Names referenced as <c>$name</c>, <c>${name...}</c> or <c>$(name)</c> in any value.</summary>
    internal static HashSet<string> ReferencedNames(TlsConfiguration config)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in config.Main)
        {
            foreach (Match m in ReferencePattern().Matches(value.Text))
            {
                names.Add(m.Groups[1].Value);
            }
        }

        return names;
    }

    internal static string Printable(string s)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var c in s)
        {
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\$[{(]?([A-Za-z0-9_]+)")]
    private static partial Regex ReferencePattern();
}

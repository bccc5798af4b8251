using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// The legacy TLS switches (<c>*_use_tls</c>, <c>*_enforce_tls</c>, <c>*_tls_enforce_peername</c>) and
/// the security levels that replaced them in 2.3: when both are set, a non-empty level wins and the
/// switches are ignored; an explicitly empty level leaves the switches in charge. When only the
/// switches are set, the message gives the equivalent level. (That the switches are deprecated is
/// reported by <see cref="ParameterNameRules"/> from the catalog.)
/// </summary>
internal sealed class LegacySwitchRules : RuleSet
{
    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var family in TlsFamily.All)
        {
            var switches = new[] { family.Use, family.Enforce, family.EnforcePeername }
                .Where(n => n is not null && t.IsSet(n) && t.Knows(n)).Cast<string>().ToList();
            if (switches.Count == 0)
            {
                continue;
            }

            var levelName = family.LevelIn(t);
            if (levelName is null)
            {
                continue; // 2.2 (or tlsproxy before 3.4): only the switches exist
            }

            var level = t.Resolve(levelName);
            if (level is null)
            {
                continue; // depends on something unknown (compatibility_level, a $reference)
            }

            if (level.Length > 0)
            {
                var why = t.IsSet(levelName) ? $"{levelName} = {level} is set" : $"{levelName} defaults to {level} in {t.Release}";
                foreach (var name in switches)
                {
                    context.Warning(DiagnosticCodes.LegacySwitchOverridden, name,
                        $"{name} is ignored: {why}, and a non-empty security level wins over the legacy switches (since Postfix {Thresholds.SecurityLevels.Describe()}). Remove {name}.",
                        t.SpanOf(name));
                }

                continue;
            }

            if (family.LegacyLevel(t) is { } legacy)
            {
                var first = switches[0];
                context.Info(DiagnosticCodes.LegacySwitchEquivalent, first,
                    $"{levelName} is {(t.IsSet(levelName) ? "set but empty" : "not set")}, so the legacy switches decide: "
                    + $"{string.Join(" and ", switches.Select(n => $"{n} = {t.Text(n)}"))} amounts to {levelName} = {legacy}. Write that instead and remove the legacy switch{(switches.Count > 1 ? "es" : string.Empty)}.",
                    t.SpanOf(first));
            }
        }
    }
}

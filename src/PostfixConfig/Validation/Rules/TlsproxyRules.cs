using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// tlsproxy(8)'s client role (3.4+): the 3.4-3.6 names <c>tlsproxy_client_level</c> and
/// <c>tlsproxy_client_policy</c>, which 3.7 replaced by <c>tlsproxy_client_security_level</c> and
/// <c>tlsproxy_client_policy_maps</c>. The new parameters' defaults read the old names, but up to
/// 3.7.15, 3.8.10, 3.9.4 and 3.10.3 they yield an empty value when an old name is set.
/// </summary>
internal sealed class TlsproxyRules : RuleSet
{
    private static readonly (string Old, string New)[] Renames =
    [
        ("tlsproxy_client_level", "tlsproxy_client_security_level"),
        ("tlsproxy_client_policy", "tlsproxy_client_policy_maps"),
    ];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (old, renamed) in Renames)
        {
            if (!t.IsSet(old) || t.IsSet(renamed) || !t.Knows(renamed) || t.AtLeast(Thresholds.TlsproxyOldNamesFixed))
            {
                continue;
            }

            context.Warning(DiagnosticCodes.TlsproxyOldNames, old,
                $"In {t.Release} the default of {renamed} yields an empty value when {old} is set (fixed in {Thresholds.TlsproxyOldNamesFixed.Describe()}), "
                + $"so tlsproxy's client role would ignore this setting. Write {renamed} = {t.Text(old)} instead of {old}.",
                t.SpanOf(old));
        }
    }
}

using System.Text.RegularExpressions;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// The <c>$</c> expression forms a value uses, by release: <c>${name?{text}}</c>,
/// <c>${name?{a}:{b}}</c> and <c>${{a} == {b} ? {x} : {y}}</c> from 3.0, the <c>&lt;level</c>
/// comparisons from 3.6, and <c>${function{text}}</c> from 3.11 (as in the 3.11 default of
/// <c>smtp_requiretls_policy</c>). Older releases leave such text unexpanded or reject it.
/// </summary>
internal sealed partial class ExpansionRules : RuleSet
{
    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (name, value) in t.Config.Main)
        {
            var text = value.Text;
            if (!text.Contains("${", StringComparison.Ordinal))
            {
                continue;
            }

            string? form = null;
            VersionGate? gate = null;
            if (FunctionPattern().Match(text) is { Success: true } function && !t.AtLeast(Thresholds.ExpansionFunctions))
            {
                (form, gate) = ($"the function call ${{{function.Groups[1].Value}{{...}}}}", Thresholds.ExpansionFunctions);
            }
            else if (LevelPattern().IsMatch(text) && !t.AtLeast(Thresholds.ExpansionLevelComparison))
            {
                (form, gate) = ("the compatibility-level comparison <level/>=level", Thresholds.ExpansionLevelComparison);
            }
            else if (ExpressionPattern().IsMatch(text) && !t.AtLeast(Thresholds.ExpansionExpressions))
            {
                (form, gate) = ("the ${name?{...}} / ${{a} == {b} ? {x} : {y}} expression form", Thresholds.ExpansionExpressions);
            }

            if (form is not null && gate is not null)
            {
                context.Error(DiagnosticCodes.ExpansionNotInRelease, name,
                    $"The value of {name} uses {form}, which needs Postfix {gate.Describe()}; {t.Release} cannot expand it. Write the value out literally.",
                    t.SpanOf(name));
            }
        }
    }

    // ${name{  (a function; not ${name?{ or ${name:{ )
    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\{")]
    private static partial Regex FunctionPattern();

    [GeneratedRegex(@"(?:==|!=|<=|>=|<|>)level\b")]
    private static partial Regex LevelPattern();

    // ${{ ... (relational), or ${name?{ / ${name:{ (braced values)
    [GeneratedRegex(@"\$\{\s*\{|\$\{[A-Za-z0-9_]+[?:]\s*\{")]
    private static partial Regex ExpressionPattern();
}

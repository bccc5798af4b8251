using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// <c>compatibility_level</c> (3.0+): an integer (0, 1, 2) before 3.6, <c>major[.minor[.patch]]</c>
/// from 3.6; anything else stops Postfix at daemon start. The 3.3.18, 3.4.21 and 3.5.11 patch releases
/// take a value with a dot that starts with a digit as its major number (<c>3.6</c> is 3), so that a
/// 3.6 configuration rolls back. (Its TLS effects are reported by the rules of the defaults it changes.)
/// </summary>
internal sealed class CompatibilityLevelRules : RuleSet
{
    private const string Name = "compatibility_level";

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        if (!t.IsSet(Name) || !t.Knows(Name) || t.Resolve(Name) is not { } value)
        {
            return;
        }

        var span = t.SpanOf(Name);
        if (!t.AtLeast(Thresholds.DottedCompatibilityLevel))
        {
            if (value.Length == 0 || value.Length > 9 || !value.All(char.IsAsciiDigit))
            {
                var major = value.Split('.')[0];
                context.Error(DiagnosticCodes.InvalidCompatibilityLevel, Name,
                    $"{t.Release} reads compatibility_level as a whole number (0, 1 or 2); '{value}' stops it with \"bad numerical configuration\". "
                    + $"Levels such as 3.6 need Postfix {Thresholds.DottedCompatibilityLevel.Describe()}. Write compatibility_level = {(major.Length > 0 && major.All(char.IsAsciiDigit) && int.TryParse(major, out var m) && m <= 2 ? major : "2")}.",
                    span);
            }

            return;
        }

        if (t.Version.Line < Thresholds.DottedCompatibilityLevel.Mainline.Line)
        {
            // A patch release before 3.6 with the roll-back support: a value with a dot that starts with a
            // digit is read as its major number (mail_params.c: atoi), any other value as an integer.
            var rollback = value.Length > 0 && char.IsAsciiDigit(value[0]) && value.Contains('.', StringComparison.Ordinal);
            if (!rollback && (value.Length == 0 || value.Length > 9 || !value.All(char.IsAsciiDigit)))
            {
                context.Error(DiagnosticCodes.InvalidCompatibilityLevel, Name,
                    $"{t.Release} reads compatibility_level as a whole number, or a level such as 3.6 as its major number; '{value}' stops it with \"bad numerical configuration\". Write compatibility_level = 2.",
                    span);
            }

            return;
        }

        if (!Expansion.TryParseLevel(value, out _))
        {
            context.Error(DiagnosticCodes.InvalidCompatibilityLevel, Name,
                $"compatibility_level = '{value}' is not a level; Postfix stops at daemon start. Write major[.minor[.patch]], for example {t.Version.Line}.",
                span);
        }
    }
}

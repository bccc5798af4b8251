using System.Globalization;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Values by the parameter's kind: booleans, integers and ranges, times, enumeration words and
/// the release that accepts each, and single values versus lists (characters main.cf cannot hold are
/// <see cref="TextSafetyRules"/>' concern).
/// Values containing <c>$</c> are expanded by Postfix at run time and are not checked by kind.
/// </summary>
internal sealed class ValueKindRules : AbstractValidator<ValidationTarget>
{
    public ValueKindRules()
    {
        RuleFor(t => t.Config).Custom((_, context) =>
        {
            var t = context.InstanceToValidate;
            foreach (var (name, value) in t.Config.Main)
            {
                var span = t.SpanOf(name);
                if (value.AsList().Any(text => TextSafetyRules.Unwritable(text) is not null))
                {
                    continue; // TextSafetyRules reports it; the kind cannot be judged
                }

                var info = t.Catalog.Find(name);
                if (info is null || !info.IsKnownIn(t.Version))
                {
                    continue;
                }

                CheckKind(context, t, info, value, span);
            }
        });
    }

    private static void CheckKind(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo info, PostfixValue value, SourceSpan? span)
    {
        var name = info.Name;
        var single = info.Kind is ParameterKind.Boolean or ParameterKind.Integer or ParameterKind.Time or ParameterKind.Enum
            or ParameterKind.CipherGrade or ParameterKind.Digest or ParameterKind.File or ParameterKind.MapReference;
        if (single && value.IsList)
        {
            if (value.Items.Length == 1)
            {
                value = PostfixValue.Of(value.Items[0], value.Span);
            }
            else
            {
                context.Error(DiagnosticCodes.ListNotAllowed, name,
                    $"{name} takes a single {Describe(info.Kind)}, not a list of {value.Items.Length.ToString(CultureInfo.InvariantCulture)}.", span);
                return;
            }
        }

        var text = value.Text.Trim();
        if (text.Contains('$', StringComparison.Ordinal))
        {
            return; // expanded at run time
        }

        switch (info.Kind)
        {
            case ParameterKind.Boolean:
                if (!text.Equals("yes", StringComparison.OrdinalIgnoreCase) && !text.Equals("no", StringComparison.OrdinalIgnoreCase))
                {
                    context.Error(DiagnosticCodes.InvalidBoolean, name,
                        $"{name} takes yes or no, not '{text}'; Postfix stops with \"bad boolean configuration\".", span);
                }

                break;
            case ParameterKind.Integer:
                CheckInteger(context, info, text, span);
                break;
            case ParameterKind.Time:
                if (!ValueConverters.TryParseTime(text, info.Unit ?? 's', out _))
                {
                    context.Error(DiagnosticCodes.InvalidTime, name,
                        $"{name} takes a time such as 300s, 5m, 1h or 1d, not '{text}'.", span);
                }

                break;
            case ParameterKind.Enum:
            case ParameterKind.CipherGrade:
                CheckWord(context, t, info, text, span);
                break;
            case ParameterKind.Digest:
                if (text.Length > 0 && info.FindValue(text) is null && !IsPlausibleDigest(text))
                {
                    context.Error(DiagnosticCodes.UnknownValue, name,
                        $"{name} takes an OpenSSL digest name such as {string.Join(", ", info.Values.Select(v => v.Value))}, not '{text}'.", span);
                }

                break;
        }
    }

    private static bool IsPlausibleDigest(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' || c == '/') && text.Length <= 32;

    private static void CheckInteger(ValidationContext<ValidationTarget> context, ParameterInfo info, string text, SourceSpan? span)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            context.Error(DiagnosticCodes.InvalidInteger, info.Name,
                $"{info.Name} takes a whole number, not '{text}'; Postfix stops with \"bad numerical configuration\".", span);
            return;
        }

        if (info.Range is { } r && (n < r.Min || n > r.Max))
        {
            context.Error(DiagnosticCodes.IntegerOutOfRange, info.Name,
                string.Create(CultureInfo.InvariantCulture, $"{info.Name} = {n} is outside {r.Min}..{r.Max}."), span);
        }
    }

    private static void CheckWord(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo info, string text, SourceSpan? span)
    {
        if (text.Length == 0)
        {
            if (info.DefaultIn(t.Version) is { Length: > 0 } && info.Kind == ParameterKind.CipherGrade)
            {
                context.Error(DiagnosticCodes.UnknownValue, info.Name,
                    $"{info.Name} needs a cipher grade ({string.Join(", ", info.ValuesIn(t.Version))}); an empty value is not one.", span);
            }

            return;
        }

        var allowed = string.Join(", ", info.ValuesIn(t.Version));
        var found = info.FindValue(text);
        if (found is null)
        {
            var close = info.Values.Select(v => v.Value).FirstOrDefault(v => Close(v, text));
            context.Error(DiagnosticCodes.UnknownValue, info.Name,
                $"{info.Name} does not accept '{text}'; Postfix {t.Version} accepts {allowed}"
                + (close is null ? "." : $" (did you mean '{close}'?)."), span);
        }
        else if (!found.Since.IsSatisfiedBy(t.Version))
        {
            context.Error(DiagnosticCodes.ValueNotYetAvailable, info.Name,
                $"{info.Name} = {found.Value} needs Postfix {found.Since.Describe()}; Postfix {t.Version} accepts {allowed}.", span);
        }
    }

    private static bool Close(string a, string b)
    {
        if (a.Length < 2 || b.Length < 2)
        {
            return false;
        }

        var common = a.Intersect(b).Count();
        return Math.Abs(a.Length - b.Length) <= 2 && common >= Math.Min(a.Length, b.Length) - 1
            && char.ToLowerInvariant(a[0]) == char.ToLowerInvariant(b[0]);
    }

    private static string Describe(ParameterKind kind) => kind switch
    {
        ParameterKind.Boolean => "yes/no value",
        ParameterKind.Integer => "number",
        ParameterKind.Time => "time",
        ParameterKind.File => "file name",
        ParameterKind.MapReference => "table (type:name)",
        _ => "value",
    };
}

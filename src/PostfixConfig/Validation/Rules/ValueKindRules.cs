using System.Globalization;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Values by the parameter's kind: booleans, integers and ranges, times, enumeration words and
/// the release that accepts each, and single values versus lists (characters main.cf cannot hold are
/// <see cref="TextSafetyRules"/>' concern). Values containing <c>$</c> are expanded by Postfix at run
/// time: a value that is exactly a reference (<c>$other</c>) is checked as what it resolves to, other
/// expansions are not checked by kind.
/// </summary>
internal sealed class ValueKindRules : RuleSet
{
    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
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
                    $"{name} takes a single {Describe(info.Kind)}, not a list of {value.Items.Length.ToString(CultureInfo.InvariantCulture)}; write one value.", span);
                return;
            }
        }

        var text = value.Text.Trim();
        var via = string.Empty;
        if (text.Contains('$', StringComparison.Ordinal))
        {
            if (!IsPlainReference(text) || Expansion.Expand(t, text) is not { } resolved)
            {
                return; // expanded at run time
            }

            via = $" (through {text})";
            text = resolved;
        }

        switch (info.Kind)
        {
            case ParameterKind.Boolean:
                if (!text.Equals("yes", StringComparison.OrdinalIgnoreCase) && !text.Equals("no", StringComparison.OrdinalIgnoreCase))
                {
                    context.Error(DiagnosticCodes.InvalidBoolean, name,
                        $"{name} takes yes or no, not '{text}'{via}; Postfix stops with \"bad boolean configuration\".", span);
                }

                break;
            case ParameterKind.Integer:
                if (IsLoglevel(name) && t.AtLeast(Thresholds.LoglevelNames))
                {
                    CheckLoglevel(context, t, info, text, span);
                    break;
                }

                CheckInteger(context, info, text, span);
                break;
            case ParameterKind.Time:
                if (!ValueConverters.TryParseTime(text, info.Unit ?? 's', out _))
                {
                    context.Error(DiagnosticCodes.InvalidTime, name,
                        $"{name} takes a time such as 300s, 5m, 1h or 1d, not '{text}'{via}.", span);
                }

                break;
            case ParameterKind.Enum:
            case ParameterKind.CipherGrade:
                if (ServerTlsRules.ActsAsEncrypt(t, info.Name, text))
                {
                    break; // accepted with a warning (ServerTlsRules)
                }

                CheckWord(context, t, info, text, via, span);
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
            var fix = n < r.Min ? r.Min : r.Max;
            context.Warning(DiagnosticCodes.IntegerOutOfRange, info.Name,
                string.Create(CultureInfo.InvariantCulture, $"{info.Name} = {n} is outside {r.Min}..{r.Max}, where values have a meaning; Postfix treats it like {fix}. Write {fix}."), span);
        }
    }

    /// <summary>
    /// TLS log levels from 2.9: a list of level names (tls_misc.c); 0-4 are the documented ones, 5-9 mean 4,
    /// <c>trace</c> needs 3.12. An unknown name makes Postfix log a warning and turn TLS logging off.
    /// </summary>
    private static void CheckLoglevel(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo info, string text, SourceSpan? span)
    {
        foreach (var word in PostfixText.SplitList(text))
        {
            if (word.Length == 1 && word[0] is >= '0' and <= '4')
            {
                continue;
            }

            if (word.Length == 1 && word[0] is >= '5' and <= '9')
            {
                context.Warning(DiagnosticCodes.IntegerOutOfRange, info.Name,
                    $"{info.Name} = {word} is outside 0..4, where levels have a meaning; Postfix treats it like 4. Write 4.", span);
            }
            else if (word.Equals("trace", StringComparison.OrdinalIgnoreCase))
            {
                if (!t.AtLeast(Thresholds.LoglevelTrace))
                {
                    context.Warning(DiagnosticCodes.ValueNotYetAvailable, info.Name,
                        $"The 'trace' level of {info.Name} needs Postfix {Thresholds.LoglevelTrace.Describe()}; {t.Release} logs a warning and turns TLS logging off. Remove ',trace'.", span);
                }
            }
            else if (!LoglevelWords.Contains(word, StringComparer.OrdinalIgnoreCase))
            {
                context.Warning(DiagnosticCodes.UnknownValue, info.Name,
                    $"{info.Name} does not accept '{word}'; Postfix logs a warning and turns TLS logging off. Write a level from 0 to 4 (1 for normal use).", span);
            }
        }
    }

    /// <summary>Level names Postfix accepts besides the digits (tls_misc.c, 2.9 and later).</summary>
    private static readonly string[] LoglevelWords =
    [
        "none", "routine", "debug", "ssl-expert", "ssl-developer", "summary", "untrusted", "peercert", "certmatch", "verbose", "cache", "dane", "ssl-debug",
        "ssl-handshake-packet-dump", "ssl-session-packet-dump",
    ];

    private static bool IsLoglevel(string name) => name.EndsWith("_tls_loglevel", StringComparison.Ordinal);

    /// <summary>Whether a value is exactly one reference: <c>$name</c>, <c>${name}</c> or <c>$(name)</c>.</summary>
    internal static bool IsPlainReference(string text) =>
        text.Length > 1 && text[0] == '$'
        && (text[1..].All(IsNameChar)
            || (text.Length > 3 && ((text[1] == '{' && text[^1] == '}') || (text[1] == '(' && text[^1] == ')')) && text[2..^1].All(IsNameChar)));

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static void CheckWord(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo info, string text, string via, SourceSpan? span)
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
                $"{info.Name} does not accept '{text}'{via}; {t.Release} accepts {allowed}"
                + (close is null ? "." : $" (did you mean '{close}'?)."), span);
        }
        else if (!found.Since.IsSatisfiedBy(t.Version))
        {
            context.Error(DiagnosticCodes.ValueNotYetAvailable, info.Name,
                $"{info.Name} = {found.Value}{via} needs Postfix {found.Since.Describe()}; {t.Release} accepts {allowed}.", span);
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

using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Cipher settings beyond their kind: grades <c>low</c>/<c>export</c> (treated as <c>medium</c> from
/// 3.8), exclusion lists written as OpenSSL cipher strings, and hand-edited built-in cipher lists.
/// The grade words themselves are checked by <see cref="ValueKindRules"/>.
/// </summary>
internal sealed class CipherRules : RuleSet
{
    private static readonly string[] Grades = ["export", "low", "medium", "high", "null"];

    /// <summary>Checks a cipher grade (main.cf or policy <c>ciphers=</c>) beyond the word itself.</summary>
    internal static SyntaxIssue? GradeIssue(ValidationTarget t, string grade)
    {
        if (!Grades.Contains(grade, StringComparer.OrdinalIgnoreCase))
        {
            return new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.UnknownValue,
                $"'{grade}' is not a cipher grade; write high, medium, low, export or null (usually medium or high).");
        }

        if (grade.ToLowerInvariant() is "low" or "export" && t.AtLeast(Thresholds.LowExportAsMedium))
        {
            return new SyntaxIssue(DiagnosticSeverity.Warning, DiagnosticCodes.ValueTreatedDifferently,
                $"cipher grade '{grade}' is treated as medium from Postfix {Thresholds.LowExportAsMedium.Describe()}; write medium.");
        }

        return null;
    }

    /// <summary>Exclusion elements: cipher names or '+'-joined properties (aNULL, RC4, DES+MD5), not cipher strings.</summary>
    internal static IEnumerable<SyntaxIssue> ExclusionIssues(IEnumerable<string> elements, string where)
    {
        foreach (var element in elements)
        {
            if (element.Length == 0 || element.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '_' or '.' or '@' or '=')))
            {
                var clean = element.TrimStart('!', '-');
                yield return new SyntaxIssue(DiagnosticSeverity.Warning, DiagnosticCodes.CipherExclusionSyntax,
                    $"'{element}' in {where} is not a cipher name: exclusions list cipher names or '+'-joined properties (aNULL, RC4, DES+MD5), not OpenSSL cipher strings. "
                    + (clean.Length > 0 && clean.All(char.IsAsciiLetterOrDigit) ? $"Write '{clean}'." : "Split it into separate names without '!' or ':'."));
            }
        }
    }

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (name, value) in t.Config.Main)
        {
            var info = t.Catalog.Find(name);
            if (info is null || !info.IsKnownIn(t.Version))
            {
                continue;
            }

            var span = t.SpanOf(name);
            if (info.Kind == ParameterKind.CipherGrade && t.Resolve(name) is { Length: > 0 } grade
                && Grades.Contains(grade, StringComparer.OrdinalIgnoreCase) && GradeIssue(t, grade) is { } issue)
            {
                context.Add(issue.Severity, issue.Code, name, $"{name}: {issue.Message}", span);
            }

            if (name.EndsWith("exclude_ciphers", StringComparison.Ordinal) && !value.Text.Contains('$', StringComparison.Ordinal))
            {
                var elements = value.AsList().SelectMany(v => PostfixText.SplitList(v));
                foreach (var exclusion in ExclusionIssues(elements, name))
                {
                    context.Add(exclusion.Severity, exclusion.Code, name, exclusion.Message, span);
                }
            }

            if (name is "tls_high_cipherlist" or "tls_medium_cipherlist" or "tls_null_cipherlist"
                || (name is "tls_low_cipherlist" or "tls_export_cipherlist" && !info.IsObsoleteIn(t.Version)))
            {
                context.Info(DiagnosticCodes.DeploymentNote, name,
                    $"{name} replaces a built-in OpenSSL cipher list that Postfix keeps up to date; that is rarely needed. "
                    + "Prefer choosing a grade (*_tls_ciphers, *_tls_mandatory_ciphers) and excluding ciphers (*_tls_exclude_ciphers).",
                    span);
            }
        }
    }
}

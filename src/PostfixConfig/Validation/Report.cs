using FluentValidation;
using FluentValidation.Results;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation;

/// <summary>Adds diagnostics to a FluentValidation context; the span travels in <see cref="ValidationFailure.CustomState"/>.</summary>
internal static class Report
{
    public static void Add(
        this ValidationContext<ValidationTarget> context,
        DiagnosticSeverity severity,
        string code,
        string? parameter,
        string message,
        SourceSpan? span)
    {
        context.AddFailure(new ValidationFailure(parameter ?? string.Empty, message)
        {
            ErrorCode = code,
            Severity = severity switch
            {
                DiagnosticSeverity.Error => Severity.Error,
                DiagnosticSeverity.Warning => Severity.Warning,
                _ => Severity.Info,
            },
            CustomState = span,
        });
    }

    public static void Error(this ValidationContext<ValidationTarget> c, string code, string? parameter, string message, SourceSpan? span) =>
        c.Add(DiagnosticSeverity.Error, code, parameter, message, span);

    public static void Warning(this ValidationContext<ValidationTarget> c, string code, string? parameter, string message, SourceSpan? span) =>
        c.Add(DiagnosticSeverity.Warning, code, parameter, message, span);

    public static void Info(this ValidationContext<ValidationTarget> c, string code, string? parameter, string message, SourceSpan? span) =>
        c.Add(DiagnosticSeverity.Info, code, parameter, message, span);

    /// <summary>The position of a main.cf parameter's value (falling back to its name).</summary>
    public static SourceSpan? SpanOf(this ValidationTarget t, string parameter) =>
        t.Config.Main.TryGetValue(parameter, out var v) && v.Span is { } s ? s : t.Config.Main.NameSpan(parameter);

    /// <summary>The position of a main.cf parameter's name.</summary>
    public static SourceSpan? NameSpanOf(this ValidationTarget t, string parameter) =>
        t.Config.Main.NameSpan(parameter) ?? t.SpanOf(parameter);

    public static Diagnostic ToDiagnostic(ValidationFailure f) => new(
        f.Severity switch
        {
            Severity.Error => DiagnosticSeverity.Error,
            Severity.Warning => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Info,
        },
        f.ErrorCode,
        string.IsNullOrEmpty(f.PropertyName) ? null : f.PropertyName,
        f.ErrorMessage,
        f.CustomState as SourceSpan?);
}

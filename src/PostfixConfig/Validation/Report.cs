using FluentValidation;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation;

/// <summary>
/// How a rule reports: in one step, a <see cref="Diagnostic"/> goes into the run's list, which
/// <see cref="Run"/> puts into the validation context (FluentValidation's own failures are not used:
/// they would have to be mapped back, and a warning would make its result "invalid").
/// </summary>
internal static class Report
{
    private const string SinkKey = "PostfixConfig.Diagnostics";

    /// <summary>Runs <paramref name="validator"/> on <paramref name="target"/>, adding what its rules report to <paramref name="into"/>.</summary>
    public static List<Diagnostic> Run(this IValidator<ValidationTarget> validator, ValidationTarget target, List<Diagnostic>? into = null)
    {
        into ??= [];
        var context = new ValidationContext<ValidationTarget>(target);
        context.RootContextData[SinkKey] = into;
        validator.Validate(context);
        return into;
    }

    public static void Add(
        this ValidationContext<ValidationTarget> context,
        DiagnosticSeverity severity,
        string code,
        string? parameter,
        string message,
        SourceSpan? span)
    {
        if (!context.RootContextData.TryGetValue(SinkKey, out var sink) || sink is not List<Diagnostic> diagnostics)
        {
            throw new InvalidOperationException("Rule sets run through Report.Run, which gives them the list to report into.");
        }

        diagnostics.Add(new Diagnostic(severity, code, string.IsNullOrEmpty(parameter) ? null : parameter, message, span));
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
}

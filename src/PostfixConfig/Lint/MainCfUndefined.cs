using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Usage;

namespace PostfixConfig.Lint;

/// <summary>
/// main.cf's "undefined parameter" findings, by postconf's rule: a <c>$name</c> anywhere in a value
/// (both branches of <c>${name?...:...}</c> included) or a restriction class, that names nothing set
/// in main.cf (or in an <c>-o</c> of master.cf) and no parameter of the release. Each points at the
/// <c>$</c> of the reference.
/// </summary>
internal static class MainCfUndefined
{
    public static void Report(MainCfDocument document, ParameterUsage usage, List<Diagnostic> diagnostics)
    {
        foreach (var undefined in usage.Undefined)
        {
            if (undefined.Entry is not null || document.Find(undefined.Parameter) is not { } p)
            {
                continue;
            }

            var span = undefined.Offset < 0 ? p.ValueSpan : At(document, p, undefined.Offset);
            diagnostics.Add(undefined.Listed
                ? new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.UndefinedReference, p.Name,
                    $"smtpd_restriction_classes lists {undefined.Name}, but main.cf does not define it (postconf: \"undefined parameter\"), so a restriction that names it fails. Define it as {undefined.Name} = restrictions, or remove it from the list.",
                    span)
                : new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.UndefinedReference, p.Name,
                    $"{p.Name} refers to ${undefined.Name}, which is neither set in main.cf nor a Postfix parameter, so it expands to nothing (postconf: \"undefined parameter\"); define {undefined.Name} or fix the spelling.",
                    span));
        }
    }

    /// <summary>The position of the character <paramref name="offset"/> of <paramref name="p"/>'s value, across continuation lines.</summary>
    private static SourceSpan At(MainCfDocument document, MainCfParameter p, int offset)
    {
        var line = document.Logical[p.LogicalIndex];
        return MainCfDocument.SplitNameValue(line.Text, out _, out _, out var valueStart, out _, out _)
            ? line.SpanAt(document.Path, valueStart + offset)
            : p.ValueSpan;
    }
}

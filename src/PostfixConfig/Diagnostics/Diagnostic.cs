using System.Text;

namespace PostfixConfig.Diagnostics;

/// <summary>
/// One finding about a configuration: what is wrong (or worth knowing), where, and what to write instead.
/// </summary>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Code">A stable code such as <c>PFX1001</c> (listed in the README and in <see cref="DiagnosticCodes"/>).</param>
/// <param name="Parameter">
/// The Postfix parameter concerned (<c>smtpd_tls_security_level</c>), a policy table entry
/// (<c>tls_policy[gmail.com]</c>), or <see langword="null"/> for the input as a whole.
/// </param>
/// <param name="Message">A sentence saying what is wrong and what to write instead.</param>
/// <param name="Span">Where in the input, when the input was a file.</param>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string? Parameter, string Message, SourceSpan? Span = null)
{
    /// <summary>The severity as written in output: <c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    public string SeverityText => Severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };

    /// <summary>Canonical text form: <c>file(line,col): error PFX1001: message [parameter]</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Span is { } span)
        {
            sb.Append(span.ToString()).Append(": ");
        }

        sb.Append(SeverityText).Append(' ').Append(Code).Append(": ").Append(Message);
        if (Parameter is not null)
        {
            sb.Append(" [").Append(Parameter).Append(']');
        }

        return sb.ToString();
    }
}

using System.Globalization;

namespace PostfixConfig.Diagnostics;

/// <summary>
/// One finding about a configuration: what is wrong (or worth knowing), where, and what to write instead.
/// </summary>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Code">A stable code such as <c>PFX1001</c> (listed in docs/diagnostics.md and in <see cref="DiagnosticCodes"/>).</param>
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

    /// <summary>What the diagnostic is about, from the range of its code (<c>PFX0xxx</c> input, <c>PFX1xxx</c> names, ...).</summary>
    public DiagnosticArea Area => Code.Length >= 4 && Code.StartsWith("PFX", StringComparison.Ordinal) && char.IsAsciiDigit(Code[3])
        ? (DiagnosticArea)(Code[3] - '0')
        : DiagnosticArea.Run;

    /// <summary>Canonical text form: <c>file(line,col): error PFX1001: message [parameter]</c>.</summary>
    public override string ToString()
    {
        var (open, close) = Parameter is null ? (string.Empty, string.Empty) : (" [", "]");
        return Span is { } span
            ? string.Create(CultureInfo.InvariantCulture, stackalloc char[512], $"{span.File}({span.Line},{span.Column}): {SeverityText} {Code}: {Message}{open}{Parameter}{close}")
            : string.Create(CultureInfo.InvariantCulture, stackalloc char[512], $"{SeverityText} {Code}: {Message}{open}{Parameter}{close}");
    }

    /// <summary>Writes <see cref="ToString"/>'s text piece by piece, without building the whole string.</summary>
    /// <param name="writer">Where to write.</param>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Span is { } span)
        {
            writer.Write(span.File);
            writer.Write('(');
            WriteNumber(writer, span.Line);
            writer.Write(',');
            WriteNumber(writer, span.Column);
            writer.Write("): ");
        }

        writer.Write(SeverityText);
        writer.Write(' ');
        writer.Write(Code);
        writer.Write(": ");
        writer.Write(Message);
        if (Parameter is not null)
        {
            writer.Write(" [");
            writer.Write(Parameter);
            writer.Write(']');
        }
    }

    private static void WriteNumber(TextWriter writer, int value)
    {
        Span<char> digits = stackalloc char[11];
        value.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture);
        writer.Write(digits[..length]);
    }
}

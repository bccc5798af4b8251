namespace PostfixConfig.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Advice or a fact worth knowing; nothing is wrong.</summary>
    Info,

    /// <summary>Postfix will accept it but log a warning, ignore it, or do something weaker than intended.</summary>
    Warning,

    /// <summary>Postfix will refuse it, defer mail, or silently do something else; nothing is written.</summary>
    Error,
}

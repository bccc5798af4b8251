namespace PostfixConfig.Diagnostics;

/// <summary>
/// What a diagnostic is about, by the range its code belongs to (<c>PFX0xxx</c> is <see cref="Input"/>,
/// <c>PFX1xxx</c> <see cref="ParameterNames"/>, and so on; see <see cref="DiagnosticCodes"/>). Code that
/// treats diagnostics by kind asks <see cref="Diagnostic.Area"/>, never the code's text.
/// </summary>
public enum DiagnosticArea
{
    /// <summary><c>PFX0xxx</c>: the input itself (YAML syntax, shape, sizes, the release named).</summary>
    Input,

    /// <summary><c>PFX1xxx</c>: parameter names and the releases that have them.</summary>
    ParameterNames,

    /// <summary><c>PFX2xxx</c>: values of single parameters.</summary>
    Values,

    /// <summary><c>PFX3xxx</c>: rules across parameters.</summary>
    Rules,

    /// <summary><c>PFX4xxx</c>: the TLS policy table.</summary>
    PolicyTable,

    /// <summary><c>PFX5xxx</c>: existing main.cf and master.cf files (lint, merge, import, apply).</summary>
    ExistingFiles,

    /// <summary><c>PFX6xxx</c>: safety of what would be written.</summary>
    OutputSafety,

    /// <summary><c>PFX7xxx</c>: certificate and key files.</summary>
    Certificates,

    /// <summary><c>PFX8xxx</c>: probing a live server and DNS.</summary>
    Probe,

    /// <summary><c>PFX9xxx</c>: information about the run.</summary>
    Run,
}

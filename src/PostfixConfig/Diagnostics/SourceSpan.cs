using System.Globalization;

namespace PostfixConfig.Diagnostics;

/// <summary>A position in an input file: 1-based line and column, and the file name when known.</summary>
/// <param name="File">The file as the user named it, or <see langword="null"/> for text without a file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public readonly record struct SourceSpan(string? File, int Line, int Column)
{
    /// <summary><c>file(line,col)</c>, or <c>(line,col)</c> without a file.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column})");
}

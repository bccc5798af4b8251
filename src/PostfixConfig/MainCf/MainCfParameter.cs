using PostfixConfig.Diagnostics;

namespace PostfixConfig.MainCf;

/// <summary>
/// One <c>name = value</c> definition in a main.cf file, as Postfix reads it: the logical line
/// (the start line and its continuation lines) split at the first <c>=</c>.
/// </summary>
/// <remarks>
/// <see cref="Value"/> is kept exactly as written, after Postfix's own trimming (whitespace after
/// <c>=</c> and at the end of the logical line); continuation lines are joined without their newline
/// and keep their leading whitespace. <c>$name</c> references and expressions are not expanded. This
/// type is immutable.
/// </remarks>
public sealed class MainCfParameter
{
    internal MainCfParameter(string name, string value, SourceSpan nameSpan, SourceSpan valueSpan, int firstLine, int lastLine, int logicalIndex)
    {
        Name = name;
        Value = value;
        NameSpan = nameSpan;
        ValueSpan = valueSpan;
        FirstLine = firstLine;
        LastLine = lastLine;
        LogicalIndex = logicalIndex;
    }

    /// <summary>The parameter name, as written (case-sensitive).</summary>
    public string Name { get; }

    /// <summary>The value as Postfix stores it (unexpanded).</summary>
    public string Value { get; }

    /// <summary>Where the name starts.</summary>
    public SourceSpan NameSpan { get; }

    /// <summary>Where the value starts (just after the <c>=</c> when the value is empty).</summary>
    public SourceSpan ValueSpan { get; }

    /// <summary>The 1-based line the definition starts on.</summary>
    public int FirstLine { get; }

    /// <summary>The 1-based line of its last continuation line (<see cref="FirstLine"/> when it has none).</summary>
    public int LastLine { get; }

    /// <summary>Index of the logical line in the document.</summary>
    internal int LogicalIndex { get; }

    /// <summary><c>name = value</c>.</summary>
    public override string ToString() => Value.Length == 0 ? Name + " =" : Name + " = " + Value;
}

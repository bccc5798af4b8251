using System.Diagnostics.CodeAnalysis;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// The outcome of a library call: a value (when there was no error) and the diagnostics found
/// on the way. Invalid input is reported here, never thrown.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class Result<T>
    where T : class
{
    internal Result(T? value, DiagnosticList diagnostics)
    {
        Diagnostics = diagnostics;
        Value = diagnostics.HasErrors ? null : value;
    }

    /// <summary>The value, or <see langword="null"/> when <see cref="HasErrors"/>.</summary>
    public T? Value { get; }

    /// <summary>Errors, warnings and information, sorted by position.</summary>
    public DiagnosticList Diagnostics { get; }

    /// <summary>Whether any diagnostic is an error (then there is no value).</summary>
    [MemberNotNullWhen(false, nameof(Value))]
    public bool HasErrors => Value is null;

    /// <summary>The value, or an <see cref="InvalidOperationException"/> listing the errors.</summary>
    public T GetValueOrThrow() => Value ?? throw new InvalidOperationException(
        "The configuration has errors:\n" + string.Join('\n', Diagnostics.Errors));
}

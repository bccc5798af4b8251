using System.Diagnostics.CodeAnalysis;
using PostfixConfig.Catalog;

namespace PostfixConfig;

/// <summary>
/// A typed key for one parameter: its Postfix name plus the conversion between a .NET value and
/// the main.cf text. The keys for every catalog parameter are on <see cref="ServerTls"/>,
/// <see cref="ClientTls"/>, <see cref="SharedTls"/>, <see cref="LmtpTls"/>, <see cref="TlsProxy"/> and
/// <see cref="PostscreenTls"/>.
/// </summary>
/// <typeparam name="T">The .NET type of the value (<see cref="bool"/>, <see cref="int"/>,
/// <see cref="TimeSpan"/>, <see cref="string"/>, a list of strings, or a level enumeration).</typeparam>
/// <remarks>This type is immutable and thread-safe.</remarks>
public sealed class TlsParameter<T>
{
    private readonly Func<T, PostfixValue> _format;
    private readonly TryParser _parse;

    internal delegate bool TryParser(PostfixValue value, [MaybeNullWhen(false)] out T result);

    internal TlsParameter(string name, Func<T, PostfixValue> format, TryParser parse)
    {
        Name = name;
        _format = format;
        _parse = parse;
    }

    /// <summary>The Postfix parameter name.</summary>
    public string Name { get; }

    /// <summary>The catalog entry for the parameter.</summary>
    public ParameterInfo Info => ParameterCatalog.Default.Find(Name)
        ?? throw new InvalidOperationException($"{Name} is not in the catalog.");

    /// <summary>The main.cf value for <paramref name="value"/>.</summary>
    public PostfixValue Format(T value) => _format(value);

    /// <summary>Converts main.cf text back to a typed value; fails for text such as <c>$other</c> references.</summary>
    public bool TryParse(PostfixValue value, [MaybeNullWhen(false)] out T result)
    {
        ArgumentNullException.ThrowIfNull(value);
        return _parse(value, out result);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

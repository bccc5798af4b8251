using System.Collections;
using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// The main.cf parameters of a configuration: Postfix name to <see cref="PostfixValue"/>, sorted by
/// name (ordinal). Only parameters set explicitly are present (<c>postconf -n</c> style).
/// </summary>
/// <remarks>
/// Equality compares names and values, not source positions. This type is immutable; the
/// <c>Set</c> and <c>Remove</c> methods return new maps.
/// </remarks>
#pragma warning disable CA1710 // "Map" is what Postfix people call it; "ParameterDictionary" would read oddly.
public sealed class ParameterMap : IReadOnlyDictionary<string, PostfixValue>, IEquatable<ParameterMap>
{
    private readonly ImmutableSortedDictionary<string, PostfixValue> _values;
    private readonly ImmutableDictionary<string, SourceSpan> _nameSpans;

    private ParameterMap(ImmutableSortedDictionary<string, PostfixValue> values, ImmutableDictionary<string, SourceSpan> nameSpans)
    {
        _values = values;
        _nameSpans = nameSpans;
    }

    /// <summary>The empty map.</summary>
    public static ParameterMap Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, PostfixValue>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, SourceSpan>(StringComparer.Ordinal));

    /// <summary>Sets a parameter to a value given as main.cf text.</summary>
    public ParameterMap Set(string name, string value) => Set(name, PostfixValue.Of(value));

    /// <summary>Sets a parameter.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public ParameterMap Set(string name, PostfixValue value, SourceSpan? nameSpan = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var spans = nameSpan is { } s ? _nameSpans.SetItem(name, s) : _nameSpans.Remove(name);
        return new ParameterMap(_values.SetItem(name, value), spans);
    }

    /// <summary>Sets a parameter through its typed key.</summary>
    public ParameterMap Set<T>(TlsParameter<T> parameter, T value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Set(parameter.Name, parameter.Format(value));
    }

    /// <summary>Removes a parameter (it returns to its default).</summary>
    public ParameterMap Remove(string name) => new(_values.Remove(name), _nameSpans.Remove(name));

    /// <summary>Where the name of a parameter was written in the input, when known.</summary>
    public SourceSpan? NameSpan(string name) => _nameSpans.TryGetValue(name, out var s) ? s : null;

    /// <summary>The value of a parameter through its typed key; <see langword="default"/> when not set.</summary>
    /// <exception cref="FormatException">The value is set but is not of the key's type (for example a <c>$name</c> reference).</exception>
    public T? Get<T>(TlsParameter<T> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!_values.TryGetValue(parameter.Name, out var value))
        {
            return default;
        }

        return parameter.TryParse(value, out var result)
            ? result
            : throw new FormatException($"{parameter.Name} = {value.Text} is not a {typeof(T).Name} value.");
    }

    /// <inheritdoc />
    public PostfixValue this[string key] => _values[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<PostfixValue> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out PostfixValue value) =>
        _values.TryGetValue(key, out value);

    /// <summary>The value text of a parameter, or <see langword="null"/> when it is not set.</summary>
    public string? GetText(string name) => _values.TryGetValue(name, out var v) ? v.Text : null;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, PostfixValue>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ParameterMap? other) =>
        other is not null && _values.Count == other._values.Count
        && _values.All(kv => other._values.TryGetValue(kv.Key, out var v) && kv.Value.Equals(v));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ParameterMap);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (var kv in _values)
        {
            h.Add(kv.Key);
            h.Add(kv.Value);
        }

        return h.ToHashCode();
    }
}
#pragma warning restore CA1710

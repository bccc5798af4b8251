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
    // Each value carries the position of its parameter's name (PostfixValue.NameSpan).
    private readonly ImmutableSortedDictionary<string, PostfixValue> _values;

    // The entries in order, made on first enumeration: every rule walks the whole map, and walking a
    // tree-shaped dictionary costs far more than walking an array.
    private KeyValuePair<string, PostfixValue>[]? _entries;

    // A hash index for lookups in big maps (a main.cf with thousands of lines), made on first lookup.
    private Dictionary<string, PostfixValue>? _index;

    /// <summary>From this many parameters on, lookups go through a hash index.</summary>
    private const int IndexFrom = 32;

    private ParameterMap(ImmutableSortedDictionary<string, PostfixValue> values) => _values = values;

    // Values are compared by reference here, so that setting an equal value with other positions keeps the new positions.

    /// <summary>The empty map.</summary>
    public static ParameterMap Empty { get; } = new(ImmutableSortedDictionary.Create<string, PostfixValue>(StringComparer.Ordinal, SameObject.Instance));

    /// <summary>Sets a parameter to a value given as main.cf text.</summary>
    public ParameterMap Set(string name, string value) => Set(name, PostfixValue.Of(value));

    /// <summary>Sets a parameter.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public ParameterMap Set(string name, PostfixValue value, SourceSpan? nameSpan = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        return new ParameterMap(_values.SetItem(name, value.WithNameSpan(nameSpan)));
    }

    /// <summary>
    /// A map of many parameters at once (a later duplicate name wins, as with <see cref="Set(string, PostfixValue, SourceSpan?)"/>),
    /// built in place instead of through one new map per parameter.
    /// </summary>
    internal static ParameterMap Create(IEnumerable<(string Name, PostfixValue Value, SourceSpan? NameSpan)> parameters)
    {
        var values = Empty._values.ToBuilder();
        foreach (var (name, value, nameSpan) in parameters)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(value);
            values[name] = value.WithNameSpan(nameSpan);
        }

        return new ParameterMap(values.ToImmutable());
    }

    /// <summary>Sets a parameter through its typed key.</summary>
    public ParameterMap Set<T>(TlsParameter<T> parameter, T value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Set(parameter.Name, parameter.Format(value));
    }

    /// <summary>Removes a parameter (it returns to its default).</summary>
    public ParameterMap Remove(string name) => new(_values.Remove(name));

    /// <summary>Where the name of a parameter was written in the input, when known.</summary>
    public SourceSpan? NameSpan(string name) => TryGetValue(name, out var v) ? v.NameSpan : null;

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
    public PostfixValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The parameter '{key}' is not set.");

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<PostfixValue> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out PostfixValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_values.Count < IndexFrom)
        {
            return _values.TryGetValue(key, out value);
        }

        var index = _index ??= new Dictionary<string, PostfixValue>(_values, StringComparer.Ordinal);
        return index.TryGetValue(key, out value);
    }

    /// <summary>The value text of a parameter, or <see langword="null"/> when it is not set.</summary>
    public string? GetText(string name) => TryGetValue(name, out var v) ? v.Text : null;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, PostfixValue>> GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, PostfixValue>>)(_entries ??= [.. _values])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ParameterMap? other) =>
        other is not null && _values.Count == other._values.Count
        && this.All(kv => other.TryGetValue(kv.Key, out var v) && kv.Value.Equals(v));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ParameterMap);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (var kv in this)
        {
            h.Add(kv.Key);
            h.Add(kv.Value);
        }

        return h.ToHashCode();
    }

    private sealed class SameObject : IEqualityComparer<PostfixValue>
    {
        public static readonly SameObject Instance = new();

        public bool Equals(PostfixValue? x, PostfixValue? y) => ReferenceEquals(x, y);

        public int GetHashCode(PostfixValue obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
#pragma warning restore CA1710

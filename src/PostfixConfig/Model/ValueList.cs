using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace PostfixConfig;

/// <summary>An immutable list with value equality, for use inside records.</summary>
/// <typeparam name="T">The item type.</typeparam>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public readonly struct ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly ImmutableArray<T> _items;

    /// <summary>Wraps the given items.</summary>
    public ValueList(ImmutableArray<T> items) => _items = items.IsDefault ? [] : items;

    private ImmutableArray<T> Items => _items.IsDefault ? [] : _items;

    /// <inheritdoc />
    public int Count => Items.Length;

    /// <summary>Whether the list has no items.</summary>
    public bool IsEmpty => Count == 0;

    /// <inheritdoc />
    public T this[int index] => Items[index];

    /// <summary>This list with one more item.</summary>
    public ValueList<T> Add(T item) => new(Items.Add(item));

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ValueList<T> other) => Items.SequenceEqual(other.Items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (var item in Items)
        {
            h.Add(item);
        }

        return h.ToHashCode();
    }

    /// <summary>Equality operator.</summary>
    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    /// <summary>Items joined with <paramref name="separator"/>.</summary>
    public string Join(string separator) => string.Join(separator, Items);

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}

/// <summary>Factory for <see cref="ValueList{T}"/> (also used by collection expressions).</summary>
public static class ValueList
{
    /// <summary>Creates a list from a span of items.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new([.. items]);

    /// <summary>Creates a list from a sequence of items.</summary>
    public static ValueList<T> From<T>(IEnumerable<T> items) => new([.. items]);
}

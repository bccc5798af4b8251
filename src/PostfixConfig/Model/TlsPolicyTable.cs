using System.Collections;
using System.Collections.Immutable;

namespace PostfixConfig;

/// <summary>
/// The TLS policy table: entries in input order, one per destination (destinations are unique,
/// compared exactly as written).
/// </summary>
/// <remarks>
/// This type is immutable; <see cref="Add"/> and <see cref="Remove"/> return new tables (each
/// copies the table, so build large tables with <see cref="Create"/>).
/// </remarks>
public sealed class TlsPolicyTable : IReadOnlyList<TlsPolicyEntry>, IEquatable<TlsPolicyTable>
{
    private readonly ImmutableArray<TlsPolicyEntry> _entries;

    // Destination -> position. Never changed after construction; a plain dictionary because
    // tables of a million entries are built once and read, and an immutable tree costs far more.
    private readonly Dictionary<string, int> _index;

    private TlsPolicyTable(ImmutableArray<TlsPolicyEntry> entries, Dictionary<string, int> index)
    {
        _entries = entries;
        _index = index;
    }

    /// <summary>The empty table.</summary>
    public static TlsPolicyTable Empty { get; } = new([], new Dictionary<string, int>(StringComparer.Ordinal));

    /// <summary>Builds a table from entries.</summary>
    /// <exception cref="ArgumentException">Two entries have the same destination.</exception>
    public static TlsPolicyTable Create(IEnumerable<TlsPolicyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToImmutableArray();
        var index = new Dictionary<string, int>(list.Length, StringComparer.Ordinal);
        for (var i = 0; i < list.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(list[i], nameof(entries));
            if (!index.TryAdd(list[i].Destination, i))
            {
                throw new ArgumentException($"Destination {list[i].Destination} appears twice.", nameof(entries));
            }
        }

        return new TlsPolicyTable(list, index);
    }

    /// <summary>A table from entries with unique destinations and their index (destination to position), taken over as they are.</summary>
    internal static TlsPolicyTable FromUniqueEntries(ImmutableArray<TlsPolicyEntry> entries, Dictionary<string, int> index)
    {
        System.Diagnostics.Debug.Assert(entries.Length == index.Count, "one index entry per table entry");
        return new TlsPolicyTable(entries, index);
    }

    /// <summary>This table with <paramref name="entry"/> added, or replacing the entry for the same destination.</summary>
    public TlsPolicyTable Add(TlsPolicyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_index.TryGetValue(entry.Destination, out var i))
        {
            return new TlsPolicyTable(_entries.SetItem(i, entry), _index);
        }

        var index = new Dictionary<string, int>(_index, StringComparer.Ordinal)
        {
            [entry.Destination] = _entries.Length,
        };
        return new TlsPolicyTable(_entries.Add(entry), index);
    }

    /// <summary>This table without the entry for <paramref name="destination"/>.</summary>
    public TlsPolicyTable Remove(string destination) =>
        _index.ContainsKey(destination) ? Create(_entries.Where(e => e.Destination != destination)) : this;

    /// <summary>The entry for a destination, or <see langword="null"/>.</summary>
    public TlsPolicyEntry? Find(string destination) => _index.TryGetValue(destination, out var i) ? _entries[i] : null;

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <inheritdoc />
    public TlsPolicyEntry this[int index] => _entries[index];

    /// <inheritdoc />
    public IEnumerator<TlsPolicyEntry> GetEnumerator() => ((IEnumerable<TlsPolicyEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(TlsPolicyTable? other) => other is not null && _entries.SequenceEqual(other._entries);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TlsPolicyTable);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_entries.Length, _entries.Length > 0 ? _entries[0].GetHashCode() : 0);
}

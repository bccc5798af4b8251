using System.Collections;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// The TLS policy table: entries in input order, one per destination (destinations are unique,
/// compared exactly as written).
/// </summary>
/// <remarks>
/// <para>
/// This type is immutable; <see cref="Add"/> and <see cref="Remove"/> return new tables (each
/// copies the table, so build large tables with <see cref="Create"/>).
/// </para>
/// <para>
/// Tables read from YAML can hold a million entries, so the common <c>destination: level</c>
/// entries are kept as a few fields and handed out as new <see cref="TlsPolicyEntry"/> objects on
/// each access (equal, but not the same instance).
/// </para>
/// </remarks>
public sealed class TlsPolicyTable : IReadOnlyList<TlsPolicyEntry>, IEquatable<TlsPolicyTable>
{
    // Never changed after construction, so safe to read from any thread.
    private readonly PolicyRow[] _rows;
    private readonly int _count;
    private readonly PolicyIndex _index;
    private readonly string? _file; // the file of the compact rows' positions

    private TlsPolicyTable(PolicyRow[] rows, int count, PolicyIndex index, string? file)
    {
        _rows = rows;
        _count = count;
        _index = index;
        _file = file;
    }

    /// <summary>The empty table.</summary>
    public static TlsPolicyTable Empty { get; } = new([], 0, PolicyIndex.Build([], 0), null);

    /// <summary>Builds a table from entries.</summary>
    /// <exception cref="ArgumentException">Two entries have the same destination.</exception>
    public static TlsPolicyTable Create(IEnumerable<TlsPolicyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var rows = entries.Select(e => new PolicyRow(e ?? throw new ArgumentNullException(nameof(entries)))).ToArray();
        var index = new PolicyIndex(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            if (index.Find(rows[i].Destination, rows) >= 0)
            {
                throw new ArgumentException($"Destination {rows[i].Destination} appears twice.", nameof(entries));
            }

            index.Add(i, rows);
        }

        return new TlsPolicyTable(rows, rows.Length, index, null);
    }

    /// <summary>A table from rows with unique destinations and their index, taken over as they are (the YAML reader builds them).</summary>
    internal static TlsPolicyTable FromRows(PolicyRow[] rows, int count, PolicyIndex index, string? file) => new(rows, count, index, file);

    /// <summary>This table with <paramref name="entry"/> added, or replacing the entry for the same destination.</summary>
    public TlsPolicyTable Add(TlsPolicyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = _index.Find(entry.Destination, _rows);
        var rows = new PolicyRow[at >= 0 ? _count : _count + 1];
        Array.Copy(_rows, rows, _count);
        if (at >= 0)
        {
            rows[at] = new PolicyRow(entry);
            return new TlsPolicyTable(rows, _count, _index, _file);
        }

        rows[_count] = new PolicyRow(entry);
        return new TlsPolicyTable(rows, rows.Length, PolicyIndex.Build(rows, rows.Length), _file);
    }

    /// <summary>This table without the entry for <paramref name="destination"/>.</summary>
    public TlsPolicyTable Remove(string destination) =>
        _index.Find(destination, _rows) >= 0 ? Create(this.Where(e => e.Destination != destination)) : this;

    /// <summary>The entry for a destination, or <see langword="null"/>.</summary>
    public TlsPolicyEntry? Find(string destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var at = _index.Find(destination, _rows);
        return at >= 0 ? this[at] : null;
    }

    /// <inheritdoc />
    public int Count => _count;

    /// <inheritdoc />
    public TlsPolicyEntry this[int index] =>
        (uint)index < (uint)_count ? _rows[index].ToEntry(_file) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>
    /// The entries as light items: destination and level always, the whole entry only where one was
    /// stored (a compact <c>destination: level</c> row makes its entry only when asked). Rules that
    /// walk a table of a million entries use this instead of the enumerator, which builds an entry per row.
    /// </summary>
    internal PolicyItems Items => new(this);

    /// <summary>
    /// For a compact row (<c>destination: level</c> read from YAML): its two words, without
    /// building an entry; <see langword="false"/> for a whole entry (use the indexer).
    /// </summary>
    internal bool TryGetWords(int index, out string destination, out string level) => _rows[index].TryGetWords(out destination, out level);

    /// <inheritdoc />
    public IEnumerator<TlsPolicyEntry> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _rows[i].ToEntry(_file);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(TlsPolicyTable? other) => other is not null && other.Count == Count && this.SequenceEqual(other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TlsPolicyTable);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_count, _count > 0 ? this[0].GetHashCode() : 0);
}

/// <summary>
/// One table entry: a whole <see cref="TlsPolicyEntry"/>, or for <c>destination: level</c> read
/// from YAML only the two words and their positions (40 bytes instead of about 150).
/// </summary>
internal readonly struct PolicyRow
{
    private readonly TlsPolicyEntry? _entry;
    private readonly string? _destination;
    private readonly string? _level;
    private readonly int _keyLine, _keyColumn, _levelLine, _levelColumn;

    public PolicyRow(TlsPolicyEntry entry) => _entry = entry;

    public PolicyRow(string destination, string level, SourceSpan key, SourceSpan levelSpan)
    {
        (_destination, _level) = (destination, level);
        (_keyLine, _keyColumn, _levelLine, _levelColumn) = (key.Line, key.Column, levelSpan.Line, levelSpan.Column);
    }

    public string Destination => _entry?.Destination ?? _destination!;

    public bool TryGetWords(out string destination, out string level)
    {
        (destination, level) = (_destination!, _level!);
        return _entry is null;
    }

    public TlsPolicyEntry ToEntry(string? file) => _entry ?? new TlsPolicyEntry(_destination!, _level!)
    {
        CompactSpans = new PolicyEntrySpans(new SourceSpan(file, _keyLine, _keyColumn), new SourceSpan(file, _levelLine, _levelColumn), null),
    };
}

/// <summary>
/// Destination to row position: open addressing over a <see cref="long"/> array (about 16 bytes an
/// entry, where a dictionary takes about 40), the keys being the rows' destinations. Each slot keeps
/// the destination's hash beside the row, so that growing never hashes a destination again and a
/// lookup compares strings only when the hashes agree.
/// </summary>
internal sealed class PolicyIndex
{
    private long[] _slots; // hash << 32 | (row position + 1); 0 is empty
    private int _count;

    public PolicyIndex(int capacity) => _slots = new long[SlotsFor(capacity)];

    public static PolicyIndex Build(PolicyRow[] rows, int count)
    {
        var index = new PolicyIndex(count);
        for (var i = 0; i < count; i++)
        {
            index.Add(i, rows);
        }

        return index;
    }

    /// <summary>The row position of <paramref name="destination"/>, or -1.</summary>
    public int Find(string destination, PolicyRow[] rows)
    {
        var hash = Hash(destination);
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                return -1;
            }

            var row = unchecked((int)slot) - 1; // the low half
            if ((int)(slot >> 32) == hash && string.Equals(rows[row].Destination, destination, StringComparison.Ordinal))
            {
                return row;
            }
        }
    }

    /// <summary>Adds row <paramref name="row"/>, whose destination is not in the index yet.</summary>
    public void Add(int row, PolicyRow[] rows)
    {
        if ((_count + 1) * 2 > _slots.Length)
        {
            var old = _slots;
            _slots = new long[old.Length * 2];
            foreach (var slot in old)
            {
                if (slot != 0)
                {
                    Place(slot);
                }
            }
        }

        Place(((long)Hash(rows[row].Destination) << 32) | (uint)(row + 1));
        _count++;
    }

    private void Place(long slot)
    {
        var mask = _slots.Length - 1;
        var i = (int)(slot >> 32) & mask;
        while (_slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        _slots[i] = slot;
    }

    private static int Hash(string s) => s.GetHashCode(StringComparison.Ordinal) & int.MaxValue;

    private static int SlotsFor(int count)
    {
        var size = 8;
        while (size < count * 2)
        {
            size *= 2;
        }

        return size;
    }
}

/// <summary>One row of a <see cref="TlsPolicyTable"/> seen through <see cref="TlsPolicyTable.Items"/>.</summary>
internal readonly struct PolicyItem
{
    private readonly TlsPolicyTable _table;
    private readonly int _index;

    public PolicyItem(TlsPolicyTable table, int index)
    {
        (_table, _index) = (table, index);
        if (table.TryGetWords(index, out var destination, out var level))
        {
            (Destination, Level, Full) = (destination, level, null);
        }
        else
        {
            Full = table[index];
            (Destination, Level) = (Full.Destination, Full.Level);
        }
    }

    public string Destination { get; }

    public string Level { get; }

    /// <summary>The stored entry, or <see langword="null"/> for a compact row (a destination and a level, nothing else).</summary>
    public TlsPolicyEntry? Full { get; }

    /// <summary>The entry, made for a compact row (for its positions, or for checks that need a whole entry).</summary>
    public TlsPolicyEntry Entry => Full ?? _table[_index];
}

/// <summary>The rows of a table as <see cref="PolicyItem"/>s, enumerated without allocation.</summary>
internal readonly struct PolicyItems(TlsPolicyTable table)
{
    public Enumerator GetEnumerator() => new(table);

    internal struct Enumerator(TlsPolicyTable table)
    {
        private int _index = -1;

        public readonly PolicyItem Current => new(table, _index);

        public bool MoveNext() => ++_index < table.Count;
    }
}

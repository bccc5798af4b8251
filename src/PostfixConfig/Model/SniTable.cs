using System.Collections;
using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// One entry of the table that <c>tls_server_sni_maps</c> names (Postfix 3.4 and later): a host
/// name or <c>.domain</c> that TLS clients ask for with SNI, and the private key file followed by
/// the certificate chain file(s) the server then presents (the order of <c>smtpd_tls_chain_files</c>).
/// </summary>
/// <remarks>Equality compares <see cref="Name"/> and <see cref="Files"/>, not positions. This type is immutable.</remarks>
public sealed record SniEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="name">The host name (<c>mail.example.com</c>) or parent domain (<c>.example.com</c>).</param>
    /// <param name="files">The key file, then its certificate chain file(s).</param>
    public SniEntry(string name, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(files);
        Name = name;
        Files = [.. files];
    }

    /// <summary>The host name or <c>.domain</c>.</summary>
    public string Name { get; }

    /// <summary>The key file, then its certificate chain file(s), as <c>postmap -F</c> reads them.</summary>
    public ImmutableArray<string> Files { get; }

    /// <summary>Where the entry's name is in the input; not part of equality.</summary>
    public SourceSpan? Span { get; init; }

    /// <summary>Where the entry's files are in the input; not part of equality.</summary>
    public SourceSpan? FilesSpan { get; init; }

    /// <inheritdoc />
    public bool Equals(SniEntry? other) => other is not null && Name == other.Name && Files.SequenceEqual(other.Files);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Name);
        foreach (var f in Files)
        {
            hash.Add(f);
        }

        return hash.ToHashCode();
    }
}

/// <summary>The SNI table (<c>sni</c> in YAML): entries in input order, one per name.</summary>
/// <remarks>This type is immutable; <see cref="Add"/> returns a new table.</remarks>
public sealed class SniTable : IReadOnlyList<SniEntry>, IEquatable<SniTable>
{
    private readonly ImmutableArray<SniEntry> _entries;

    private SniTable(ImmutableArray<SniEntry> entries) => _entries = entries;

    /// <summary>The empty table.</summary>
    public static SniTable Empty { get; } = new([]);

    /// <summary>Builds a table.</summary>
    /// <exception cref="ArgumentException">Two entries have the same name.</exception>
    public static SniTable Create(IEnumerable<SniEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToImmutableArray();
        if (list.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count() != list.Length)
        {
            throw new ArgumentException("Two SNI entries have the same name.", nameof(entries));
        }

        return new SniTable(list);
    }

    /// <summary>This table with <paramref name="entry"/> added, or replacing the entry of the same name.</summary>
    public SniTable Add(SniEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        for (var i = 0; i < _entries.Length; i++)
        {
            if (_entries[i].Name == entry.Name)
            {
                return new SniTable(_entries.SetItem(i, entry));
            }
        }

        return new SniTable(_entries.Add(entry));
    }

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <inheritdoc />
    public SniEntry this[int index] => _entries[index];

    /// <inheritdoc />
    public IEnumerator<SniEntry> GetEnumerator() => ((IEnumerable<SniEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(SniTable? other) => other is not null && _entries.SequenceEqual(other._entries);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SniTable);

    /// <inheritdoc />
    public override int GetHashCode() => _entries.Aggregate(0, (h, e) => HashCode.Combine(h, e));
}

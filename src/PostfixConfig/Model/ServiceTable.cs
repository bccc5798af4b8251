using System.Collections;
using System.Collections.Immutable;

namespace PostfixConfig;

/// <summary>The master.cf services a configuration manages, in input order, one per name.</summary>
/// <remarks>This type is immutable; <see cref="Add"/> returns a new table.</remarks>
public sealed class ServiceTable : IReadOnlyList<ServiceSettings>, IEquatable<ServiceTable>
{
    private readonly ImmutableArray<ServiceSettings> _services;

    private ServiceTable(ImmutableArray<ServiceSettings> services) => _services = services;

    /// <summary>The empty table.</summary>
    public static ServiceTable Empty { get; } = new([]);

    /// <summary>Builds a table.</summary>
    /// <exception cref="ArgumentException">Two services have the same name.</exception>
    public static ServiceTable Create(IEnumerable<ServiceSettings> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var list = services.ToImmutableArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in list)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(services));
            if (!seen.Add(s.Name))
            {
                throw new ArgumentException($"The service {s.Name} appears twice.", nameof(services));
            }
        }

        return new ServiceTable(list);
    }

    /// <summary>This table with <paramref name="service"/> added, or replacing the service of the same name.</summary>
    public ServiceTable Add(ServiceSettings service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var at = IndexOf(service.Name);
        return new ServiceTable(at >= 0 ? _services.SetItem(at, service) : _services.Add(service));
    }

    /// <summary>The service named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public ServiceSettings? Find(string name)
    {
        var at = IndexOf(name);
        return at >= 0 ? _services[at] : null;
    }

    /// <inheritdoc />
    public int Count => _services.Length;

    /// <inheritdoc />
    public ServiceSettings this[int index] => _services[index];

    /// <inheritdoc />
    public IEnumerator<ServiceSettings> GetEnumerator() => ((IEnumerable<ServiceSettings>)_services).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ServiceTable? other) => other is not null && _services.SequenceEqual(other._services);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ServiceTable);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var s in _services)
        {
            hash.Add(s);
        }

        return hash.ToHashCode();
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _services.Length; i++)
        {
            if (_services[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}

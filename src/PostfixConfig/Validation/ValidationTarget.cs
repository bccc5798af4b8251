using PostfixConfig.Catalog;

namespace PostfixConfig.Validation;

/// <summary>What every validator looks at: the configuration and the release it is for.</summary>
/// <param name="Config">The configuration.</param>
/// <param name="Release">The release, resolved once for the run (<see cref="TargetRelease.Resolve"/>).</param>
/// <param name="Catalog">The parameter catalog.</param>
internal sealed record ValidationTarget(TlsConfiguration Config, TargetRelease Release, ParameterCatalog Catalog)
{
    // Answers that rules keep for the whole run (a big policy table repeats the same few values);
    // not copied by 'with', whose copy may be for another release.
    private readonly Dictionary<string, object> _caches = new(StringComparer.Ordinal);

    private ValidationTarget(ValidationTarget original)
    {
        Config = original.Config;
        Release = original.Release;
        Catalog = original.Catalog;
        Master = original.Master;
        Service = original.Service;
        _caches = new Dictionary<string, object>(StringComparer.Ordinal);
        _usage = null;
    }

    private Usage.ParameterUsage? _usage;

    /// <summary>
    /// postconf's verdict on the parameter names of <see cref="Config"/> (with <see cref="Master"/>, the
    /// configuration's own services and the names it says master.cf refers to), decided once per target.
    /// </summary>
    public Usage.ParameterUsage Usage => _usage ??= Validation.UsageInput.Decide(this);

    /// <summary>The concrete release (a line already resolved to its newest patch release).</summary>
    public PostfixVersion Version => Release.Version;

    /// <summary>
    /// The role of the master.cf service being checked, when <see cref="Config"/> is main.cf with that
    /// service's <c>-o</c> overrides applied; <see langword="null"/> for main.cf itself.
    /// </summary>
    public ServiceRole? Service { get; init; }

    /// <summary>The master.cf next to main.cf when lint read it, else <see langword="null"/> (YAML has none).</summary>
    public MainCf.MasterCf? Master { get; init; }

    /// <summary>The value text of a parameter if set, else <see langword="null"/>.</summary>
    public string? Text(string name) => Config.Main.GetText(name);

    /// <summary>Whether a parameter is set explicitly.</summary>
    public bool IsSet(string name) => Config.Main.ContainsKey(name);

    /// <summary>The value if set, else the release's default (unexpanded), else <see langword="null"/>.</summary>
    public string? Effective(string name) => Text(name) ?? Catalog.Find(name)?.DefaultIn(Version);

    /// <summary>
    /// The value Postfix would use, with simple <c>$name</c> references and the expressions of
    /// Postfix's own defaults evaluated; <see langword="null"/> when that cannot be known here (a
    /// reference to a parameter outside the configuration and catalog, an unset
    /// <c>compatibility_level</c>, or a form too complex to evaluate). Trimmed.
    /// </summary>
    public string? Resolve(string name) => Expansion.Resolve(this, name);

    /// <summary>A yes/no parameter as Postfix reads it: <see langword="null"/> when unknown or not a boolean.</summary>
    public bool? Flag(string name) => Resolve(name) switch
    {
        { } v when v.Equals("yes", StringComparison.OrdinalIgnoreCase) => true,
        { } v when v.Equals("no", StringComparison.OrdinalIgnoreCase) => false,
        _ => null,
    };

    /// <summary>Whether the resolved value is known and not empty.</summary>
    public bool HasValue(string name) => Resolve(name) is { Length: > 0 };

    /// <summary>Whether a parameter exists in the target release (catalog parameters and other known names).</summary>
    public bool Knows(string name) => Catalog.Find(name) is { } p ? p.IsKnownIn(Version) : Catalog.IsKnownName(name, Version);

    /// <summary>A table a rule keeps for this run under <paramref name="name"/> (made empty on first use). Validation runs on one thread.</summary>
    public T Cache<T>(string name)
        where T : class, new()
    {
        if (!_caches.TryGetValue(name, out var cache))
        {
            cache = new T();
            _caches[name] = cache;
        }

        return (T)cache;
    }

    /// <summary>Whether <see cref="Version"/> satisfies a gate written like the catalog's (<c>2.11</c>, <c>3.6.17,3.7.13</c>).</summary>
    public bool AtLeast(VersionGate gate) => gate.IsSatisfiedBy(Version);
}

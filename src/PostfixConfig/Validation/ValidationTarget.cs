using PostfixConfig.Catalog;

namespace PostfixConfig.Validation;

/// <summary>What every validator looks at: the configuration and the concrete release it is for.</summary>
/// <param name="Config">The configuration.</param>
/// <param name="Version">The concrete release (a line already resolved to its newest patch release).</param>
/// <param name="Catalog">The parameter catalog.</param>
internal sealed record ValidationTarget(TlsConfiguration Config, PostfixVersion Version, ParameterCatalog Catalog)
{
    /// <summary>The value text of a parameter if set, else <see langword="null"/>.</summary>
    public string? Text(string name) => Config.Main.GetText(name);

    /// <summary>Whether a parameter is set explicitly.</summary>
    public bool IsSet(string name) => Config.Main.ContainsKey(name);

    /// <summary>The value if set, else the release's default (unexpanded), else <see langword="null"/>.</summary>
    public string? Effective(string name) => Text(name) ?? Catalog.Find(name)?.DefaultIn(Version);

    /// <summary>Whether <see cref="Version"/> satisfies a gate written like the catalog's (<c>2.11</c>, <c>3.6.17,3.7.13</c>).</summary>
    public bool AtLeast(VersionGate gate) => gate.IsSatisfiedBy(Version);
}

using System.Collections.Immutable;

namespace PostfixConfig;

/// <summary>
/// A configuration with its profile and service defaults filled in: what validation checks and
/// rendering writes, and where each setting comes from.
/// </summary>
/// <remarks>This type is immutable.</remarks>
public sealed class ExpandedConfiguration
{
    internal ExpandedConfiguration(TlsConfiguration configuration, ImmutableArray<ValueOrigin> origins, TlsProfile? profile)
    {
        Configuration = configuration;
        Origins = origins;
        Profile = profile;
    }

    /// <summary>The profile that was expanded, or <see langword="null"/>.</summary>
    public TlsProfile? Profile { get; }

    /// <summary>
    /// The effective configuration: <see cref="TlsConfiguration.Main"/> holds the profile's values
    /// besides the explicit ones (which win), every service holds its default overrides besides its
    /// own, and <see cref="TlsConfiguration.Profile"/> is <see langword="null"/> (nothing left to expand).
    /// </summary>
    public TlsConfiguration Configuration { get; }

    /// <summary>Every effective main.cf parameter and service override with where it comes from, main.cf first.</summary>
    public ImmutableArray<ValueOrigin> Origins { get; }
}

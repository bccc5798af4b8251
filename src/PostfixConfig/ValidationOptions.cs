using PostfixConfig.Catalog;

namespace PostfixConfig;

/// <summary>Options for <see cref="PostfixTls.Validate(TlsConfiguration, ValidationOptions?)"/>.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record ValidationOptions
{
    /// <summary>The defaults: the target release comes from the configuration.</summary>
    public static ValidationOptions Default { get; } = new();

    /// <summary>The target release, overriding the configuration's <c>postfix_version</c> (the CLI's <c>--postfix-version</c>).</summary>
    public PostfixVersion? PostfixVersion { get; init; }

    /// <summary>The catalog to check against; <see langword="null"/> for <see cref="ParameterCatalog.Default"/>.</summary>
    public ParameterCatalog? Catalog { get; init; }

    /// <summary>
    /// Also report, as information (<c>PFX9004</c>), every effective setting and where it comes from:
    /// <c>main</c>, the <c>profile</c>, a service's defaults or its own overrides (the CLI's <c>--show-origin</c>).
    /// </summary>
    public bool ShowOrigins { get; init; }
}

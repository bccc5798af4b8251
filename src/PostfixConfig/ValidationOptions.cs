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
}

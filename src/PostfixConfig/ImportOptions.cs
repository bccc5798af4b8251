using PostfixConfig.MainCf;

namespace PostfixConfig;

/// <summary>Options for <see cref="PostfixTls.Import(MainCfDocument, ImportOptions?)"/>.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record ImportOptions
{
    /// <summary>The defaults: no <c>postfix_version</c>, and the policy map next to main.cf is read when present.</summary>
    public static ImportOptions Default { get; } = new();

    /// <summary>The release to record as <c>postfix_version</c> (the CLI's <c>--postfix-version</c>), or <see langword="null"/>.</summary>
    public PostfixVersion? PostfixVersion { get; init; }

    /// <summary>
    /// The policy table source file to import as <c>tls_policy</c> (the CLI's <c>--policy</c>); when
    /// <see langword="null"/>, the table <c>smtp_tls_policy_maps</c> names is read from the folder of
    /// main.cf if it is there.
    /// </summary>
    public string? PolicyMapPath { get; init; }
}

using PostfixConfig.MainCf;

namespace PostfixConfig;

/// <summary>Options for <see cref="PostfixTls.Merge(TlsConfiguration, MainCfDocument, MergeOptions?)"/>.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record MergeOptions
{
    /// <summary>The defaults: only the YAML's settings are applied.</summary>
    public static MergeOptions Default { get; } = new();

    /// <summary>Validation settings, including the target release (overrides the YAML's <c>postfix_version</c>).</summary>
    public ValidationOptions Validation { get; init; } = ValidationOptions.Default;

    /// <summary>
    /// Also replace the legacy TLS switches (<c>smtpd_use_tls</c>, <c>smtpd_enforce_tls</c>,
    /// <c>smtp_use_tls</c>, <c>smtp_enforce_tls</c>, <c>smtp_tls_enforce_peername</c> and their
    /// <c>lmtp_</c> twins) by the security level they amount to, when the target release has it, and
    /// comment out the separate key and certificate files where <c>*_tls_chain_files</c> is in effect
    /// (Postfix ignores them then); the old lines are kept as comments.
    /// </summary>
    public bool Migrate { get; init; }

    /// <summary>
    /// The text of the master.cf to merge the configuration's services into, or <see langword="null"/>
    /// to read the master.cf next to main.cf (when the configuration has services; a host without one
    /// gets Debian's stock master.cf with the services).
    /// </summary>
    public string? MasterCfText { get; init; }
}

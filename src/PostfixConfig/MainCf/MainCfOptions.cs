namespace PostfixConfig.MainCf;

/// <summary>Options for <see cref="PostfixTls.LintMainCf(string, string?, LintOptions?)"/>.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record LintOptions
{
    /// <summary>The defaults: newest stable release unless one is given, and the policy map next to main.cf is checked.</summary>
    public static LintOptions Default { get; } = new();

    /// <summary>Validation settings, including the target release (the CLI's <c>--postfix-version</c>).</summary>
    public ValidationOptions Validation { get; init; } = ValidationOptions.Default;

    /// <summary>
    /// Whether to read and check the policy table that <c>smtp_tls_policy_maps</c> names, when its
    /// source file (the table's base name) is readable in the folder of main.cf.
    /// </summary>
    public bool CheckPolicyMap { get; init; } = true;

    /// <summary>
    /// Whether to read the master.cf in the folder of main.cf, as postconf does: its services make
    /// per-service parameters (<c>relay_destination_concurrency_limit</c>) valid or unused, and a
    /// parameter that only its <c>-o</c> options refer to (<c>$mua_client_restrictions</c>) is not unknown.
    /// </summary>
    public bool ReadMasterCf { get; init; } = true;

    /// <summary>
    /// Certificate and key file checks (the CLI's <c>--check-files</c>), or <see langword="null"/> for none:
    /// on the host that has the files, lint then also checks what they hold (see
    /// <see cref="PostfixTls.CheckFiles(TlsConfiguration, Certificates.CertificateCheckOptions?)"/>).
    /// </summary>
    public Certificates.CertificateCheckOptions? CheckFiles { get; init; }

    /// <summary>
    /// The resolver to check (the CLI's <c>--check-dns</c>), or <see langword="null"/> for no DNS check:
    /// lint then runs Postfix's <c>dnssec_probe</c> against it and says whether the DANE levels the file
    /// uses are effective (see <see cref="PostfixTls.CheckDnssec(Dns.DnssecCheckOptions, CancellationToken)"/>).
    /// </summary>
    public Dns.DnsResolverOptions? CheckDns { get; init; }
}

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

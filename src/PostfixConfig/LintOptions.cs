namespace PostfixConfig;

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

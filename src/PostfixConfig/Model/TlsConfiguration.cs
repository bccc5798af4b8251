namespace PostfixConfig;

/// <summary>
/// A Postfix TLS configuration: the target release, the main.cf parameters, and the TLS policy
/// table. The one model that YAML input and C# code both produce, and that validation and rendering take.
/// </summary>
/// <remarks>
/// <para>
/// Build it with an object initialiser and the typed keys, for example
/// <c>new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }.Set(ServerTls.SecurityLevel, ServerSecurityLevel.May)</c>,
/// or read it with <see cref="PostfixTls.LoadYaml(string, string?, LoadOptions?)"/>.
/// </para>
/// <para>
/// <see cref="PostfixVersion"/> <see langword="null"/> means "not said": validation then assumes the
/// newest stable release the catalog knows and reports that as information. Equality compares the
/// version, parameters, policy table, profile, OpenSSL version, services, SNI table, MTA-STS resolver and published policy and <see cref="UsedByMasterCf"/>, not <see cref="SourcePath"/>. This type is immutable.
/// </para>
/// </remarks>
public sealed record TlsConfiguration
{
    /// <summary>The Postfix release the output is for (<c>postfix_version</c> in YAML), or <see langword="null"/>.</summary>
    public PostfixVersion? PostfixVersion { get; init; }

    /// <summary>The main.cf parameters, by Postfix name.</summary>
    public ParameterMap Main { get; init; } = ParameterMap.Empty;

    /// <summary>The entries of the table that <c>smtp_tls_policy_maps</c> names (<c>tls_policy</c> in YAML).</summary>
    public TlsPolicyTable TlsPolicy { get; init; } = TlsPolicyTable.Empty;

    /// <summary>
    /// A ready-made TLS setup that fills in the parameters <see cref="Main"/> does not set
    /// (<c>profile</c> in YAML), or <see langword="null"/> for none.
    /// </summary>
    public TlsProfile? Profile { get; init; }

    /// <summary>
    /// The OpenSSL version Postfix is built with on the target host (<c>openssl_version</c> in YAML), or
    /// <see langword="null"/> for the one the Debian release shipping the target Postfix line has
    /// (see <c>Catalog/Data/profiles.txt</c>). Only profiles use it.
    /// </summary>
    public OpenSslVersion? OpenSslVersion { get; init; }

    /// <summary>The master.cf smtpd services to manage (<c>services</c> in YAML); rendered into master.cf.</summary>
    public ServiceTable Services { get; init; } = ServiceTable.Empty;

    /// <summary>
    /// The entries of the table that <c>tls_server_sni_maps</c> names (<c>sni</c> in YAML; Postfix 3.4
    /// and later): written next to main.cf and compiled with <c>postmap -F</c>.
    /// </summary>
    public SniTable Sni { get; init; } = SniTable.Empty;

    /// <summary>
    /// The MTA-STS policy resolver the SMTP client asks (<c>mta_sts</c> in YAML), or <see langword="null"/>:
    /// rendering appends its socketmap to <c>smtp_tls_policy_maps</c>.
    /// </summary>
    public MtaStsResolver? MtaSts { get; init; }

    /// <summary>
    /// What the domain publishes for inbound TLS (<c>publish</c> in YAML), or <see langword="null"/>:
    /// rendering writes <c>mta-sts.txt</c> and <c>dns-records.zone</c>.
    /// </summary>
    public PublishedPolicy? Publish { get; init; }

    /// <summary>
    /// Parameters of the user's own that master.cf's <c>-o</c> options refer to (<c>-o
    /// smtpd_client_restrictions=$mua_client_restrictions</c>), so that they count as used although nothing in
    /// <see cref="Main"/> refers to them (<c>used_by_master_cf</c> in YAML; <c>import</c> writes it). Validation
    /// treats each as if a master.cf entry said <c>$name</c>, as postconf does when it reads that master.cf.
    /// Nothing is rendered for it.
    /// </summary>
    public ValueList<string> UsedByMasterCf { get; init; }

    /// <summary>Where <see cref="UsedByMasterCf"/> was given in the input.</summary>
    internal Diagnostics.SourceSpan? UsedByMasterCfSpan { get; init; }

    /// <summary>Where <see cref="Profile"/> was given in the input: the position of every value the profile fills in.</summary>
    internal Diagnostics.SourceSpan? ProfileSpan { get; init; }

    /// <summary>Where <see cref="PostfixVersion"/> was given in the input.</summary>
    internal Diagnostics.SourceSpan? PostfixVersionSpan { get; init; }

    /// <summary>Where <see cref="OpenSslVersion"/> was given in the input.</summary>
    internal Diagnostics.SourceSpan? OpenSslVersionSpan { get; init; }

    /// <summary>The file the configuration was read from, for diagnostics; not part of equality.</summary>
    public string? SourcePath { get; init; }

    /// <summary>
    /// Whether <see cref="Main"/> is a whole main.cf as read from a file (lint, merge, status), so that a name it
    /// neither sets nor Postfix knows is undefined and expands to nothing, as Postfix expands it; a configuration from
    /// YAML or code holds only part of main.cf, and such a name may be set in the rest. Not part of equality.
    /// </summary>
    internal bool IsWholeMainCf { get; init; }

    /// <summary>A copy with a parameter set through its typed key.</summary>
    public TlsConfiguration Set<T>(TlsParameter<T> parameter, T value) => this with { Main = Main.Set(parameter, value) };

    /// <summary>A copy with a parameter set to main.cf text (any parameter, TLS or not).</summary>
    public TlsConfiguration Set(string name, string value) => this with { Main = Main.Set(name, value) };

    /// <summary>A copy with a parameter set to a list.</summary>
    public TlsConfiguration Set(string name, IEnumerable<string> items) => this with { Main = Main.Set(name, PostfixValue.OfList(items)) };

    /// <summary>A copy without the parameter.</summary>
    public TlsConfiguration Remove(string name) => this with { Main = Main.Remove(name) };

    /// <summary>The typed value of a parameter, or <see langword="default"/> when not set.</summary>
    public T? Get<T>(TlsParameter<T> parameter) => Main.Get(parameter);

    /// <summary>A copy with a policy table entry added (or replaced, for the same destination).</summary>
    public TlsConfiguration WithPolicy(TlsPolicyEntry entry) => this with { TlsPolicy = TlsPolicy.Add(entry) };

    /// <summary>A copy with an SNI table entry added (or replaced, for the same name).</summary>
    public TlsConfiguration WithSni(SniEntry entry) => this with { Sni = Sni.Add(entry) };

    /// <summary>A copy with a master.cf service added (or replaced, for the same name).</summary>
    public TlsConfiguration WithService(ServiceSettings service) => this with { Services = Services.Add(service) };

    /// <inheritdoc />
    public bool Equals(TlsConfiguration? other) =>
        other is not null
        && Nullable.Equals(PostfixVersion, other.PostfixVersion)
        && Main.Equals(other.Main)
        && TlsPolicy.Equals(other.TlsPolicy)
        && Profile == other.Profile
        && Nullable.Equals(OpenSslVersion, other.OpenSslVersion)
        && Services.Equals(other.Services)
        && Sni.Equals(other.Sni)
        && Equals(MtaSts, other.MtaSts)
        && Equals(Publish, other.Publish)
        && UsedByMasterCf.Equals(other.UsedByMasterCf);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(HashCode.Combine(PostfixVersion, Main, TlsPolicy, Profile, OpenSslVersion, Services, Sni), MtaSts, Publish, UsedByMasterCf);
}

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
/// version, parameters and policy table, not <see cref="SourcePath"/>. This type is immutable.
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

    /// <summary>The file the configuration was read from, for diagnostics; not part of equality.</summary>
    public string? SourcePath { get; init; }

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

    /// <inheritdoc />
    public bool Equals(TlsConfiguration? other) =>
        other is not null
        && Nullable.Equals(PostfixVersion, other.PostfixVersion)
        && Main.Equals(other.Main)
        && TlsPolicy.Equals(other.TlsPolicy);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PostfixVersion, Main, TlsPolicy);
}

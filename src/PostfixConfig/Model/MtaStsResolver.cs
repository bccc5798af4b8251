using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>The MTA-STS policy resolvers PostfixConfig can set Postfix up for (<c>resolver</c> in <c>mta_sts</c>).</summary>
public enum MtaStsResolverKind
{
    /// <summary>
    /// <c>postfix-mta-sts-resolver</c> (Debian package of that name; its daemon is <c>mta-sts-daemon</c>,
    /// default address <c>inet:127.0.0.1:8461</c>). It answers <c>secure match=MX-PATTERNS</c>, with
    /// <c>servername=hostname</c> unless its zone sets <c>require_sni: false</c>; any socketmap name
    /// selects its default zone, and PostfixConfig writes <c>postfix</c>, the name in its documentation.
    /// </summary>
    PostfixMtaStsResolver,

    /// <summary>
    /// <c>postfix-tlspol</c> (default address <c>inet:127.0.0.1:8642</c>): MTA-STS and DANE, DANE first.
    /// The socketmap name is <c>QUERY</c> before Postfix 3.10 and <c>QUERYwithTLSRPT</c> from 3.10, whose
    /// answers carry the <c>policy_type</c>/<c>policy_domain</c> attributes TLSRPT and
    /// <c>smtp_tls_enforce_sts_mx_patterns</c> need (releases before 3.10 reject them).
    /// </summary>
    PostfixTlspol,
}

/// <summary>
/// The MTA-STS policy resolver the SMTP client asks (<c>mta_sts</c> in YAML): rendering appends its
/// socketmap, with the map name the resolver and the target release need, to <c>smtp_tls_policy_maps</c>,
/// after the site's own table, so explicit entries win.
/// </summary>
/// <remarks>Equality compares every setting, not positions. This type is immutable.</remarks>
public sealed record MtaStsResolver
{
    /// <summary>Creates the settings.</summary>
    /// <param name="kind">Which resolver runs on the host.</param>
    /// <param name="address">Where it listens: <c>inet:HOST:PORT</c> or <c>unix:PATH</c>.</param>
    public MtaStsResolver(MtaStsResolverKind kind, string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Kind = kind;
        Address = address;
    }

    /// <summary>Which resolver runs on the host.</summary>
    public MtaStsResolverKind Kind { get; }

    /// <summary>Where it listens, as Postfix names a socketmap server: <c>inet:HOST:PORT</c> or <c>unix:PATH</c>.</summary>
    public string Address { get; }

    /// <summary>
    /// postfix-mta-sts-resolver only: whether its zone answers with <c>servername=hostname</c> (its
    /// <c>require_sni</c>, on by default), which Postfix before 3.4 rejects; <c>require_sni</c> in YAML.
    /// </summary>
    public bool RequireSni { get; init; } = true;

    /// <summary>
    /// postfix-mta-sts-resolver only: whether it sends the TLSRPT policy attributes (its <c>tlsrpt</c>
    /// option, release 1.5.0 and later), which Postfix before 3.10 rejects; <c>tlsrpt</c> in YAML.
    /// </summary>
    public bool TlsRpt { get; init; }

    /// <summary>Where the section was given in the input; not part of equality.</summary>
    internal SourceSpan? Span { get; init; }

    /// <summary>Where <see cref="Kind"/> was given in the input.</summary>
    internal SourceSpan? KindSpan { get; init; }

    /// <summary>Where <see cref="Address"/> was given in the input.</summary>
    internal SourceSpan? AddressSpan { get; init; }

    /// <summary>Where <see cref="RequireSni"/> was given in the input, or <see langword="null"/> when not given.</summary>
    internal SourceSpan? RequireSniSpan { get; init; }

    /// <summary>Where <see cref="TlsRpt"/> was given in the input, or <see langword="null"/> when not given.</summary>
    internal SourceSpan? TlsRptSpan { get; init; }

    /// <summary>The resolver's name as YAML writes it (<c>postfix-mta-sts-resolver</c>, <c>postfix-tlspol</c>).</summary>
    public static string NameOf(MtaStsResolverKind kind) => kind == MtaStsResolverKind.PostfixTlspol ? "postfix-tlspol" : "postfix-mta-sts-resolver";

    /// <summary>The resolver for a YAML name, or <see langword="null"/>.</summary>
    public static MtaStsResolverKind? Parse(string name) => name switch
    {
        "postfix-mta-sts-resolver" => MtaStsResolverKind.PostfixMtaStsResolver,
        "postfix-tlspol" => MtaStsResolverKind.PostfixTlspol,
        _ => null,
    };

    /// <inheritdoc />
    public bool Equals(MtaStsResolver? other) =>
        other is not null && Kind == other.Kind && Address == other.Address && RequireSni == other.RequireSni && TlsRpt == other.TlsRpt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Address, RequireSni, TlsRpt);
}

using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>The <c>mode</c> of an MTA-STS policy (RFC 8461 section 5).</summary>
public enum MtaStsMode
{
    /// <summary>Senders that implement MTA-STS deliver only to MX hosts that match the policy, with a certificate that verifies.</summary>
    Enforce,

    /// <summary>Senders deliver as without a policy and report failures (TLSRPT); the step before <see cref="Enforce"/>.</summary>
    Testing,

    /// <summary>No policy in effect (how a domain withdraws one).</summary>
    None,
}

/// <summary>
/// What a domain publishes about its inbound TLS (<c>publish</c> in YAML): the MTA-STS policy
/// (RFC 8461) and the TLSRPT reporting addresses (RFC 8460). <c>render</c> writes the policy file
/// <c>mta-sts.txt</c> and the DNS records (<c>dns-records.zone</c>: <c>_mta-sts</c>, <c>_smtp._tls</c>
/// and the mail host's TLSA records where its certificate files are readable).
/// </summary>
/// <remarks>Equality compares the domain and both policies, not positions. This type is immutable.</remarks>
public sealed record PublishedPolicy
{
    /// <summary>Creates the settings for <paramref name="domain"/>.</summary>
    /// <param name="domain">The mail domain (<c>example.com</c>), whose MX hosts the policy names.</param>
    public PublishedPolicy(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Domain = domain;
    }

    /// <summary>The mail domain the policy and records are for.</summary>
    public string Domain { get; }

    /// <summary>The MTA-STS policy, or <see langword="null"/> to publish none.</summary>
    public MtaStsPolicy? MtaSts { get; init; }

    /// <summary>Where TLSRPT reports go, or <see langword="null"/> to ask for none.</summary>
    public TlsRptPolicy? TlsRpt { get; init; }

    /// <summary>Where the section was given in the input; not part of equality.</summary>
    internal SourceSpan? Span { get; init; }

    /// <summary>Where <see cref="Domain"/> was given in the input.</summary>
    internal SourceSpan? DomainSpan { get; init; }

    /// <inheritdoc />
    public bool Equals(PublishedPolicy? other) =>
        other is not null && Domain == other.Domain && Equals(MtaSts, other.MtaSts) && Equals(TlsRpt, other.TlsRpt);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Domain, MtaSts, TlsRpt);
}

/// <summary>An MTA-STS policy (<c>mta_sts</c> in <c>publish</c>): what <c>mta-sts.txt</c> says.</summary>
/// <remarks>Equality compares the mode, the MX patterns in order and the maximum age. This type is immutable.</remarks>
public sealed record MtaStsPolicy
{
    /// <summary>The maximum age <see cref="MaxAge"/> has when none is given: one week, the RFC's example.</summary>
    public const long DefaultMaxAge = 604_800;

    /// <summary>The largest <see cref="MaxAge"/> RFC 8461 allows (about one year).</summary>
    public const long MaxMaxAge = 31_557_600;

    /// <summary>Creates a policy.</summary>
    /// <param name="mode">enforce, testing or none.</param>
    /// <param name="mx">The MX host patterns (<c>mail.example.com</c>, <c>*.example.net</c>); at least one unless the mode is none.</param>
    public MtaStsPolicy(MtaStsMode mode, IEnumerable<string> mx)
    {
        ArgumentNullException.ThrowIfNull(mx);
        Mode = mode;
        Mx = [.. mx];
    }

    /// <summary>The policy mode.</summary>
    public MtaStsMode Mode { get; }

    /// <summary>The MX host patterns, in input order.</summary>
    public ImmutableArray<string> Mx { get; }

    /// <summary>How long senders may cache the policy, in seconds (0 to <see cref="MaxMaxAge"/>).</summary>
    public long MaxAge { get; init; } = DefaultMaxAge;

    /// <summary>Where the policy was given in the input; not part of equality.</summary>
    internal SourceSpan? Span { get; init; }

    /// <summary>Where <see cref="Mode"/> was given.</summary>
    internal SourceSpan? ModeSpan { get; init; }

    /// <summary>Where <see cref="Mx"/> was given (the list or its one value).</summary>
    internal SourceSpan? MxSpan { get; init; }

    /// <summary>Where each pattern of <see cref="Mx"/> was given (empty for a policy built in C#).</summary>
    internal ImmutableArray<SourceSpan> MxItemSpans { get; init; } = [];

    /// <summary>Where <see cref="MaxAge"/> was given, or <see langword="null"/> for the default.</summary>
    internal SourceSpan? MaxAgeSpan { get; init; }

    /// <summary>Where pattern <paramref name="index"/> of <see cref="Mx"/> was given, falling back to the list and the section.</summary>
    internal SourceSpan? SpanOfMx(int index) => index < MxItemSpans.Length ? MxItemSpans[index] : MxSpan ?? Span;

    /// <summary>The mode as RFC 8461 writes it (<c>enforce</c>, <c>testing</c>, <c>none</c>).</summary>
    public static string NameOf(MtaStsMode mode) => mode switch
    {
        MtaStsMode.Enforce => "enforce",
        MtaStsMode.Testing => "testing",
        _ => "none",
    };

    /// <inheritdoc />
    public bool Equals(MtaStsPolicy? other) =>
        other is not null && Mode == other.Mode && MaxAge == other.MaxAge && Mx.SequenceEqual(other.Mx);

    /// <inheritdoc />
    public override int GetHashCode() => Mx.Aggregate(HashCode.Combine(Mode, MaxAge), HashCode.Combine);
}

/// <summary>Where TLSRPT reports go (<c>tlsrpt</c> in <c>publish</c>): the <c>rua</c> URIs of the <c>_smtp._tls</c> record.</summary>
/// <remarks>Equality compares the URIs in order. This type is immutable.</remarks>
public sealed record TlsRptPolicy
{
    /// <summary>Creates the settings.</summary>
    /// <param name="rua">The report URIs: <c>mailto:ADDRESS</c> or <c>https://HOST/PATH</c>.</param>
    public TlsRptPolicy(IEnumerable<string> rua)
    {
        ArgumentNullException.ThrowIfNull(rua);
        Rua = [.. rua];
    }

    /// <summary>The report URIs, in input order.</summary>
    public ImmutableArray<string> Rua { get; }

    /// <summary>Where the section was given in the input; not part of equality.</summary>
    internal SourceSpan? Span { get; init; }

    /// <summary>Where <see cref="Rua"/> was given (the list or its one value).</summary>
    internal SourceSpan? RuaSpan { get; init; }

    /// <summary>Where each URI of <see cref="Rua"/> was given (empty for settings built in C#).</summary>
    internal ImmutableArray<SourceSpan> RuaItemSpans { get; init; } = [];

    /// <summary>Where URI <paramref name="index"/> of <see cref="Rua"/> was given, falling back to the list and the section.</summary>
    internal SourceSpan? SpanOfRua(int index) => index < RuaItemSpans.Length ? RuaItemSpans[index] : RuaSpan ?? Span;

    /// <inheritdoc />
    public bool Equals(TlsRptPolicy? other) => other is not null && Rua.SequenceEqual(other.Rua);

    /// <inheritdoc />
    public override int GetHashCode() => Rua.Aggregate(0, HashCode.Combine);
}

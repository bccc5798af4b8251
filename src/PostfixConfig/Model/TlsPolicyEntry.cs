using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// One entry of the TLS policy table (<c>smtp_tls_policy_maps</c>): a next-hop destination, the
/// security level to use for it, and optional attributes.
/// </summary>
/// <remarks>
/// <para>
/// Renders as one map line, <c>destination level attribute=value ...</c>. List attributes are
/// joined the way Postfix reads them: <see cref="Protocols"/> and <see cref="Exclude"/> with
/// <c>:</c>, <see cref="Match"/> with <c>|</c> at level <c>fingerprint</c> and <c>:</c> otherwise,
/// and every <see cref="TaFile"/> as its own <c>tafile=</c> attribute.
/// </para>
/// <para>
/// <see cref="Level"/> is kept as text so that a misspelt level read from YAML can be reported; use
/// the constructor taking a <see cref="ClientSecurityLevel"/> from code. Equality ignores
/// <see cref="Spans"/>. This type is immutable.
/// </para>
/// </remarks>
public sealed record TlsPolicyEntry
{
    private readonly PolicyEntrySpans _spans;

    /// <summary>Creates an entry with a level word (<c>encrypt</c>).</summary>
    public TlsPolicyEntry(string destination, string level)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(level);
        Destination = destination;
        Level = level;
    }

    /// <summary>Creates an entry with a typed level.</summary>
    public TlsPolicyEntry(string destination, ClientSecurityLevel level)
        : this(destination, level.ToPostfix())
    {
    }

    /// <summary>
    /// The lookup key: a domain (<c>example.com</c>), parent-domain wildcard (<c>.example.com</c>),
    /// a bracketed host (<c>[mx.example.com]</c>) or host and port (<c>[mx.example.com]:25</c>).
    /// </summary>
    public string Destination { get; init; }

    /// <summary>The security level word (<c>none</c>, <c>may</c>, <c>encrypt</c>, <c>dane</c>, <c>dane-only</c>, <c>fingerprint</c>, <c>verify</c>, <c>secure</c>).</summary>
    public string Level { get; init; }

    /// <summary>The level as a typed value, or <see langword="null"/> when the word is unknown.</summary>
    public ClientSecurityLevel? SecurityLevel => PostfixWords.TryParseClientLevel(Level, out var l) ? l : null;

    /// <summary><c>protocols=</c>: TLS protocols for this destination (<c>TLSv1.2</c>, <c>!SSLv2</c>, 3.6+: <c>&gt;=TLSv1.2</c>).</summary>
    public ValueList<string> Protocols { get; init; }

    /// <summary><c>ciphers=</c>: the minimum cipher grade for this destination.</summary>
    public string? Ciphers { get; init; }

    /// <summary><c>exclude=</c>: ciphers to exclude (2.6+).</summary>
    public ValueList<string> Exclude { get; init; }

    /// <summary><c>match=</c>: names or strategies (verify, secure) or fingerprints (fingerprint).</summary>
    public ValueList<string> Match { get; init; }

    /// <summary><c>tafile=</c>: trust-anchor files (2.11+).</summary>
    public ValueList<string> TaFile { get; init; }

    /// <summary><c>servername=</c>: the SNI name to send (3.4+).</summary>
    public string? ServerName { get; init; }

    /// <summary><c>connection_reuse=</c>: reuse TLS connections through tlsproxy (3.4+).</summary>
    public bool? ConnectionReuse { get; init; }

    /// <summary><c>enable_rpk=</c>: ask for a raw public key (3.9+).</summary>
    public bool? EnableRpk { get; init; }

    /// <summary>Any other attributes, in input order (policy plugin attributes, or misspellings to report).</summary>
    public ValueList<TlsPolicyAttributeValue> OtherAttributes { get; init; }

    /// <summary>
    /// Source positions by part: <c>""</c> for the destination key, <c>"level"</c>, and each attribute
    /// name. Not part of equality.
    /// </summary>
    /// <remarks>
    /// Built on each call from a compact form kept in the entry (a table read from YAML can hold a
    /// million entries); use <see cref="SpanOf"/> to look one part up.
    /// </remarks>
    public ImmutableDictionary<string, SourceSpan> Spans
    {
        get => _spans.ToDictionary();
        init => _spans = PolicyEntrySpans.From(value);
    }

    /// <summary>The compact source positions (see <see cref="Spans"/>).</summary>
    internal PolicyEntrySpans CompactSpans
    {
        get => _spans;
        init => _spans = value;
    }

    /// <summary>Where <paramref name="part"/> was written, falling back to the destination key.</summary>
    public SourceSpan? SpanOf(string part) => _spans.Find(part) ?? _spans.Key;

    /// <summary>The attributes in rendering order, with list values joined as Postfix expects.</summary>
    public IEnumerable<KeyValuePair<string, string>> RenderedAttributes()
    {
        if (!Protocols.IsEmpty)
        {
            yield return new("protocols", Protocols.Join(":"));
        }

        if (Ciphers is not null)
        {
            yield return new("ciphers", Ciphers);
        }

        if (!Exclude.IsEmpty)
        {
            yield return new("exclude", Exclude.Join(":"));
        }

        if (!Match.IsEmpty)
        {
            var fingerprint = string.Equals(Level, "fingerprint", StringComparison.OrdinalIgnoreCase);
            yield return new("match", Match.Join(fingerprint ? "|" : ":"));
        }

        foreach (var file in TaFile)
        {
            yield return new("tafile", file);
        }

        if (ServerName is not null)
        {
            yield return new("servername", ServerName);
        }

        if (ConnectionReuse is { } reuse)
        {
            yield return new("connection_reuse", reuse ? "yes" : "no");
        }

        if (EnableRpk is { } rpk)
        {
            yield return new("enable_rpk", rpk ? "yes" : "no");
        }

        foreach (var a in OtherAttributes)
        {
            yield return new(a.Name, a.Value);
        }
    }

    /// <summary>The map value: <c>level attribute=value ...</c>.</summary>
    public string RenderValue()
    {
        var sb = new System.Text.StringBuilder(Level);
        foreach (var (name, value) in RenderedAttributes())
        {
            sb.Append(' ').Append(name).Append('=').Append(value);
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public bool Equals(TlsPolicyEntry? other) =>
        other is not null
        && Destination == other.Destination
        && Level == other.Level
        && Protocols == other.Protocols
        && Ciphers == other.Ciphers
        && Exclude == other.Exclude
        && Match == other.Match
        && TaFile == other.TaFile
        && ServerName == other.ServerName
        && ConnectionReuse == other.ConnectionReuse
        && EnableRpk == other.EnableRpk
        && OtherAttributes == other.OtherAttributes;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Destination, Level, Protocols, Ciphers, Match, TaFile);
}

/// <summary>A policy attribute that has no typed property (plugin attributes, or an unknown name).</summary>
/// <param name="Name">Attribute name.</param>
/// <param name="Value">Attribute value as written.</param>
public sealed record TlsPolicyAttributeValue(string Name, string Value);

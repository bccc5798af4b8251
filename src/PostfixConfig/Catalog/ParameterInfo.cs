using System.Collections.Immutable;

namespace PostfixConfig.Catalog;

/// <summary>
/// Everything the library knows about one Postfix parameter: kind, allowed values, default per
/// release, and the releases that introduced, deprecated, made obsolete or removed it.
/// </summary>
/// <remarks>
/// Instances come from <see cref="ParameterCatalog"/>; the catalog data file
/// (<c>src/PostfixConfig/Catalog/Data/tls-parameters.txt</c>) is the one place these facts live.
/// Methods that take a version expect a concrete release (see <see cref="PostfixReleases.Resolve(PostfixVersion)"/>).
/// This type is immutable and thread-safe.
/// </remarks>
public sealed class ParameterInfo
{
    internal ParameterInfo(
        string name,
        ParameterScope scope,
        ParameterKind kind,
        ImmutableArray<EnumValue> values,
        VersionGate since,
        VersionGate? removed,
        VersionGate? deprecated,
        ImmutableArray<string> replacements,
        VersionGate? postconfWarns,
        VersionGate? obsolete,
        char? unit,
        (int Min, int Max)? range,
        string @default,
        ImmutableArray<(VersionGate Since, string Value)> defaultChanges,
        string description)
    {
        Name = name;
        Scope = scope;
        Kind = kind;
        Values = values;
        Since = since;
        Removed = removed;
        Deprecated = deprecated;
        Replacements = replacements;
        PostconfWarns = postconfWarns;
        Obsolete = obsolete;
        Unit = unit;
        Range = range;
        InitialDefault = @default;
        DefaultChanges = defaultChanges;
        Description = description;
    }

    /// <summary>The parameter name, exactly as in main.cf (case-sensitive).</summary>
    public string Name { get; }

    /// <summary>The Postfix component that reads it.</summary>
    public ParameterScope Scope { get; }

    /// <summary>The kind of value.</summary>
    public ParameterKind Kind { get; }

    /// <summary>For <see cref="ParameterKind.Enum"/>, <see cref="ParameterKind.CipherGrade"/> and <see cref="ParameterKind.Digest"/>: the known words.</summary>
    internal ImmutableArray<EnumValue> Values { get; }

    /// <summary>The releases in which <c>postconf -d</c> first lists it.</summary>
    internal VersionGate Since { get; }

    /// <summary>The releases from which <c>postconf -d</c> no longer lists it, or <see langword="null"/>.</summary>
    internal VersionGate? Removed { get; }

    /// <summary>The releases from which it is deprecated, or <see langword="null"/>.</summary>
    internal VersionGate? Deprecated { get; }

    /// <summary>What to set instead when it is deprecated, removed or obsolete (may be empty).</summary>
    public ImmutableArray<string> Replacements { get; }

    /// <summary>The releases whose <c>postconf</c> warns when it is set, or <see langword="null"/>.</summary>
    internal VersionGate? PostconfWarns { get; }

    /// <summary>The releases that ignore it (it has no effect), or <see langword="null"/>.</summary>
    internal VersionGate? Obsolete { get; }

    /// <summary>For <see cref="ParameterKind.Time"/>: the unit assumed when a value has none.</summary>
    public char? Unit { get; }

    /// <summary>For <see cref="ParameterKind.Integer"/>: the meaningful range, when there is one.</summary>
    public (int Min, int Max)? Range { get; }

    /// <summary>The default in the release that introduced it.</summary>
    public string InitialDefault { get; }

    /// <summary>Later default changes, oldest first; the last one that applies wins.</summary>
    internal ImmutableArray<(VersionGate Since, string Value)> DefaultChanges { get; }

    /// <summary>One line saying what the parameter does.</summary>
    public string Description { get; }

    /// <summary>Whether the name contains <c>tls</c> (the parameters the catalog is complete for).</summary>
    public bool IsTls => Name.Contains("tls", StringComparison.Ordinal);

    /// <summary>Whether <c>postconf -d</c> of <paramref name="version"/> lists the parameter.</summary>
    public bool IsKnownIn(PostfixVersion version) =>
        Since.IsSatisfiedBy(version) && (Removed is null || !Removed.IsSatisfiedBy(version));

    /// <summary>Whether it is deprecated in <paramref name="version"/>.</summary>
    public bool IsDeprecatedIn(PostfixVersion version) => Deprecated?.IsSatisfiedBy(version) == true;

    /// <summary>Whether <paramref name="version"/> ignores it.</summary>
    public bool IsObsoleteIn(PostfixVersion version) => Obsolete?.IsSatisfiedBy(version) == true;

    /// <summary>Whether <paramref name="version"/>'s <c>postconf</c> warns when it is set.</summary>
    public bool PostconfWarnsIn(PostfixVersion version) => PostconfWarns?.IsSatisfiedBy(version) == true;

    /// <summary>
    /// The default as <c>postconf -d</c> of <paramref name="version"/> prints it (unexpanded), or
    /// <see langword="null"/> when that release does not know the parameter.
    /// </summary>
    public string? DefaultIn(PostfixVersion version)
    {
        if (!IsKnownIn(version))
        {
            return null;
        }

        var value = InitialDefault;
        foreach (var (since, v) in DefaultChanges)
        {
            if (since.IsSatisfiedBy(version))
            {
                value = v;
            }
        }

        return value;
    }

    /// <summary>Finds an enumeration word, case-insensitively.</summary>
    internal EnumValue? FindValue(string word)
    {
        foreach (var v in Values)
        {
            if (string.Equals(v.Value, word, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>The enumeration words that <paramref name="version"/> accepts.</summary>
    public IEnumerable<string> ValuesIn(PostfixVersion version) =>
        Values.Where(v => v.Since.IsSatisfiedBy(version)).Select(v => v.Value);

    /// <inheritdoc />
    public override string ToString() => Name;
}

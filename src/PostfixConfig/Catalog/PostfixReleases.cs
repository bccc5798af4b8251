using System.Collections.Immutable;

namespace PostfixConfig.Catalog;

/// <summary>
/// The Postfix release lines the catalog knows (2.2 to the newest stable line, plus the provisional
/// development snapshot) and the newest patch release of each.
/// </summary>
/// <remarks>This type is immutable and thread-safe.</remarks>
internal sealed class PostfixReleases
{
    private readonly ImmutableDictionary<PostfixVersion, PostfixVersion> _newestByLine;

    internal PostfixReleases(ImmutableArray<PostfixVersion> newest, ImmutableHashSet<PostfixVersion> provisional)
    {
        Newest = newest;
        Provisional = provisional;
        _newestByLine = newest.ToImmutableDictionary(v => v.Line);
        Lines = [.. newest.Select(v => v.Line)];
    }

    /// <summary>The newest patch release (or snapshot) of each known line, oldest first.</summary>
    public ImmutableArray<PostfixVersion> Newest { get; }

    /// <summary>The known release lines (<c>2.2</c> ... <c>3.12</c>), oldest first.</summary>
    public ImmutableArray<PostfixVersion> Lines { get; }

    /// <summary>Releases that are unreleased development snapshots; their facts are provisional.</summary>
    public ImmutableHashSet<PostfixVersion> Provisional { get; }

    /// <summary>The newest stable release the catalog knows (assumed when no target is given).</summary>
    public PostfixVersion NewestStable => Newest.Last(v => !Provisional.Contains(v));

    /// <summary>The oldest release line with built-in TLS (2.2).</summary>
    public PostfixVersion Oldest => Newest[0].Line;

    /// <summary>Whether <paramref name="version"/>'s line is one the catalog knows.</summary>
    public bool IsKnownLine(PostfixVersion version) => _newestByLine.ContainsKey(version.Line);

    /// <summary>Whether the resolved release is a development snapshot.</summary>
    public bool IsProvisional(PostfixVersion version) => Provisional.Contains(Resolve(version));

    /// <summary>
    /// The concrete release a version stands for: a line written without a patch number
    /// (<c>3.7</c>) means its newest patch release (<c>3.7.22</c>); anything else is returned as is.
    /// </summary>
    public PostfixVersion Resolve(PostfixVersion version)
    {
        if (!version.HasPatch && !version.IsSnapshot && _newestByLine.TryGetValue(version.Line, out var newest))
        {
            return newest;
        }

        return version;
    }
}

using System.Collections.Immutable;
using System.Globalization;

namespace PostfixConfig.Catalog;

/// <summary>
/// The releases from which something is available: the first release of a line plus, for
/// features that were back-ported, the first patch release in each older line
/// (for example <c>2.9.14, 2.10.8, 2.11.6, 3.0.2, 3.1</c>).
/// </summary>
/// <remarks>
/// A version satisfies the gate when the gate names a release of the same line with a patch number
/// at or below the version's, or when the version's line is newer than every line the gate names.
/// A line older than the newest named line that the gate does not name never got the feature.
/// A snapshot counts as the <c>.0</c> release of its line. This type is immutable.
/// </remarks>
internal sealed class VersionGate : IEquatable<VersionGate>
{
    private VersionGate(ImmutableArray<PostfixVersion> points) => Points = points;

    /// <summary>The first release in each line that has the feature, oldest first.</summary>
    public ImmutableArray<PostfixVersion> Points { get; }

    /// <summary>The oldest release with the feature.</summary>
    public PostfixVersion First => Points[0];

    /// <summary>The release of the newest line named, from which every later release has the feature.</summary>
    public PostfixVersion Mainline => Points[^1];

    /// <summary>A gate satisfied from <paramref name="version"/> on.</summary>
    public static VersionGate From(PostfixVersion version) => new([Normalize(version)]);

    /// <summary>Parses <c>X.Y[.Z][,X.Y[.Z]...]</c>.</summary>
    /// <exception cref="FormatException">The text is not a gate.</exception>
    public static VersionGate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var points = new List<PostfixVersion>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            points.Add(Normalize(PostfixVersion.Parse(part)));
        }

        if (points.Count == 0)
        {
            throw new FormatException("A version gate names at least one release.");
        }

        points.Sort();
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Line == points[i - 1].Line)
            {
                throw new FormatException($"Version gate '{text}' names line {points[i].Line} twice.");
            }
        }

        return new VersionGate([.. points]);
    }

    private static PostfixVersion Normalize(PostfixVersion v) => new(v.Major, v.Minor, v.Patch);

    /// <summary>Whether <paramref name="version"/> has the feature (see the remarks on the type).</summary>
    public bool IsSatisfiedBy(PostfixVersion version)
    {
        var line = version.Line;
        if (line > Mainline.Line)
        {
            return true;
        }

        foreach (var p in Points)
        {
            if (p.Line == line)
            {
                return version.Patch >= p.Patch;
            }
        }

        return false;
    }

    /// <summary>
    /// The newest release before the gate that does not satisfy it, given the release lines in
    /// <paramref name="releases"/>, or <see langword="null"/> when there is none; used by tests and
    /// error messages that walk a rule across its boundary.
    /// </summary>
    public PostfixVersion? LastReleaseBefore(IEnumerable<PostfixVersion> releases)
    {
        ArgumentNullException.ThrowIfNull(releases);
        PostfixVersion? best = null;
        foreach (var r in releases)
        {
            if (!IsSatisfiedBy(r) && r < Mainline && (best is null || r > best))
            {
                best = r;
            }
        }

        return best;
    }

    /// <summary>Short text for messages: <c>3.4</c> or <c>3.9 (3.5.20, 3.6.10, 3.7.6, 3.8.1)</c>.</summary>
    public string Describe()
    {
        if (Points.Length == 1)
        {
            return Format(Points[0]);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Format(Mainline)} (and {string.Join(", ", Points[..^1].Select(Format))})");
    }

    private static string Format(PostfixVersion v) => v.Patch == 0 ? v.Line.ToString() : v.ToString();

    /// <summary>The gate as written in the catalog: <c>2.9.14,2.10.8,3.1</c>.</summary>
    public override string ToString() => string.Join(",", Points.Select(Format));

    /// <inheritdoc />
    public bool Equals(VersionGate? other) => other is not null && Points.SequenceEqual(other.Points);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as VersionGate);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (var p in Points)
        {
            h.Add(p);
        }

        return h.ToHashCode();
    }
}

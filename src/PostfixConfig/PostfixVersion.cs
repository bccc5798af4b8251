using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace PostfixConfig;

/// <summary>
/// A Postfix release number such as <c>2.3</c>, <c>3.7.11</c> or the development snapshot
/// <c>3.12-20260821</c>.
/// </summary>
/// <remarks>
/// <para>
/// Versions are ordered by major, minor and patch number, compared as numbers (so <c>3.10</c> is
/// newer than <c>3.9</c>). A snapshot sorts before the release with the same numbers
/// (<c>3.12-20260821</c> &lt; <c>3.12.0</c>) and snapshots of one line sort by date.
/// </para>
/// <para>
/// A version written without a patch number (<c>3.7</c>) is kept as written:
/// <see cref="HasPatch"/> is <see langword="false"/> and it compares equal to <c>3.7.0</c>.
/// Use <see cref="Catalog.PostfixReleases.Resolve(PostfixVersion)"/> to turn a release line into
/// the newest patch release of that line, which is what a release line means for this library.
/// </para>
/// <para>The <see langword="default"/> value is <c>0.0</c>. This type is immutable and thread-safe.</para>
/// </remarks>
public readonly struct PostfixVersion : IEquatable<PostfixVersion>, IComparable<PostfixVersion>, IComparable,
    IComparisonOperators<PostfixVersion, PostfixVersion, bool>, ISpanFormattable
{
    private readonly int _patch; // -1 when the patch number was not written

    /// <summary>Creates a version from its numbers.</summary>
    /// <param name="major">Major number, 0 to 99.</param>
    /// <param name="minor">Minor number, 0 to 999.</param>
    /// <param name="patch">Patch number, 0 to 9999, or <see langword="null"/> for a release line.</param>
    /// <param name="snapshot">Snapshot date as <c>yyyymmdd</c> (8 digits), or <see langword="null"/> for a release.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is outside its range.</exception>
    public PostfixVersion(int major, int minor, int? patch = null, int? snapshot = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(major, 99);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minor, 999);
        if (patch is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(p, nameof(patch));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 9999, nameof(patch));
        }

        if (snapshot is { } s && (s < 19900101 || s > 99991231))
        {
            throw new ArgumentOutOfRangeException(nameof(snapshot), s, "A snapshot date has the form yyyymmdd.");
        }

        if (snapshot is not null && patch is not null)
        {
            throw new ArgumentException("A snapshot has no patch number.", nameof(snapshot));
        }

        Major = major;
        Minor = minor;
        _patch = patch ?? -1;
        Snapshot = snapshot ?? 0;
    }

    /// <summary>The major release number (the 3 of 3.7.11).</summary>
    public int Major { get; }

    /// <summary>The minor release number (the 7 of 3.7.11).</summary>
    public int Minor { get; }

    /// <summary>The patch number (the 11 of 3.7.11); 0 when none was written.</summary>
    public int Patch => Math.Max(_patch, 0);

    /// <summary>Whether a patch number was written (<c>3.7.0</c> rather than <c>3.7</c>).</summary>
    public bool HasPatch => _patch >= 0;

    /// <summary>The snapshot date (<c>20260821</c>), or 0 for a release.</summary>
    public int Snapshot { get; }

    /// <summary>Whether this is a development snapshot rather than a release.</summary>
    public bool IsSnapshot => Snapshot != 0;

    /// <summary>The release line of this version (<c>3.7</c> for <c>3.7.11</c>).</summary>
    public PostfixVersion Line => new(Major, Minor);

    /// <summary>Parses <c>X.Y</c>, <c>X.Y.Z</c> or a snapshot <c>X.Y-YYYYMMDD</c>.</summary>
    /// <exception cref="FormatException">The text is not a version.</exception>
    public static PostfixVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var v)
            ? v
            : throw new FormatException($"'{text}' is not a Postfix version (expected X.Y, X.Y.Z or X.Y-YYYYMMDD).");
    }

    /// <summary>Tries to parse <c>X.Y</c>, <c>X.Y.Z</c> or a snapshot <c>X.Y-YYYYMMDD</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PostfixVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        int? snapshot = null;
        var dash = span.IndexOf('-');
        if (dash >= 0)
        {
            var date = span[(dash + 1)..];
            if (date.Length != 8 || !AllDigits(date) || !int.TryParse(date, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                return false;
            }

            snapshot = d;
            span = span[..dash];
        }

        Span<Range> parts = stackalloc Range[4];
        var count = span.Split(parts, '.');
        if (count is < 2 or > 3 || (count == 3 && snapshot is not null))
        {
            return false;
        }

        if (!TryNumber(span[parts[0]], 99, out var major) || !TryNumber(span[parts[1]], 999, out var minor))
        {
            return false;
        }

        int? patch = null;
        if (count == 3)
        {
            if (!TryNumber(span[parts[2]], 9999, out var p))
            {
                return false;
            }

            patch = p;
        }

        if (snapshot is { } s && (s < 19900101 || s > 99991231))
        {
            return false;
        }

        version = new PostfixVersion(major, minor, patch, snapshot);
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return s.Length > 0;
    }

    private static bool TryNumber(ReadOnlySpan<char> s, int max, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 4 || !AllDigits(s))
        {
            return false;
        }

        value = int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max;
    }

    /// <summary>
    /// Compares by major, minor and patch; a snapshot sorts before the release with the same
    /// numbers. A missing patch number counts as 0.
    /// </summary>
    public int CompareTo(PostfixVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        if (c != 0)
        {
            return c;
        }

        c = Patch.CompareTo(other.Patch);
        if (c != 0)
        {
            return c;
        }

        // A snapshot precedes the release; snapshots order by date.
        return (IsSnapshot, other.IsSnapshot) switch
        {
            (true, false) => -1,
            (false, true) => 1,
            _ => Snapshot.CompareTo(other.Snapshot),
        };
    }

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        PostfixVersion v => CompareTo(v),
        _ => throw new ArgumentException("Object must be a PostfixVersion.", nameof(obj)),
    };

    /// <summary>Equal when <see cref="CompareTo(PostfixVersion)"/> returns 0 (so <c>3.7</c> equals <c>3.7.0</c>).</summary>
    public bool Equals(PostfixVersion other) => CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PostfixVersion v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, Snapshot);

    /// <summary>The version as written: <c>3.7</c>, <c>3.7.11</c> or <c>3.12-20260821</c>.</summary>
    public override string ToString()
    {
        if (IsSnapshot)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}-{Snapshot}");
        }

        return HasPatch
            ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{_patch}")
            : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
    }

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var s = ToString();
        if (s.AsSpan().TryCopyTo(destination))
        {
            charsWritten = s.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <summary>Equality operator.</summary>
    public static bool operator ==(PostfixVersion left, PostfixVersion right) => left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(PostfixVersion left, PostfixVersion right) => !left.Equals(right);

    /// <summary>Ordering operator.</summary>
    public static bool operator <(PostfixVersion left, PostfixVersion right) => left.CompareTo(right) < 0;

    /// <summary>Ordering operator.</summary>
    public static bool operator >(PostfixVersion left, PostfixVersion right) => left.CompareTo(right) > 0;

    /// <summary>Ordering operator.</summary>
    public static bool operator <=(PostfixVersion left, PostfixVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering operator.</summary>
    public static bool operator >=(PostfixVersion left, PostfixVersion right) => left.CompareTo(right) >= 0;
}

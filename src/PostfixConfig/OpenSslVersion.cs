using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace PostfixConfig;

/// <summary>
/// An OpenSSL release such as <c>1.1.1</c>, <c>3.0</c> or <c>3.5.1</c>, as far as it matters for
/// Postfix: which protocols, key-exchange groups and settings the library it is built with supports.
/// </summary>
/// <remarks>
/// <para>
/// Ordered by major, minor and patch number (a missing patch number counts as 0). OpenSSL 1.x letter
/// releases (<c>1.1.1w</c>) are read without the letter: the features that matter here arrived with
/// the numbered release. The <see langword="default"/> value is <c>0.0</c>.
/// </para>
/// <para>This type is immutable and thread-safe.</para>
/// </remarks>
public readonly struct OpenSslVersion : IEquatable<OpenSslVersion>, IComparable<OpenSslVersion>,
    IComparisonOperators<OpenSslVersion, OpenSslVersion, bool>
{
    private readonly int _patch; // -1 when not written

    /// <summary>Creates a version from its numbers.</summary>
    /// <param name="major">Major number, 0 to 99.</param>
    /// <param name="minor">Minor number, 0 to 99.</param>
    /// <param name="patch">Patch number, 0 to 99, or <see langword="null"/> when not written.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is outside its range.</exception>
    public OpenSslVersion(int major, int minor, int? patch = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(major, 99);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minor, 99);
        if (patch is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(p, nameof(patch));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 99, nameof(patch));
        }

        Major = major;
        Minor = minor;
        _patch = patch ?? -1;
    }

    /// <summary>The major number (the 3 of 3.0.13).</summary>
    public int Major { get; }

    /// <summary>The minor number (the 0 of 3.0.13).</summary>
    public int Minor { get; }

    /// <summary>The patch number (the 13 of 3.0.13); 0 when none was written.</summary>
    public int Patch => Math.Max(_patch, 0);

    /// <summary>Parses <c>X.Y</c> or <c>X.Y.Z</c> (a trailing letter, as in <c>1.1.1w</c>, is allowed and ignored).</summary>
    /// <exception cref="FormatException">The text is not an OpenSSL version.</exception>
    public static OpenSslVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var v)
            ? v
            : throw new FormatException($"'{text}' is not an OpenSSL version (expected X.Y or X.Y.Z, such as 1.1.1 or 3.0).");
    }

    /// <summary>Tries to parse <c>X.Y</c> or <c>X.Y.Z</c> (with an optional trailing letter).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out OpenSslVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.Length > 0 && char.IsAsciiLetterLower(span[^1]))
        {
            span = span[..^1];
        }

        Span<Range> parts = stackalloc Range[4];
        var count = span.Split(parts, '.');
        if (count is < 2 or > 3)
        {
            return false;
        }

        Span<int> numbers = stackalloc int[3];
        for (var i = 0; i < count; i++)
        {
            var part = span[parts[i]];
            if (part.Length is 0 or > 2 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new OpenSslVersion(numbers[0], numbers[1], count == 3 ? numbers[2] : null);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(OpenSslVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    /// <inheritdoc />
    public bool Equals(OpenSslVersion other) => CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OpenSslVersion v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch);

    /// <summary><c>X.Y</c>, or <c>X.Y.Z</c> when a patch number was written.</summary>
    public override string ToString() => _patch >= 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{_patch}")
        : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>Whether the versions are equal.</summary>
    public static bool operator ==(OpenSslVersion left, OpenSslVersion right) => left.Equals(right);

    /// <summary>Whether the versions differ.</summary>
    public static bool operator !=(OpenSslVersion left, OpenSslVersion right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is older.</summary>
    public static bool operator <(OpenSslVersion left, OpenSslVersion right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is newer.</summary>
    public static bool operator >(OpenSslVersion left, OpenSslVersion right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is older or equal.</summary>
    public static bool operator <=(OpenSslVersion left, OpenSslVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is newer or equal.</summary>
    public static bool operator >=(OpenSslVersion left, OpenSslVersion right) => left.CompareTo(right) >= 0;
}

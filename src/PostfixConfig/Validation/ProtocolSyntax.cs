using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation;

/// <summary>One problem found in a protocol list.</summary>
/// <param name="Severity">How bad it is.</param>
/// <param name="Code">The diagnostic code.</param>
/// <param name="Message">What is wrong and what to write instead.</param>
internal sealed record SyntaxIssue(DiagnosticSeverity Severity, string Code, string Message);

/// <summary>The outcome of reading a protocol list for a release.</summary>
/// <param name="Issues">Problems, in element order.</param>
/// <param name="Enabled">
/// The protocols left enabled (SSLv3 ... TLSv1.3, plus SSLv2), or <see langword="null"/> when the
/// list is invalid or uses numeric bounds.
/// </param>
internal sealed record ProtocolReading(IReadOnlyList<SyntaxIssue> Issues, IReadOnlySet<string>? Enabled);

/// <summary>
/// Reads TLS protocol lists the way Postfix does (tls_misc.c <c>tls_proto_mask_lims</c>): elements
/// separated by commas, whitespace or colons; <c>NAME</c> includes, <c>!NAME</c> excludes,
/// <c>&gt;=VERSION</c> / <c>&lt;=VERSION</c> bound the range (3.6+). Names are case-insensitive.
/// </summary>
internal static class ProtocolSyntax
{
    /// <summary>Protocols in version order, without SSLv2 (which has no place in the bounds table).</summary>
    private static readonly string[] Ordered = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

    private static readonly char[] Separators = [',', ' ', '\t', ':', '\n', '\r'];

    /// <summary>The protocol names <paramref name="t"/>'s release accepts.</summary>
    public static IReadOnlyList<string> NamesIn(ValidationTarget t)
    {
        var names = new List<string> { "SSLv2", "SSLv3", "TLSv1" };
        if (t.AtLeast(Thresholds.ProtocolTls12Names))
        {
            names.Add("TLSv1.1");
            names.Add("TLSv1.2");
        }

        if (t.AtLeast(Thresholds.ProtocolTls13Name))
        {
            names.Add("TLSv1.3");
        }

        return names;
    }

    /// <summary>Reads <paramref name="text"/>; <paramref name="joiner"/> separates elements in suggestions (<c>", "</c> or <c>":"</c>).</summary>
    public static ProtocolReading Read(ValidationTarget t, string text, string joiner)
    {
        var issues = new List<SyntaxIssue>();
        var known = NamesIn(t);
        var includes = new HashSet<string>(StringComparer.Ordinal);
        var excludes = new HashSet<string>(StringComparer.Ordinal);
        int? floor = null, ceiling = null;
        var numeric = false;
        var invalid = false;
        foreach (var element in text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (element.StartsWith(">=", StringComparison.Ordinal) || element.StartsWith("<=", StringComparison.Ordinal))
            {
                var isFloor = element[0] == '>';
                var version = element[2..];
                if (!t.AtLeast(Thresholds.ProtocolBounds))
                {
                    invalid = true;
                    var instead = BoundAsExclusions(isFloor, version, known, joiner);
                    issues.Add(new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.ProtocolBoundsNotInRelease,
                        $"'{element}' needs Postfix {Thresholds.ProtocolBounds.Describe()}; {t.Release} takes the whole list as invalid (the server disables TLS, the client aborts the handshake). "
                        + (instead is null ? "List the protocols to exclude with '!' instead." : $"Write '{instead}' instead.")));
                    continue;
                }

                if (version.Length == 0)
                {
                    issues.Add(new SyntaxIssue(DiagnosticSeverity.Warning, DiagnosticCodes.InvalidProtocol,
                        $"'{element}' has no version and sets no bound; write {element}TLSv1.2 or remove it."));
                    continue;
                }

                if (Canonical(version, Ordered) is { } name)
                {
                    var index = Array.IndexOf(Ordered, name);
                    if (isFloor)
                    {
                        floor = index;
                    }
                    else
                    {
                        ceiling = index;
                    }
                }
                else if (version.Equals("None", StringComparison.OrdinalIgnoreCase))
                {
                    // no bound
                }
                else if (IsHexVersion(version))
                {
                    numeric = true;
                }
                else
                {
                    invalid = true;
                    issues.Add(new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.InvalidProtocol,
                        $"'{version}' in '{element}' is not a protocol version; use one of {string.Join(", ", Ordered)} (or None, or a hex number such as 0x0303). The whole list would be invalid."));
                }

                continue;
            }

            var exclude = element[0] == '!';
            var word = exclude ? element[1..] : element;
            var canonical = Canonical(word, known);
            if (canonical is null)
            {
                invalid = true;
                issues.Add(UnknownName(t, word, element, known));
                continue;
            }

            if (canonical == "TLSv1.3" && exclude && !t.AtLeast(Thresholds.ProtocolTls13Effective))
            {
                issues.Add(new SyntaxIssue(DiagnosticSeverity.Warning, DiagnosticCodes.ProtocolHasNoEffect,
                    $"'{element}' has no effect in {t.Release}: TLS 1.3 can only be turned off from Postfix {Thresholds.ProtocolTls13Effective.Describe()} (with OpenSSL 1.1.1 or later). Upgrade Postfix, or limit TLS 1.3 in the OpenSSL configuration."));
            }

            (exclude ? excludes : includes).Add(canonical);
        }

        if (invalid || numeric)
        {
            return new ProtocolReading(issues, null);
        }

        var enabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in known)
        {
            if ((includes.Count == 0 || includes.Contains(name)) && !excludes.Contains(name))
            {
                var index = Array.IndexOf(Ordered, name);
                var inRange = index < 0
                    ? floor is null && !t.AtLeast(Thresholds.ProtocolBounds) // SSLv2: below any bound, and absent from OpenSSL 1.1.1, which 3.6 requires
                    : (floor is null || index >= floor) && (ceiling is null || index <= ceiling);
                if (inRange)
                {
                    enabled.Add(name);
                }
            }
        }

        CheckGaps(t, text, enabled, known, issues);
        return new ProtocolReading(issues, enabled);
    }

    private static void CheckGaps(ValidationTarget t, string text, HashSet<string> enabled, IReadOnlyList<string> known, List<SyntaxIssue> issues)
    {
        // TLS 1.3 only counts where Postfix can control it.
        var ordered = Ordered.Where(n => known.Contains(n) && (n != "TLSv1.3" || t.AtLeast(Thresholds.ProtocolTls13Effective))).ToList();
        var on = ordered.Select(enabled.Contains).ToList();
        if (!on.Contains(true))
        {
            if (ordered.Count > 0)
            {
                issues.Add(new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.ProtocolRangeGap,
                    $"'{text}' leaves no TLS protocol enabled, so every TLS handshake fails; keep at least TLSv1.2 enabled."));
            }

            return;
        }

        var lo = on.IndexOf(true);
        var hi = on.LastIndexOf(true);
        var gap = Enumerable.Range(lo, hi - lo + 1).FirstOrDefault(i => !on[i], -1);
        if (gap >= 0)
        {
            var lost = string.Join(", ", ordered.Skip(gap).Where((n, k) => on[gap + k]));
            issues.Add(new SyntaxIssue(DiagnosticSeverity.Warning, DiagnosticCodes.ProtocolRangeGap,
                $"'{text}' excludes {ordered[gap]} while {ordered[lo]} stays enabled; OpenSSL only uses a contiguous range, so {lost} would be disabled too. "
                + $"Exclude the oldest protocols only (for example '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1')."));
        }
    }

    private static SyntaxIssue UnknownName(ValidationTarget t, string word, string element, IReadOnlyList<string> known)
    {
        var all = new[] { "SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" };
        if (Canonical(word, all) is { } later)
        {
            var gate = later == "TLSv1.3" ? Thresholds.ProtocolTls13Name : Thresholds.ProtocolTls12Names;
            return new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.ProtocolNotInRelease,
                $"{later} is a protocol name from Postfix {gate.Describe()}; {t.Release} does not know it, so the whole list is invalid and TLS is disabled. Remove '{element}'.");
        }

        var normalized = word.Replace('_', '.').Replace(" ", string.Empty, StringComparison.Ordinal);
        var hint = Canonical(normalized, all) ?? (normalized.Equals("TLSv1.0", StringComparison.OrdinalIgnoreCase) ? "TLSv1" : null);
        return new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.InvalidProtocol,
            $"'{word}' is not a TLS protocol name; {t.Release} knows {string.Join(", ", known)}"
            + (hint is null ? "." : $" (did you mean '{(element.StartsWith('!') ? "!" : string.Empty)}{hint}'?).")
            + " An unknown name makes the whole list invalid.");
    }

    /// <summary>The exclusion list equivalent to a bound, for releases without bounds.</summary>
    private static string? BoundAsExclusions(bool isFloor, string version, IReadOnlyList<string> known, string joiner)
    {
        var name = Canonical(version, Ordered);
        if (name is null)
        {
            return null;
        }

        var index = Array.IndexOf(Ordered, name);
        var excluded = isFloor
            ? known.Where(n => n == "SSLv2" || (Array.IndexOf(Ordered, n) is var i && i >= 0 && i < index))
            : known.Where(n => Array.IndexOf(Ordered, n) > index);
        var list = excluded.Select(n => "!" + n).ToList();
        return list.Count == 0 ? null : string.Join(joiner, list);
    }

    private static string? Canonical(string word, IEnumerable<string> names) =>
        names.FirstOrDefault(n => n.Equals(word, StringComparison.OrdinalIgnoreCase));

    private static bool IsHexVersion(string s)
    {
        var digits = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s;
        return digits.Length is > 0 and <= 8 && digits.All(char.IsAsciiHexDigit);
    }
}

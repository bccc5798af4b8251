namespace PostfixConfig.Certificates;

/// <summary>
/// Matches a host name against certificate names the way a verifying Postfix client does: OpenSSL's
/// host check with partial wildcards turned off (Postfix sets that for SMTP, after RFC 6125).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Comparison ignores ASCII case and one trailing dot of the host name.</item>
/// <item>A wildcard is only a whole leftmost label (<c>*.example.com</c>); <c>m*.example.com</c> and
/// <c>mail.*.com</c> match nothing but themselves.</item>
/// <item>The pattern needs at least two dots (<c>*.com</c> is no wildcard), and the wildcard label
/// must not be an IDNA label.</item>
/// <item>The wildcard matches exactly one non-empty label of letters, digits and hyphens:
/// <c>*.example.com</c> covers <c>mail.example.com</c>, not <c>example.com</c> and not <c>a.b.example.com</c>.</item>
/// </list>
/// </remarks>
internal static class HostNameMatcher
{
    public static bool Covers(IEnumerable<string> certificateNames, string hostName) =>
        certificateNames.Any(n => Matches(n, hostName));

    public static bool Matches(string pattern, string hostName)
    {
        if (hostName.Length > 1 && hostName[^1] == '.')
        {
            hostName = hostName[..^1];
        }

        if (pattern.Length == 0 || hostName.Length == 0)
        {
            return false;
        }

        if (IsValidWildcard(pattern))
        {
            var suffix = pattern[1..]; // ".example.com"
            if (hostName.Length <= suffix.Length || !hostName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var label = hostName[..^suffix.Length];
            return label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
        }

        return string.Equals(pattern, hostName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A full-label wildcard pattern in OpenSSL's sense: <c>*.label.label...</c>, at least two dots, no other star.</summary>
    private static bool IsValidWildcard(string pattern)
    {
        if (pattern.Length < 4 || pattern[0] != '*' || pattern[1] != '.' || pattern.IndexOf('*', 1) >= 0)
        {
            return false;
        }

        var labels = pattern[2..].Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length == 0 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}

namespace PostfixConfig.MtaSts;

/// <summary>
/// The syntax of what a domain publishes: MX host patterns and domains (RFC 8461 section 3.2), and
/// TLSRPT report URIs (RFC 8460 section 3). Each check returns <see langword="null"/> when the text is
/// fine, else a phrase that says what is wrong.
/// </summary>
internal static class PolicySyntax
{
    /// <summary>What is wrong with a domain name (at least two labels, no trailing dot), or null.</summary>
    public static string? CheckDomain(string name)
    {
        if (name.EndsWith('.'))
        {
            return $"'{name}' ends with a dot; write the name without it";
        }

        var labels = name.Split('.');
        if (labels.Length < 2 || name.Length > 253 || !labels.All(IsLabel))
        {
            return $"'{name}' is not a domain name (labels of letters, digits and hyphens, separated by dots)";
        }

        return null;
    }

    /// <summary>What is wrong with an MX pattern (<c>mail.example.com</c>, <c>*.example.net</c>), or null.</summary>
    public static string? CheckMxPattern(string pattern)
    {
        var name = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        if (name.Contains('*', StringComparison.Ordinal))
        {
            return $"'{pattern}' has a wildcard that is not the whole leftmost label; RFC 8461 allows only *.example.net (one label under example.net)";
        }

        return CheckDomain(name) is null ? null : $"'{pattern}' is not an MX host name or *.domain pattern";
    }

    /// <summary>Whether <paramref name="host"/> matches an MX pattern (RFC 8461 section 4.1: the wildcard stands for exactly one label).</summary>
    public static bool Matches(string pattern, string host)
    {
        host = host.TrimEnd('.');
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var suffix = pattern[1..];
            return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && !host[..^suffix.Length].Contains('.', StringComparison.Ordinal);
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether an MX pattern covers a name of a certificate: a host name the pattern matches, the same
    /// wildcard (a certificate for <c>*.example.net</c> serves every host <c>*.example.net</c> allows), or
    /// a certificate wildcard that covers the pattern's host name (as a verifying client matches it).
    /// </summary>
    public static bool CoversCertificateName(string pattern, string certificateName) =>
        string.Equals(pattern, certificateName, StringComparison.OrdinalIgnoreCase)
        || (!certificateName.StartsWith('*') && Matches(pattern, certificateName))
        || (!pattern.StartsWith('*') && Certificates.HostNameMatcher.Matches(certificateName, pattern));

    /// <summary>What is wrong with a TLSRPT report URI (<c>mailto:ADDRESS</c> or <c>https://HOST/PATH</c>), or null.</summary>
    public static string? CheckReportUri(string uri)
    {
        if (uri.Any(c => c <= ' ' || c > '~'))
        {
            return $"'{PostfixConfig.Text.PostfixText.Printable(uri)}' holds a space, control or non-ASCII character; percent-encode it";
        }

        if (uri.IndexOfAny([',', ';', '"', '\\']) >= 0)
        {
            return $"'{uri}' holds a comma, semicolon, quote or backslash, which would end the URI or the record; percent-encode it (%2C, %3B)";
        }

        if (uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            var address = uri["mailto:".Length..];
            var at = address.LastIndexOf('@');
            return at <= 0 || at == address.Length - 1 || CheckDomain(address[(at + 1)..]) is not null
                ? $"'{uri}' is not mailto: followed by an e-mail address (mailto:tls-reports@example.com)"
                : null;
        }

        if (uri.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps && parsed.Host.Length > 0 && uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? null
                : $"'{uri}' is not an https:// URL with a host (https://reports.example.com/tlsrpt)";
        }

        return $"'{uri}' is neither a mailto: nor an https: URI; TLSRPT (RFC 8460) sends reports only by mail (mailto:tls-reports@example.com) or by HTTPS POST (https://reports.example.com/tlsrpt)";
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

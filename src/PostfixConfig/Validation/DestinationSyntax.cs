namespace PostfixConfig.Validation;

/// <summary>
/// The policy table key check of <c>PolicyTableRules.IsDestination</c> for ASCII keys, written
/// out by hand: it runs once per entry of tables with a million entries, where the regular
/// expression cost a tenth of the validation. Keys with other characters go to the expression.
/// A test compares the two on generated keys.
/// </summary>
internal static class DestinationSyntax
{
    /// <summary>Whether an ASCII key is a destination, or <see langword="null"/> for keys with non-ASCII characters.</summary>
    public static bool? IsAsciiDestination(string key)
    {
        if (!System.Text.Ascii.IsValid(key))
        {
            return null;
        }

        var s = key.AsSpan();
        int end;
        if (s.Length > 0 && s[0] == '[')
        {
            var close = s.IndexOf(']');
            if (close < 0 || !IsBracketed(s[1..close]))
            {
                return false;
            }

            end = close + 1;
        }
        else
        {
            end = DomainLength(s);
            if (end == 0)
            {
                return false;
            }
        }

        return end == s.Length || (s[end] == ':' && IsPort(s[(end + 1)..]));
    }

    // .?label(.label)*, a label being [A-Za-z0-9_] then up to 62 of [A-Za-z0-9_-]; returns the length matched or 0.
    private static int DomainLength(ReadOnlySpan<char> s)
    {
        var i = s.Length > 0 && s[0] == '.' ? 1 : 0;
        while (true)
        {
            var label = LabelLength(s[i..], 62, allowDots: false);
            if (label == 0)
            {
                return 0;
            }

            i += label;
            if (i < s.Length && s[i] == '.' && i + 1 < s.Length && IsWord(s[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }
    }

    // [A-Za-z0-9_] then up to max of [A-Za-z0-9_-] (and '.' when allowDots).
    private static int LabelLength(ReadOnlySpan<char> s, int max, bool allowDots)
    {
        if (s.Length == 0 || !IsWord(s[0]))
        {
            return 0;
        }

        var i = 1;
        while (i < s.Length && i <= max && (IsWord(s[i]) || s[i] == '-' || (allowDots && s[i] == '.')))
        {
            i++;
        }

        return i;
    }

    // host ([A-Za-z0-9_][A-Za-z0-9_.-]{0,252}), or an IPv6 address with or without the "ipv6:" prefix.
    private static bool IsBracketed(ReadOnlySpan<char> s)
    {
        var address = s.Length > 5 && s[..5].Equals("ipv6:", StringComparison.OrdinalIgnoreCase) ? s[5..] : s;
        if (IsIpv6Literal(address))
        {
            return true;
        }

        return s.Length > 0 && LabelLength(s, 252, allowDots: true) == s.Length;
    }

    // hex digits, a ':', then at least one of hex digits, ':' and '.'.
    private static bool IsIpv6Literal(ReadOnlySpan<char> s)
    {
        var colon = s.IndexOf(':');
        if (colon < 0 || colon == s.Length - 1)
        {
            return false;
        }

        foreach (var c in s[..colon])
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        foreach (var c in s[(colon + 1)..])
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPort(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}

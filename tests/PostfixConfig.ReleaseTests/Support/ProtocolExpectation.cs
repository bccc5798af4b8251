namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// The test's own reading of a Postfix protocol list (independent of the library's): which of TLSv1 to
/// TLSv1.3 a server with that list accepts. <c>NAME</c> includes, <c>!NAME</c> excludes, <c>&gt;=NAME</c>
/// and <c>&lt;=NAME</c> bound the range; names are case-insensitive; elements are separated by commas,
/// white space or colons. As OpenSSL does, the enabled protocols are the contiguous run from the lowest
/// one enabled.
/// </summary>
internal static class ProtocolExpectation
{
    private static readonly string[] Ordered = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

    /// <summary>The accepted protocols among TLSv1 ... TLSv1.3, or null when the list is not one this reader understands.</summary>
    public static IReadOnlySet<string>? Accepted(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var includes = new HashSet<int>();
        var excludes = new HashSet<int>();
        int floor = 0, ceiling = Ordered.Length - 1;
        foreach (var element in list.Split([',', ' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (element.StartsWith(">=", StringComparison.Ordinal) || element.StartsWith("<=", StringComparison.Ordinal))
            {
                var index = IndexOf(element[2..]);
                if (index < 0)
                {
                    return null;
                }

                if (element[0] == '>')
                {
                    floor = index;
                }
                else
                {
                    ceiling = index;
                }

                continue;
            }

            var exclude = element[0] == '!';
            var name = exclude ? element[1..] : element;
            if (name.Equals("SSLv2", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var i = IndexOf(name);
            if (i < 0)
            {
                return null;
            }

            (exclude ? excludes : includes).Add(i);
        }

        var enabled = Enumerable.Range(0, Ordered.Length)
            .Select(i => i >= floor && i <= ceiling && (includes.Count == 0 || includes.Contains(i)) && !excludes.Contains(i))
            .ToArray();
        enabled[0] = false; // no SSLv3 in the OpenSSL here
        var lowest = Array.IndexOf(enabled, true);
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = lowest; i >= 0 && i < Ordered.Length && enabled[i]; i++)
        {
            accepted.Add(Ordered[i]);
        }

        return accepted;
    }

    private static int IndexOf(string name) => Array.FindIndex(Ordered, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
}

using System.Collections.Frozen;
using System.Globalization;

namespace PostfixConfig.Validation;

/// <summary>
/// Evaluates main.cf values the way Postfix expands them, as far as that can be done without the
/// mail host: <c>$name</c>, <c>${name}</c>, <c>$(name)</c>, <c>${name?value}</c>, <c>${name:value}</c>,
/// <c>${name?{a}:{b}}</c> and the relational forms Postfix's own defaults use
/// (<c>${{$compatibility_level} &lt;level {3.6} ? {md5} : {sha256}}</c>). Anything else yields
/// <see langword="null"/> ("unknown"), so that rules skip the value instead of guessing.
/// </summary>
/// <remarks>
/// An unset <c>compatibility_level</c> is unknown, not its compiled-in 0: the stock main.cf of every
/// installation sets it, and the configuration here usually holds only the TLS settings.
/// </remarks>
internal static class Expansion
{
    private const int MaxDepth = 12;

    /// <summary>
    /// Defaults of non-TLS parameters that TLS rules depend on (the same in <c>postconf -d</c> of every
    /// reference release that has them).
    /// </summary>
    private static readonly FrozenDictionary<string, string> OtherDefaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["smtp_host_lookup"] = "dns",
        ["lmtp_host_lookup"] = "dns",
        ["ignore_mx_lookup_error"] = "no",
        ["smtp_dns_resolver_options"] = string.Empty,
        ["lmtp_dns_resolver_options"] = string.Empty,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The value of <paramref name="name"/> after expansion, or <see langword="null"/> when unknown.</summary>
    public static string? Resolve(ValidationTarget t, string name) => Resolve(t, name, 0);

    /// <summary>Expands a value text, or returns <see langword="null"/> when the result cannot be known.</summary>
    public static string? Expand(ValidationTarget t, string text) => Expand(t, text, 0);

    private static string? Resolve(ValidationTarget t, string name, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        var raw = t.Text(name);
        if (raw is null)
        {
            if (name == "compatibility_level")
            {
                return null;
            }

            if (t.Catalog.Find(name) is { } info)
            {
                // A parameter the release does not have is undefined there, and undefined expands to nothing.
                raw = info.DefaultIn(t.Version) ?? string.Empty;
            }
            else if (t.Catalog.IsKnownName(name, t.Version))
            {
                raw = OtherDefaults.GetValueOrDefault(name);
            }
            else if (t.Catalog.IsKnownName(name))
            {
                raw = string.Empty;
            }
        }

        return raw is null ? null : Expand(t, raw, depth + 1);
    }

    private static string? Expand(ValidationTarget t, string text, int depth)
    {
        text = text.Trim();
        if (depth > MaxDepth)
        {
            return null;
        }

        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        if (text.Length < 2 || text[0] != '$')
        {
            return null;
        }

        // $name
        if (IsName(text.AsSpan(1)))
        {
            return Resolve(t, text[1..], depth + 1);
        }

        // $(name)
        if (text[1] == '(' && text[^1] == ')' && IsName(text.AsSpan(2, text.Length - 3)))
        {
            return Resolve(t, text[2..^1], depth + 1);
        }

        if (text[1] != '{')
        {
            return null;
        }

        var i = 1;
        if (!TryReadGroup(text, ref i, out var body) || i != text.Length)
        {
            return null; // "${...}" must span the whole text
        }

        body = body.Trim();
        if (IsName(body))
        {
            return Resolve(t, body, depth + 1);
        }

        return body.StartsWith('{') ? Relational(t, body, depth) : Conditional(t, body, depth);
    }

    /// <summary><c>name?value</c>, <c>name:value</c>, <c>name?{a}:{b}</c>, <c>name:{a}</c>.</summary>
    private static string? Conditional(ValidationTarget t, string body, int depth)
    {
        var n = 0;
        while (n < body.Length && IsNameChar(body[n]))
        {
            n++;
        }

        if (n == 0 || n >= body.Length || (body[n] != '?' && body[n] != ':'))
        {
            return null; // includes ${name{text}} functions (3.11)
        }

        var value = Resolve(t, body[..n], depth + 1);
        if (value is null)
        {
            return null;
        }

        var op = body[n];
        var rest = body[(n + 1)..].TrimStart();
        string then;
        string? otherwise = null;
        if (rest.StartsWith('{'))
        {
            var i = 0;
            if (!TryReadGroup(rest, ref i, out then))
            {
                return null;
            }

            var tail = rest[i..].Trim();
            if (tail.Length > 0)
            {
                if (op != '?' || tail[0] != ':')
                {
                    return null;
                }

                tail = tail[1..].Trim();
                if (tail.StartsWith('{'))
                {
                    var j = 0;
                    if (!TryReadGroup(tail, ref j, out var second) || tail[j..].Trim().Length > 0)
                    {
                        return null;
                    }

                    otherwise = second;
                }
                else
                {
                    otherwise = tail;
                }
            }
        }
        else
        {
            then = rest;
        }

        var chosen = (op == '?') == (value.Length > 0) ? then : otherwise ?? string.Empty;
        return Expand(t, chosen, depth + 1);
    }

    /// <summary><c>{a} OP {b} ? {x} : {y}</c>.</summary>
    private static string? Relational(ValidationTarget t, string body, int depth)
    {
        var i = 0;
        if (!TryReadGroup(body, ref i, out var left))
        {
            return null;
        }

        SkipSpace(body, ref i);
        var opStart = i;
        while (i < body.Length && body[i] != '{' && !char.IsWhiteSpace(body[i]))
        {
            i++;
        }

        var op = body[opStart..i];
        SkipSpace(body, ref i);
        if (!TryReadGroup(body, ref i, out var right))
        {
            return null;
        }

        SkipSpace(body, ref i);
        if (i >= body.Length || body[i] != '?')
        {
            return null;
        }

        i++;
        SkipSpace(body, ref i);
        if (!TryReadGroup(body, ref i, out var then))
        {
            return null;
        }

        SkipSpace(body, ref i);
        if (i >= body.Length || body[i] != ':')
        {
            return null;
        }

        i++;
        SkipSpace(body, ref i);
        if (!TryReadGroup(body, ref i, out var otherwise) || body[i..].Trim().Length > 0)
        {
            return null;
        }

        var a = Expand(t, left, depth + 1);
        var b = Expand(t, right, depth + 1);
        if (a is null || b is null)
        {
            return null;
        }

        int cmp;
        string relation;
        if (op.EndsWith("level", StringComparison.Ordinal))
        {
            if (!TryParseLevel(a, out var la) || !TryParseLevel(b, out var lb))
            {
                return null;
            }

            cmp = la.CompareTo(lb);
            relation = op[..^5];
        }
        else
        {
            cmp = a.All(char.IsAsciiDigit) && b.All(char.IsAsciiDigit) && a.Length is > 0 and < 10 && b.Length is > 0 and < 10
                ? long.Parse(a, CultureInfo.InvariantCulture).CompareTo(long.Parse(b, CultureInfo.InvariantCulture))
                : string.CompareOrdinal(a, b);
            relation = op;
        }

        bool? holds = relation switch
        {
            "==" => cmp == 0,
            "!=" => cmp != 0,
            "<" => cmp < 0,
            "<=" => cmp <= 0,
            ">" => cmp > 0,
            ">=" => cmp >= 0,
            _ => null,
        };
        return holds is null ? null : Expand(t, holds.Value ? then : otherwise, depth + 1);
    }

    /// <summary>Parses a compatibility level (<c>2</c>, <c>3.6</c>, <c>3.11.1</c>) as a comparable triple.</summary>
    public static bool TryParseLevel(string text, out (long Major, long Minor, long Patch) level)
    {
        level = default;
        var parts = text.Trim().Split('.');
        if (parts.Length is < 1 or > 3)
        {
            return false;
        }

        var numbers = new long[3];
        for (var k = 0; k < parts.Length; k++)
        {
            if (parts[k].Length is 0 or > 9 || !parts[k].All(char.IsAsciiDigit))
            {
                return false;
            }

            numbers[k] = long.Parse(parts[k], CultureInfo.InvariantCulture);
        }

        level = (numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>Reads a balanced <c>{...}</c> group starting at <paramref name="i"/>; leaves <paramref name="i"/> after it.</summary>
    private static bool TryReadGroup(string s, ref int i, out string content)
    {
        content = string.Empty;
        if (i >= s.Length || s[i] != '{')
        {
            return false;
        }

        var depth = 0;
        for (var k = i; k < s.Length; k++)
        {
            if (s[k] == '{')
            {
                depth++;
            }
            else if (s[k] == '}' && --depth == 0)
            {
                content = s[(i + 1)..k];
                i = k + 1;
                return true;
            }
        }

        return false;
    }

    private static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
    }

    private static bool IsName(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}

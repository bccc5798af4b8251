using System.Collections.Frozen;
using System.Globalization;
using PostfixConfig.Text;

namespace PostfixConfig.Validation;

/// <summary>
/// Evaluates values as Postfix expands them, as far as that can be done without the mail host: the
/// one expander (<see cref="MacroExpander"/>, with the syntax of the target release) over the
/// configuration's settings and the release's defaults. A reference whose value depends on the host
/// makes the result unknown (<see langword="null"/>), so that rules skip the value instead of guessing.
/// </summary>
/// <remarks>
/// An unset <c>compatibility_level</c> is unknown, not its compiled-in 0: the stock main.cf of every
/// installation sets it, and the configuration here usually holds only the TLS settings.
/// </remarks>
internal static class Expansion
{
    private static readonly PostfixVersion BracesSince = new(3, 0);
    private static readonly PostfixVersion LevelOperatorsSince = new(3, 6);

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
    public static string? Resolve(ValidationTarget t, string name)
    {
        var value = Lookup(t, name);
        return value.IsUnknown ? null : Expand(t, value.Text ?? string.Empty);
    }

    /// <summary>Expands a value text, or returns <see langword="null"/> when the result cannot be known.</summary>
    public static string? Expand(ValidationTarget t, string text)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text.Trim();
        }

        var expander = new MacroExpander(name => Lookup(t, name), braces: t.Version >= BracesSince, levelOperators: t.Version >= LevelOperatorsSince);
        return expander.Expand(text).Value?.Trim();
    }

    /// <summary>
    /// What the configuration says of a parameter: its value as set; else its default in the target
    /// release; else nothing for a parameter of other releases (undefined here); unknown for a
    /// parameter whose default depends on the mail host and for an unset <c>compatibility_level</c>. A
    /// name Postfix does not define is undefined, and expands to nothing, in a whole main.cf read from a
    /// file (<see cref="TlsConfiguration.IsWholeMainCf"/>: postconf's "undefined parameter"); in a
    /// configuration that holds only part of main.cf (YAML, code) it may be set in the rest, so it is unknown.
    /// </summary>
    private static MacroValue Lookup(ValidationTarget t, string name)
    {
        if (t.Text(name) is { } set)
        {
            return MacroValue.Of(set);
        }

        if (name == "compatibility_level")
        {
            return MacroValue.Unknown;
        }

        if (t.Catalog.Find(name) is { } info)
        {
            // A parameter the release does not have is undefined there, and undefined expands to nothing.
            return MacroValue.Of(info.DefaultIn(t.Version) ?? string.Empty);
        }

        if (t.Catalog.IsKnownName(name, t.Version))
        {
            return OtherDefaults.TryGetValue(name, out var other) ? MacroValue.Of(other) : MacroValue.Unknown;
        }

        return t.Catalog.IsKnownName(name) || t.Config.IsWholeMainCf ? MacroValue.Of(string.Empty) : MacroValue.Unknown;
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
}

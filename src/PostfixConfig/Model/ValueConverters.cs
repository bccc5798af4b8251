using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PostfixConfig.Text;

namespace PostfixConfig;

/// <summary>The conversions behind the typed parameter keys.</summary>
internal static class ValueConverters
{
    public static TlsParameter<bool> Boolean(string name) => new(
        name,
        v => PostfixValue.OfBoolean(v),
        (PostfixValue v, out bool r) =>
        {
            var t = v.Text.Trim();
            r = t.Equals("yes", StringComparison.OrdinalIgnoreCase);
            return r || t.Equals("no", StringComparison.OrdinalIgnoreCase);
        });

    public static TlsParameter<int> Integer(string name) => new(
        name,
        v => PostfixValue.Of(v.ToString(CultureInfo.InvariantCulture)),
        (PostfixValue v, out int r) => int.TryParse(v.Text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out r));

    public static TlsParameter<TimeSpan> Time(string name, char defaultUnit) => new(
        name,
        v => PostfixValue.Of(FormatTime(v)),
        (PostfixValue v, out TimeSpan r) => TryParseTime(v.Text, defaultUnit, out r));

    public static TlsParameter<string> Text(string name) => new(
        name,
        v => PostfixValue.Of(v),
        (PostfixValue v, [MaybeNullWhen(false)] out string r) =>
        {
            r = v.Text;
            return true;
        });

    public static TlsParameter<IReadOnlyList<string>> List(string name) => new(
        name,
        v => PostfixValue.OfList(v),
        (PostfixValue v, [MaybeNullWhen(false)] out IReadOnlyList<string> r) =>
        {
            r = v.IsList ? v.Items : PostfixText.SplitList(v.Text);
            return true;
        });

    public static TlsParameter<TEnum> Enum<TEnum>(string name, Func<TEnum, string> format, TryParseWord<TEnum> parse)
        where TEnum : struct, Enum => new(
        name,
        v => PostfixValue.Of(format(v)),
        (PostfixValue v, out TEnum r) => parse(v.Text, out r));

    public delegate bool TryParseWord<TEnum>(string word, out TEnum value);


    /// <summary>Formats a time with the largest unit that divides it exactly (<c>1h</c>, <c>90s</c>).</summary>
    public static string FormatTime(TimeSpan value)
    {
        if (value < TimeSpan.Zero || value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Postfix times are whole, non-negative seconds.");
        }

        var seconds = (long)value.TotalSeconds;
        return seconds switch
        {
            0 => "0s",
            _ when seconds % 604800 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 604800}w"),
            _ when seconds % 86400 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400}d"),
            _ when seconds % 3600 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h"),
            _ when seconds % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
        };
    }

    /// <summary>Parses a Postfix time: digits and an optional unit letter (s, m, h, d, w).</summary>
    public static bool TryParseTime(string text, char defaultUnit, out TimeSpan value)
    {
        value = default;
        var t = text.Trim();
        if (t.Length == 0)
        {
            return false;
        }

        var unit = defaultUnit;
        if (char.IsAsciiLetter(t[^1]))
        {
            unit = char.ToLowerInvariant(t[^1]);
            t = t[..^1];
        }

        if (t.Length == 0 || t.Length > 12 || !t.All(char.IsAsciiDigit) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        long? factor = unit switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            'w' => 604800,
            _ => null,
        };
        if (factor is null || n > long.MaxValue / TimeSpan.TicksPerSecond / factor)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(n * factor.Value);
        return true;
    }
}

using System.Globalization;
using System.Text;

namespace PostfixConfig.Text;

/// <summary>
/// Character classes and small text routines exactly as Postfix's C code applies them
/// (<c>ISSPACE</c>, <c>ISALNUM</c>, <c>CHARS_SPACE</c>, <c>strtol</c>, postconf's output normalisation).
/// </summary>
internal static class PostfixText
{
    /// <summary>The separators of <c>CHARS_SPACE</c> (used by <c>$</c> expansion and postconf output).</summary>
    public const string CharsSpace = " \t\r\n";

    /// <summary>Postfix's <c>ISSPACE</c>: ASCII <c>isspace</c> in the C locale (space, tab, LF, VT, FF, CR).</summary>
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>Postfix's <c>ISALNUM</c>: an ASCII letter or digit.</summary>
    public static bool IsAlnum(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>A character that may appear in a <c>$name</c> reference.</summary>
    public static bool IsNameChar(char c) => IsAlnum(c) || c == '_';

    /// <summary>Whether <paramref name="c"/> is one of <see cref="CharsSpace"/>.</summary>
    public static bool IsCharsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>
    /// The value as <c>postconf</c> prints it: runs of space, tab, CR and LF become one space, and
    /// leading and trailing runs disappear (postconf_print.c normalises every printed line so).
    /// </summary>
    public static string NormalizeLikePostconf(string value)
    {
        var sb = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (IsCharsSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>
    /// C <c>strtol(s, &amp;end, 10)</c>: optional leading whitespace and sign, then digits.
    /// <paramref name="end"/> is <paramref name="start"/> when there are no digits.
    /// </summary>
    public static long StrToL(string s, int start, out int end, out bool overflow)
    {
        overflow = false;
        var i = start;
        while (i < s.Length && IsSpace(s[i]))
        {
            i++;
        }

        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        var digitsStart = i;
        decimal value = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            if (!overflow)
            {
                value = (value * 10) + (s[i] - '0');
                if (value > long.MaxValue)
                {
                    overflow = true;
                }
            }

            i++;
        }

        if (i == digitsStart)
        {
            end = start;
            return 0;
        }

        end = i;
        if (overflow)
        {
            return negative ? long.MinValue : long.MaxValue;
        }

        return negative ? -(long)value : (long)value;
    }

    /// <summary>
    /// Text for a message or a comment line: control and invisible characters (line and paragraph
    /// separators, byte order marks, lone surrogates) escaped as <c>\uXXXX</c>, text longer than
    /// <paramref name="max"/> characters shortened with an ellipsis. The one helper for showing
    /// user text anywhere.
    /// </summary>
    public static string Printable(string text, int max = 60)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }

            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\uFEFF')
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Splits a Postfix list at commas and white space (<c>CHARS_COMMA_SP</c>), dropping empty
    /// elements; with <paramref name="colon"/>, also at colons, as the protocol, cipher and
    /// certificate-match lists are read. The one list splitter.
    /// </summary>
    public static string[] SplitList(string text, bool colon = false) =>
        text.Split(colon ? CommaSpaceColon : CommaSpace, StringSplitOptions.RemoveEmptyEntries);

    private static readonly char[] CommaSpace = [',', ' ', '\t', '\r', '\n'];
    private static readonly char[] CommaSpaceColon = [',', ' ', '\t', '\r', '\n', ':'];
}

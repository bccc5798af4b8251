using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.MainCf;

/// <summary>One <c>-o name=value</c> of a master.cf entry as postconf reads it, with where its name and value are.</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Value">The value (blanks inside <c>{ }</c> kept; trimmed).</param>
/// <param name="NameSpan">Where the name is in master.cf.</param>
/// <param name="ValueSpan">Where the value starts in master.cf.</param>
internal sealed record MasterCfOption(string Name, string Value, SourceSpan NameSpan, SourceSpan ValueSpan);

/// <summary>One master.cf entry as postconf and master read it.</summary>
/// <param name="Fields">Every field after postconf's normalisation of the daemon options (<c>-oname=value</c> split, <c>{ }</c> removed).</param>
/// <param name="Options">The <c>-o</c> options postconf sees, in order (a later one of a name wins).</param>
/// <param name="Line">The 1-based line the entry starts on.</param>
/// <param name="Error">Why Postfix refuses the entry (too few fields, a field it does not accept), or <see langword="null"/>.</param>
/// <param name="Warnings">What postconf warns about while reading it (<c>missing '=' after attribute name</c>), with where.</param>
internal sealed record MasterCfEntry(IReadOnlyList<string> Fields, IReadOnlyList<MasterCfOption> Options, int Line, string? Error, IReadOnlyList<(string Message, SourceSpan Span)> Warnings)
{
    /// <summary>The service field (<c>smtp</c>, <c>127.0.0.1:2525</c>, <c>submission</c>).</summary>
    public string Service => Fields[0];

    /// <summary>The type field (<c>inet</c>, <c>unix</c>, <c>unix-dgram</c>, <c>fifo</c>, <c>pass</c>).</summary>
    public string Type => Fields[1];

    /// <summary>The private field (<c>y</c>, <c>n</c> or <c>-</c> for the default, y).</summary>
    public string Private => Fields[2];

    /// <summary>The command field exactly as written (postconf compares it with program names as it is).</summary>
    public string Command => Fields[7];
}

/// <summary>
/// Reads master.cf the way postconf does (postconf_master.c, <c>readllines()</c>, <c>argv_splitq()</c>):
/// logical lines, fields separated by blanks with <c>{ }</c> keeping blanks inside one field (wherever
/// the brace is in the field), the eight fixed fields checked as master checks them, and the daemon
/// options normalised: <c>-oname=value</c> and <c>-vo name=value</c> split, <c>-o { name = value }</c>
/// unwrapped, options ending at the first field that does not start with <c>-</c> (or at <c>--</c>).
/// Only <c>-o</c> takes a value in postconf's eyes.
/// </summary>
internal static class MasterCfReader
{
    private static readonly string[] Types = ["unix", "fifo", "inet", "pass", "unix-dgram"];

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    /// <summary>The entries of master.cf text; <paramref name="path"/> names the file in positions.</summary>
    public static List<MasterCfEntry> Read(string text, string? path)
    {
        var physical = LogicalLineReader.SplitPhysical(text);
        var entries = new List<MasterCfEntry>();
        foreach (var line in LogicalLineReader.Join(text, physical))
        {
            if (line.IsOrphan || line.IsTooLong)
            {
                continue; // postconf warns and skips the first; the second is refused before reading
            }

            entries.Add(ReadEntry(line, path));
        }

        return entries;
    }

    private static MasterCfEntry ReadEntry(LogicalLine line, string? path)
    {
        var tokens = Split(line.Text);
        var first = line.FirstLineIndex + 1;
        var warnings = new List<(string, SourceSpan)>();
        if (tokens.Count < 8)
        {
            return new MasterCfEntry([.. tokens.Select(t => t.Text)], [], first,
                $"{tokens.Count} field{(tokens.Count == 1 ? string.Empty : "s")}; an entry needs eight (service, type, private, unpriv, chroot, wakeup, maxproc, command), and Postfix stops with \"bad field count\"", warnings);
        }

        var error = CheckFields(tokens);
        var options = new List<MasterCfOption>();
        Normalize(tokens, line, path, warnings);
        for (var i = 8; i < tokens.Count; i++)
        {
            var arg = tokens[i].Text;
            if (arg.Length == 0 || arg[0] != '-' || arg == "--")
            {
                break;
            }

            if (arg.Length < 2 || arg[1] != 'o' || i + 1 >= tokens.Count)
            {
                continue;
            }

            if (arg == "-o" && SplitNameValue(tokens[i + 1].Text, out var name, out var value, out var valueAt))
            {
                var token = tokens[i + 1];
                options.Add(new MasterCfOption(name, value, line.SpanAt(path, token.NameOffset), line.SpanAt(path, token.ValueOffset ?? token.Offset + valueAt)));
            }

            i++;
        }

        return new MasterCfEntry([.. tokens.Select(t => t.Text)], options, first, error, warnings);
    }

    /// <summary>A field: its text now, where it started in the logical line, and where its name and value are when it is an option.</summary>
    private sealed class Token(string text, int offset)
    {
        public string Text { get; set; } = text;

        public int Offset { get; } = offset;

        public int NameOffset { get; set; } = offset;

        public int? ValueOffset { get; set; }
    }

    /// <summary><c>argv_splitq(buf, " \t\r\n", "{}")</c>: <c>mystrtokq()</c> keeps text between balanced braces together.</summary>
    private static List<Token> Split(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && PostfixText.IsCharsSpace(s[i]))
            {
                i++;
            }

            if (i == s.Length)
            {
                break;
            }

            var start = i;
            var level = 0;
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '{')
                {
                    level++;
                }
                else if (level > 0 && c == '}')
                {
                    level--;
                }
                else if (level == 0 && PostfixText.IsCharsSpace(c))
                {
                    break;
                }
            }

            tokens.Add(new Token(s[start..i], start));
        }

        return tokens;
    }

    /// <summary>pcf_check_master_entry(): what master refuses in the fixed fields.</summary>
    private static string? CheckFields(List<Token> f)
    {
        if (!Types.Contains(f[1].Text, StringComparer.Ordinal))
        {
            return $"invalid type field \"{PostfixText.Printable(f[1].Text, 20)}\" (Postfix accepts inet, unix, unix-dgram, fifo and pass)";
        }

        string[] flags = ["private", "unprivileged", "chroot"];
        for (var i = 2; i <= 4; i++)
        {
            if (f[i].Text is not ("y" or "n" or "-"))
            {
                return $"invalid {flags[i - 2]} field \"{PostfixText.Printable(f[i].Text, 20)}\" (y, n or -)";
            }
        }

        var wakeup = f[5].Text;
        var length = wakeup.EndsWith('?') ? wakeup.Length - 1 : wakeup.Length;
        if (!(wakeup[0] == '-' && length == 1) && wakeup.AsSpan(0, length).ContainsAnyExcept(Digits))
        {
            return $"invalid wakeup field \"{PostfixText.Printable(wakeup, 20)}\" (seconds, optionally followed by ?, or -)";
        }

        var maxproc = f[6].Text;
        if (maxproc != "-" && maxproc.AsSpan().ContainsAnyExcept(Digits))
        {
            return $"invalid process limit field \"{PostfixText.Printable(maxproc, 20)}\" (a number or -)";
        }

        return null;
    }

    /// <summary>pcf_normalize_daemon_args().</summary>
    private static void Normalize(List<Token> tokens, LogicalLine line, string? path, List<(string, SourceSpan)> warnings)
    {
        for (var i = 8; i < tokens.Count; i++)
        {
            var arg = tokens[i].Text;
            if (arg.Length == 0 || arg[0] != '-' || arg == "--")
            {
                break;
            }

            // "-stuffozz" becomes "-stuff" and "-ozz".
            var o = arg.IndexOf('o', Math.Min(2, arg.Length));
            if (o >= 2)
            {
                tokens.Insert(i + 1, new Token("-" + arg[o..], tokens[i].Offset + o - 1));
                tokens[i].Text = arg = arg[..o];
            }

            if (arg.Length < 2 || arg[1] != 'o')
            {
                continue; // no value (postconf knows only -o as taking one)
            }

            bool extract;
            if (arg.Length > 2)
            {
                // "-oname=value" becomes "-o" "name=value".
                tokens.Insert(i + 1, new Token(arg[2..], tokens[i].Offset + 2));
                tokens[i].Text = "-o";
                i++;
                extract = tokens[i].Text[0] == '{';
            }
            else if (i + 1 < tokens.Count)
            {
                i++;
                extract = tokens[i].Text[0] == '{';
            }
            else
            {
                extract = false;
            }

            if (extract)
            {
                Unwrap(tokens[i], line, path, warnings);
            }
        }
    }

    /// <summary><c>extpar(EXTPAR_FLAG_STRIP)</c> and pcf_normalize_nameval(): <c>{ name = value }</c> becomes <c>name=value</c>.</summary>
    private static void Unwrap(Token token, LogicalLine line, string? path, List<(string, SourceSpan)> warnings)
    {
        var text = token.Text;
        var length = BalancedLength(text);
        string inner;
        int innerAt;
        if (length == 0)
        {
            warnings.Add(($"missing '}}' in \"{PostfixText.Printable(text, 40)}\"", line.SpanAt(path, token.Offset)));
            inner = string.Empty;
            innerAt = 1;
        }
        else
        {
            if (length < text.Length)
            {
                warnings.Add(($"syntax error after '}}' in \"{PostfixText.Printable(text, 40)}\"", line.SpanAt(path, token.Offset)));
            }

            innerAt = 1;
            var end = length - 1;
            while (innerAt < end && PostfixText.IsSpace(text[innerAt]))
            {
                innerAt++;
            }

            while (end > innerAt && PostfixText.IsSpace(text[end - 1]))
            {
                end--;
            }

            inner = text[innerAt..end];
        }

        if (SplitNameValue(inner, out var name, out var value, out var valueAt))
        {
            token.Text = name + "=" + value;
            token.NameOffset = token.Offset + innerAt;
            token.ValueOffset = token.Offset + innerAt + valueAt;
        }
        else
        {
            token.Text = inner;
            warnings.Add(($"missing '=' after attribute name: \"{PostfixText.Printable(inner, 40)}\"", line.SpanAt(path, token.Offset)));
        }
    }

    /// <summary><c>balpar()</c>: the length of the balanced <c>{...}</c> at the start, 0 when it does not close.</summary>
    private static int BalancedLength(string text)
    {
        var level = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                level++;
            }
            else if (text[i] == '}' && --level == 0)
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary><c>split_nameval()</c>; <paramref name="valueAt"/> is where the value starts in <paramref name="text"/>.</summary>
    private static bool SplitNameValue(string text, out string name, out string value, out int valueAt)
    {
        if (MainCfDocument.SplitNameValue(text, out var ns, out var ne, out var vs, out var ve, out _))
        {
            name = text[ns..ne];
            value = text[vs..ve];
            valueAt = vs;
            return true;
        }

        name = value = string.Empty;
        valueAt = 0;
        return false;
    }
}

using PostfixConfig.Text;

namespace PostfixConfig.Usage;

/// <summary>One <c>$name</c> reference found in a value: the name and where its <c>$</c> is (0-based offset in the value).</summary>
internal readonly record struct MacroReference(string Name, int Offset);

/// <summary>What scanning a value found: every reference in order, and the syntax error that ended the scan, if any.</summary>
internal sealed record MacroScan(IReadOnlyList<MacroReference> References, string? Error);

/// <summary>
/// Postfix's <c>mac_expand()</c> in scan mode (<c>MAC_EXP_FLAG_SCAN</c>), as postconf runs it over
/// every value to find the user-defined parameters it refers to: no value is looked up or expanded;
/// every name is reported, both result texts of <c>${name?text}</c>, <c>${name:text}</c> and
/// <c>${name?{text}:{text}}</c> are scanned, and so are the operands and results of the relational
/// forms <c>${{text} == {text} ? {text} : {text}}</c>. A reference inside a referenced value is not
/// followed (each value is scanned on its own).
/// </summary>
/// <remarks>
/// Syntax as in Postfix 3.0 and later (whitespace around names, <c>{}</c> operands), which every
/// release whose postconf reports unused parameters by these rules has. A syntax error ends the
/// scan as it ends postconf's: the references found before it stay found.
/// </remarks>
internal static class MacroScanner
{
    private const int MaxNesting = 100;

    /// <summary>Scans <paramref name="value"/>.</summary>
    /// <param name="value">The value as written (unexpanded).</param>
    /// <param name="levelOperators">Postfix 3.6+: relational operators may carry the <c>level</c> suffix (<c>&lt;level</c>).</param>
    public static MacroScan Scan(string value, bool levelOperators = true)
    {
        if (!value.Contains('$', StringComparison.Ordinal))
        {
            return new MacroScan([], null);
        }

        var run = new Run(levelOperators);
        Parse(value, 0, value.Length, run, 0);
        return new MacroScan(run.References, run.Error);
    }

    private sealed class Run(bool levelOperators)
    {
        public bool LevelOperators { get; } = levelOperators;

        public List<MacroReference> References { get; } = [];

        public string? Error { get; set; }
    }

    /// <summary><c>mac_parse()</c> over <c>s[start..end]</c>.</summary>
    private static void Parse(string s, int start, int end, Run run, int depth)
    {
        var i = start;
        while (i < end && run.Error is null)
        {
            if (s[i] != '$')
            {
                i++;
                continue;
            }

            if (i + 1 < end && s[i + 1] == '$')
            {
                i += 2;
                continue;
            }

            var dollar = i++;
            int innerStart, innerEnd;
            if (i < end && s[i] is '{' or '(')
            {
                var open = s[i];
                var close = open == '{' ? '}' : ')';
                var level = 1;
                var ep = ++i;
                while (level > 0)
                {
                    if (ep == end)
                    {
                        run.Error = $"truncated macro reference: \"{PostfixText.Printable(s[start..end])}\"";
                        return;
                    }

                    if (s[ep] == open)
                    {
                        level++;
                    }

                    if (s[ep] == close)
                    {
                        level--;
                    }

                    ep++;
                }

                innerStart = i;
                innerEnd = ep - 1;
                i = ep;
            }
            else
            {
                var ep = i;
                while (ep < end && PostfixText.IsNameChar(s[ep]))
                {
                    ep++;
                }

                innerStart = i;
                innerEnd = ep;
                i = ep;
            }

            if (innerEnd == innerStart)
            {
                run.Error = $"empty macro name: \"{PostfixText.Printable(s[start..end])}\"";
                return;
            }

            Expression(s, innerStart, innerEnd, dollar, run, depth + 1);
        }
    }

    /// <summary><c>mac_expand_callback()</c> for an expression in scan mode.</summary>
    private static void Expression(string s, int start, int end, int dollar, Run run, int depth)
    {
        if (depth > MaxNesting)
        {
            run.Error = $"unreasonable macro call nesting: \"{PostfixText.Printable(s[start..end])}\"";
            return;
        }

        var cp = start;
        char op;
        if (FindLeftCurly(s, ref cp, end))
        {
            if (!Relational(s, ref cp, end, run, depth))
            {
                return;
            }

            op = '\0';
            if (cp < end)
            {
                op = s[cp];
                if (op is not ('?' or ':'))
                {
                    run.Error = $"\"?\" or \":\" expected at: \"...}}>>>{Excerpt(s, cp, end)}\"";
                    return;
                }

                cp++;
            }
        }
        else
        {
            cp = SkipSpace(s, cp, end);
            var nameStart = cp;
            for (; ; cp++)
            {
                var next = SkipSpace(s, cp, end);
                if (next == end)
                {
                    run.References.Add(new MacroReference(s[nameStart..cp], dollar));
                    op = '\0';
                    cp = end;
                    break;
                }

                if (s[next] is '?' or ':')
                {
                    run.References.Add(new MacroReference(s[nameStart..cp], dollar));
                    op = s[next];
                    cp = next + 1;
                    break;
                }

                if (!PostfixText.IsNameChar(s[cp]))
                {
                    run.Error = $"attribute name syntax error at: \"...{s[start..cp]}>>>{Excerpt(s, cp, end)}\"";
                    return;
                }
            }
        }

        if (op == '?')
        {
            if (!Operand(s, ref cp, end, run, depth))
            {
                return;
            }

            if (cp == end)
            {
                return;
            }

            if (s[cp] != ':')
            {
                run.Error = $"\":\" expected at: \"...}}>>>{Excerpt(s, cp, end)}\"";
                return;
            }

            cp++;
            op = ':';
        }

        if (op == ':')
        {
            if (!Operand(s, ref cp, end, run, depth))
            {
                return;
            }

            if (cp != end)
            {
                run.Error = $"unexpected input at: \"...}}>>>{Excerpt(s, cp, end)}\"";
            }
        }
    }

    /// <summary>A result text: <c>{text}</c> (then whitespace), or the rest of the expression.</summary>
    private static bool Operand(string s, ref int cp, int end, Run run, int depth)
    {
        if (FindLeftCurly(s, ref cp, end))
        {
            if (!Payload(s, ref cp, end, run, out var ps, out var pe))
            {
                return false;
            }

            Parse(s, ps, pe, run, depth);
        }
        else
        {
            Parse(s, cp, end, run, depth);
            cp = end;
        }

        return run.Error is null;
    }

    /// <summary><c>mac_exp_parse_relational()</c> in scan mode: both operands are scanned, the result is empty.</summary>
    private static bool Relational(string s, ref int cp, int end, Run run, int depth)
    {
        if (!Payload(s, ref cp, end, run, out var ls, out var le))
        {
            return false;
        }

        var opStart = cp;
        while (cp < end && "<>!=?+-*/~&|%".Contains(s[cp], StringComparison.Ordinal))
        {
            cp++;
        }

        var op = s[opStart..cp];
        if (op is not ("==" or "!=" or "<" or "<=" or ">=" or ">"))
        {
            run.Error = $"\"==\" or \"!=\" or \"<\" or \"<=\" or \">=\" or \">\" expected at: \"...}}>>>{Excerpt(s, opStart, end)}\"";
            return false;
        }

        if (run.LevelOperators && cp < end && PostfixText.IsAlnum(s[cp]))
        {
            var suffixStart = cp;
            while (cp < end && PostfixText.IsAlnum(s[cp]))
            {
                cp++;
            }

            if (s[suffixStart..cp] != "level")
            {
                run.Error = $"bad operator suffix at: \"...{op}>>>{s[suffixStart..cp]}\"";
                return false;
            }
        }

        if (!FindLeftCurly(s, ref cp, end))
        {
            run.Error = $"\"{{expression}}\" expected at: \"...{op}>>>{Excerpt(s, cp, end)}\"";
            return false;
        }

        if (!Payload(s, ref cp, end, run, out var rs, out var re))
        {
            return false;
        }

        Parse(s, ls, le, run, depth);
        if (run.Error is null)
        {
            Parse(s, rs, re, run, depth);
        }

        return run.Error is null;
    }

    /// <summary><c>MAC_EXP_FIND_LEFT_CURLY</c>: skip whitespace; true (and there) when a <c>{</c> follows.</summary>
    private static bool FindLeftCurly(string s, ref int cp, int end)
    {
        var next = SkipSpace(s, cp, end);
        if (next < end && s[next] == '{')
        {
            cp = next;
            return true;
        }

        return false;
    }

    /// <summary><c>mac_exp_extract_curly_payload()</c>: the text inside balanced braces; skips whitespace after.</summary>
    private static bool Payload(string s, ref int cp, int end, Run run, out int payloadStart, out int payloadEnd)
    {
        payloadStart = cp + 1;
        var level = 1;
        var i = payloadStart;
        for (; ; i++)
        {
            if (i == end)
            {
                run.Error = $"unbalanced {{}} in attribute expression: \"{Excerpt(s, cp, end)}\"";
                payloadEnd = i;
                return false;
            }

            if (s[i] == '{')
            {
                level++;
            }
            else if (s[i] == '}' && --level <= 0)
            {
                break;
            }
        }

        payloadEnd = i;
        cp = SkipSpace(s, i + 1, end);
        return true;
    }

    private static int SkipSpace(string s, int i, int end)
    {
        while (i < end && PostfixText.IsCharsSpace(s[i]))
        {
            i++;
        }

        return i;
    }

    private static string Excerpt(string s, int at, int end) => PostfixText.Printable(s[at..Math.Min(end, at + 20)], 20);
}

using System.Text;

namespace PostfixConfig.Text;

/// <summary>What the expansion of one value produced.</summary>
/// <param name="Value">The expanded text, or <see langword="null"/> when expansion failed or met an unknown value.</param>
/// <param name="Error">Why it failed (Postfix would stop with "macro processing error"), or <see langword="null"/>.</param>
/// <param name="IsLoop">Whether the failure is a reference loop (nesting too deep).</param>
/// <param name="Undefined">Names referenced with plain <c>$name</c> that have no value at all (they expand to nothing).</param>
/// <param name="Unknown">
/// The first name whose value the lookup could not know (<see cref="MacroValue.Unknown"/>): the
/// result depends on the mail host, so there is none; <see langword="null"/> otherwise.
/// </param>
internal sealed record MacroExpansion(string? Value, string? Error, bool IsLoop, IReadOnlyCollection<string> Undefined, string? Unknown = null);

/// <summary>
/// What a lookup knows of a name: its value, no value at all (Postfix expands it to nothing), or
/// that the value cannot be known here (it depends on the mail host), which ends the expansion
/// without a result.
/// </summary>
internal readonly record struct MacroValue
{
    private MacroValue(string? text, bool isUnknown)
    {
        Text = text;
        IsUnknown = isUnknown;
    }

    /// <summary>A value that cannot be known here.</summary>
    public static MacroValue Unknown { get; } = new(null, true);

    /// <summary>No value: the name is undefined and expands to nothing.</summary>
    public static MacroValue Undefined { get; } = new(null, false);

    /// <summary>The value, or <see langword="null"/> when undefined or unknown.</summary>
    public string? Text { get; }

    /// <summary>Whether the value cannot be known here.</summary>
    public bool IsUnknown { get; }

    /// <summary>A known value (<see langword="null"/>: undefined).</summary>
    public static MacroValue Of(string? text) => new(text, false);
}

/// <summary>
/// <c>$</c> expansion exactly as Postfix's <c>mac_parse()</c> and <c>mac_expand()</c> do it with
/// recursion on (the mode of <c>postconf -x</c> and of the daemons reading main.cf):
/// <c>$name</c>, <c>${name}</c>, <c>$(name)</c>, <c>$$</c>, <c>${name?text}</c>, <c>${name:text}</c>,
/// from 3.0 the brace forms <c>${name?{a}:{b}}</c> and relational tests <c>${{a} == {b} ? {x} : {y}}</c>,
/// and from 3.6 the compatibility-level operators (<c>&lt;level</c>, ...).
/// </summary>
/// <remarks>
/// Nesting is bounded as in Postfix (more than 100 nested references is "unreasonable macro call
/// nesting", which is how a reference loop ends). Relational operands start a fresh count in
/// Postfix; here they also share an overall bound so that a loop through them ends with an error
/// instead of exhausting the stack.
/// </remarks>
internal sealed class MacroExpander
{
    /// <summary>
    /// How the error of a reference loop through a relational operand starts. Postfix expands each operand with
    /// a fresh <c>mac_expand()</c> whose nesting count starts at zero, so such a loop never reaches "unreasonable
    /// macro call nesting": postconf and the daemons recurse until the stack runs out and die of a segmentation
    /// fault (seen with postconf 3.4.29 to 3.12-20260821 and Debian's 3.7.11).
    /// </summary>
    public const string OperandLoop = "reference loop through the operand of a {a} == {b} test";

    private const int MaxNesting = 100;
    private const int MaxOperandDepth = 50;
    private const string OperatorChars = "<>!=?+-*/~&|%";

    private readonly Func<string, MacroValue> _lookup;
    private readonly bool _braces;
    private readonly bool _levelOperators;

    /// <param name="lookup">A parameter's value, or <see langword="null"/> when it has none.</param>
    /// <param name="braces">Postfix 3.0+ syntax: whitespace and <c>{ }</c> operands, relational tests.</param>
    /// <param name="levelOperators">Postfix 3.6+: the <c>level</c> operator suffix for compatibility levels.</param>
    public MacroExpander(Func<string, string?> lookup, bool braces = true, bool levelOperators = true)
        : this(name => MacroValue.Of(lookup(name)), braces, levelOperators)
    {
    }

    /// <param name="lookup">What is known of a parameter's value (see <see cref="MacroValue"/>).</param>
    /// <param name="braces">Postfix 3.0+ syntax: whitespace and <c>{ }</c> operands, relational tests.</param>
    /// <param name="levelOperators">Postfix 3.6+: the <c>level</c> operator suffix for compatibility levels.</param>
    public MacroExpander(Func<string, MacroValue> lookup, bool braces = true, bool levelOperators = true)
    {
        _lookup = lookup;
        _braces = braces;
        _levelOperators = levelOperators && braces;
    }

    /// <summary>Expands <paramref name="pattern"/> recursively.</summary>
    public MacroExpansion Expand(string pattern)
    {
        var run = new Run();
        var mc = new Context(run);
        Parse(pattern, mc);
        if (run.Error is not null)
        {
            return new MacroExpansion(null, run.Error, run.IsLoop, run.Undefined);
        }

        return run.Unknown is not null
            ? new MacroExpansion(null, null, false, run.Undefined, run.Unknown)
            : new MacroExpansion(mc.Result.ToString(), null, false, run.Undefined);
    }

    private sealed class Run
    {
        public string? Error { get; set; }

        public bool IsLoop { get; set; }

        public int OperandDepth { get; set; }

        /// <summary>The first name whose value could not be known; the expansion stops there.</summary>
        public string? Unknown { get; set; }

        public HashSet<string> Undefined { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Context(Run run)
    {
        public Run Run { get; } = run;

        public StringBuilder Result { get; } = new();

        public int Level { get; set; }

        public bool Failed => Run.Error is not null || Run.Unknown is not null;
    }

    private static void Fail(Context mc, string message, bool loop = false)
    {
        if (mc.Run.Error is null)
        {
            mc.Run.Error = message;
            mc.Run.IsLoop = loop;
        }
    }

    /// <summary><c>mac_parse()</c>: split into literal text and references, calling back for each.</summary>
    private void Parse(string value, Context mc)
    {
        var buf = new StringBuilder();
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if (c != '$')
            {
                buf.Append(c);
                i++;
                continue;
            }

            if (i + 1 < value.Length && value[i + 1] == '$')
            {
                buf.Append('$');
                i += 2;
                continue;
            }

            if (buf.Length > 0)
            {
                Callback(false, buf.ToString(), mc);
                buf.Clear();
            }

            i++;
            if (i < value.Length && (value[i] == '{' || value[i] == '('))
            {
                var open = value[i];
                var close = open == '{' ? '}' : ')';
                var level = 1;
                i++;
                var ep = i;
                while (level > 0)
                {
                    if (ep == value.Length)
                    {
                        Fail(mc, $"truncated macro reference: \"{PostfixText.Printable(value)}\"");
                        return;
                    }

                    if (value[ep] == open)
                    {
                        level++;
                    }

                    if (value[ep] == close)
                    {
                        level--;
                    }

                    ep++;
                }

                buf.Append(value, i, ep - i - 1);
                i = ep;
            }
            else
            {
                var ep = i;
                while (ep < value.Length && PostfixText.IsNameChar(value[ep]))
                {
                    ep++;
                }

                buf.Append(value, i, ep - i);
                i = ep;
            }

            if (buf.Length == 0)
            {
                Fail(mc, $"empty macro name: \"{PostfixText.Printable(value)}\"");
                return;
            }

            Callback(true, buf.ToString(), mc);
            buf.Clear();
        }

        if (buf.Length > 0 && !mc.Failed)
        {
            Callback(false, buf.ToString(), mc);
        }
    }

    /// <summary><c>mac_expand_callback()</c> with <c>MAC_EXP_FLAG_RECURSE</c>.</summary>
    private void Callback(bool isExpression, string text, Context mc)
    {
        if (mc.Level++ > MaxNesting)
        {
            Fail(mc, $"unreasonable macro call nesting: \"{PostfixText.Printable(text)}\"", loop: true);
        }

        if (mc.Failed)
        {
            return;
        }

        if (!isExpression)
        {
            mc.Result.Append(text);
            mc.Level--;
            return;
        }

        var cp = 0;
        string? lookup;
        string? name = null;
        char op;
        if (_braces && FindLeftCurly(text, ref cp))
        {
            if (!ParseRelational(mc, text, ref cp, out lookup))
            {
                return;
            }

            op = '\0';
            if (cp < text.Length)
            {
                op = text[cp];
                if (op != '?' && op != ':')
                {
                    Fail(mc, $"\"?\" or \":\" expected at: \"...}}>>>{Excerpt(text, cp)}\"");
                    return;
                }

                cp++;
            }
        }
        else if (!ParseName(mc, text, ref cp, out name, out op))
        {
            return;
        }
        else
        {
            var found = _lookup(name);
            if (found.IsUnknown)
            {
                mc.Run.Unknown ??= name;
                return;
            }

            lookup = found.Text;
        }

        switch (op)
        {
            case '?':
                {
                    string ifTrue;
                    if (_braces && FindLeftCurly(text, ref cp))
                    {
                        if (!ExtractPayload(mc, text, ref cp, out ifTrue))
                        {
                            return;
                        }
                    }
                    else
                    {
                        ifTrue = text[cp..];
                        cp = text.Length;
                    }

                    if (!string.IsNullOrEmpty(lookup))
                    {
                        Parse(ifTrue, mc);
                    }

                    if (cp == text.Length)
                    {
                        break;
                    }

                    if (text[cp] != ':')
                    {
                        Fail(mc, $"\":\" expected at: \"...{ifTrue}}}>>>{Excerpt(text, cp)}\"");
                        return;
                    }

                    cp++;
                    if (!ElseBranch(mc, text, ref cp, lookup))
                    {
                        return;
                    }

                    break;
                }

            case ':':
                if (!ElseBranch(mc, text, ref cp, lookup))
                {
                    return;
                }

                break;
            default:
                if (lookup is null)
                {
                    if (name is not null)
                    {
                        mc.Run.Undefined.Add(name);
                    }
                }
                else if (lookup.Length > 0)
                {
                    Parse(lookup, mc);
                }

                break;
        }

        mc.Level--;
    }

    private bool ElseBranch(Context mc, string text, ref int cp, string? lookup)
    {
        string ifFalse;
        if (_braces && FindLeftCurly(text, ref cp))
        {
            if (!ExtractPayload(mc, text, ref cp, out ifFalse))
            {
                return false;
            }
        }
        else
        {
            ifFalse = text[cp..];
            cp = text.Length;
        }

        if (string.IsNullOrEmpty(lookup))
        {
            Parse(ifFalse, mc);
        }

        if (cp != text.Length)
        {
            Fail(mc, $"unexpected input at: \"...{ifFalse}}}>>>{Excerpt(text, cp)}\"");
            return false;
        }

        return true;
    }

    /// <summary>A parameter name, optionally followed by <c>?</c> or <c>:</c> (3.0+: whitespace allowed around it).</summary>
    private bool ParseName(Context mc, string text, ref int cp, out string name, out char op)
    {
        op = '\0';
        if (!_braces)
        {
            for (var i = 0; ; i++)
            {
                if (i == text.Length)
                {
                    name = text;
                    cp = i;
                    return true;
                }

                if (text[i] is '?' or ':')
                {
                    name = text[..i];
                    op = text[i];
                    cp = i + 1;
                    return true;
                }

                if (!PostfixText.IsNameChar(text[i]))
                {
                    name = text;
                    Fail(mc, $"macro name syntax error: \"{PostfixText.Printable(text)}\"");
                    return false;
                }
            }
        }

        var start = SkipSpace(text, 0);
        for (var i = start; ; i++)
        {
            var next = SkipSpace(text, i);
            if (next == text.Length)
            {
                name = text[start..i];
                cp = text.Length;
                return true;
            }

            if (text[next] is '?' or ':')
            {
                name = text[start..i];
                op = text[next];
                cp = next + 1;
                return true;
            }

            if (!PostfixText.IsNameChar(text[i]))
            {
                name = text[start..i];
                Fail(mc, $"attribute name syntax error at: \"...{text[..i]}>>>{Excerpt(text, i)}\"");
                return false;
            }
        }
    }

    private bool ParseRelational(Context mc, string text, ref int cp, out string lookup)
    {
        lookup = string.Empty;
        if (!ExtractPayload(mc, text, ref cp, out var left))
        {
            return false;
        }

        var opStart = cp;
        while (cp < text.Length && OperatorChars.Contains(text[cp], StringComparison.Ordinal))
        {
            cp++;
        }

        var op = text[opStart..cp];
        if (op is not ("==" or "!=" or "<" or "<=" or ">=" or ">"))
        {
            Fail(mc, $"\"==\" or \"!=\" or \"<\" or \"<=\" or \">=\" or \">\" expected at: \"...{left}}}>>>{Excerpt(text, opStart)}\"");
            return false;
        }

        var levels = false;
        if (_levelOperators && cp < text.Length && PostfixText.IsAlnum(text[cp]))
        {
            var suffixStart = cp;
            while (cp < text.Length && PostfixText.IsAlnum(text[cp]))
            {
                cp++;
            }

            if (text[suffixStart..cp] != "level")
            {
                Fail(mc, $"bad operator suffix at: \"...{op}>>>{text[suffixStart..cp]}\"");
                return false;
            }

            levels = true;
        }

        if (!FindLeftCurly(text, ref cp))
        {
            Fail(mc, $"\"{{expression}}\" expected at: \"...{{{left}}} {op}>>>{Excerpt(text, cp)}\"");
            return false;
        }

        if (!ExtractPayload(mc, text, ref cp, out var right))
        {
            return false;
        }

        var leftValue = ExpandOperand(left, mc);
        var rightValue = ExpandOperand(right, mc);
        if (leftValue is null || rightValue is null)
        {
            return false;
        }

        bool? result = levels ? CompareLevels(mc, leftValue, op, rightValue) : Compare(mc, leftValue, op, rightValue);
        if (result is null)
        {
            return false;
        }

        lookup = result.Value ? "true" : string.Empty;
        return true;
    }

    /// <summary>An operand is expanded by a separate <c>mac_expand()</c> call (its own nesting count).</summary>
    private string? ExpandOperand(string operand, Context mc)
    {
        if (mc.Run.OperandDepth >= MaxOperandDepth)
        {
            Fail(mc, $"{OperandLoop}: \"{PostfixText.Printable(operand)}\"", loop: true);
            return null;
        }

        mc.Run.OperandDepth++;
        var inner = new Context(mc.Run);
        Parse(operand, inner);
        mc.Run.OperandDepth--;
        return mc.Failed ? null : inner.Result.ToString();
    }

    /// <summary><c>mac_exp_eval()</c>: numeric when both sides are all digits, else byte-wise string order.</summary>
    private static bool? Compare(Context mc, string left, string op, string right)
    {
        int delta;
        if (AllDigits(left) && AllDigits(right))
        {
            var l = PostfixText.StrToL(left, 0, out _, out var lo);
            var r = PostfixText.StrToL(right, 0, out _, out var ro);
            if (lo || ro)
            {
                Fail(mc, $"mac_exp_eval: bad conversion: {(lo ? left : right)}");
                return null;
            }

            delta = l.CompareTo(r);
        }
        else
        {
            delta = string.CompareOrdinal(left, right);
        }

        return Apply(op, delta);
    }

    /// <summary><c>compat_relop_eval()</c>: both sides as <c>major[.minor[.patch]]</c>.</summary>
    private static bool? CompareLevels(Context mc, string left, string op, string right)
    {
        var l = CompatLevel(left);
        var r = CompatLevel(right);
        if (l is null || r is null)
        {
            Fail(mc, $"malformed compatibility level syntax: \"{(l is null ? left : right)}\"");
            return null;
        }

        return Apply(op, l.Value.CompareTo(r.Value));
    }

    /// <summary><c>compat_level_from_string()</c>: major, minor and patch packed into one comparable number.</summary>
    internal static long? CompatLevel(string s)
    {
        const int MinorBits = 0x3ff;
        var major = PostfixText.StrToL(s, 0, out var end, out var overflow);
        if (end == 0 || overflow || major < 0 || major > (long.MaxValue >> 20) || (end < s.Length && s[end] != '.'))
        {
            return null;
        }

        var result = major << 20;
        if (end == s.Length)
        {
            return result;
        }

        var start = end + 1;
        var minor = PostfixText.StrToL(s, start, out end, out overflow);
        if (end == start || overflow || minor < 0 || minor > MinorBits || (end < s.Length && s[end] != '.'))
        {
            return null;
        }

        result |= minor << 10;
        if (end == s.Length)
        {
            return result;
        }

        start = end + 1;
        var patch = PostfixText.StrToL(s, start, out end, out overflow);
        if (end == start || overflow || patch < 0 || patch > MinorBits || end != s.Length)
        {
            return null;
        }

        return result | patch;
    }

    private static bool Apply(string op, int delta) => op switch
    {
        "==" => delta == 0,
        "!=" => delta != 0,
        "<" => delta < 0,
        "<=" => delta <= 0,
        ">=" => delta >= 0,
        _ => delta > 0,
    };

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && PostfixText.IsCharsSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary><c>MAC_EXP_FIND_LEFT_CURLY</c>: skip whitespace; true (and advance) when a <c>{</c> follows.</summary>
    private static bool FindLeftCurly(string text, ref int cp)
    {
        var i = SkipSpace(text, cp);
        if (i < text.Length && text[i] == '{')
        {
            cp = i;
            return true;
        }

        return false;
    }

    /// <summary><c>mac_exp_extract_curly_payload()</c>: the text inside balanced braces; skips whitespace after.</summary>
    private static bool ExtractPayload(Context mc, string text, ref int cp, out string payload)
    {
        var level = 1;
        var i = cp + 1;
        for (; ; i++)
        {
            if (i == text.Length)
            {
                payload = string.Empty;
                Fail(mc, $"unbalanced {{}} in attribute expression: \"{PostfixText.Printable(text[cp..])}\"");
                return false;
            }

            if (text[i] == '{')
            {
                level++;
            }
            else if (text[i] == '}' && --level <= 0)
            {
                break;
            }
        }

        payload = text[(cp + 1)..i];
        cp = SkipSpace(text, i + 1);
        return true;
    }

    private static string Excerpt(string text, int at) => PostfixText.Printable(text[Math.Min(at, text.Length)..], 20);
}

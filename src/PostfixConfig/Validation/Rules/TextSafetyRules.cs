using System.Globalization;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Text that would not mean in the rendered files what it says in the configuration: characters
/// that end a main.cf setting or a map line (and so could smuggle in another one), whitespace
/// Postfix drops, list items Postfix would split into several, policy tokens that a space, comma or
/// brace would cut short, text that is not valid Unicode, and a policy map path that would write
/// over main.cf. These rules do not depend on the release.
/// </summary>
/// <remarks>
/// How Postfix reads the text (checked in its source, <c>src/util/readlline.c</c>, <c>split_nameval.c</c>,
/// <c>src/smtp/smtp_tls_policy.c</c>, <c>src/tls/tls_misc.c</c>): a main.cf value ends at the end of the
/// line and loses its leading and trailing whitespace; lists split at spaces, tabs and commas, and the
/// protocol lists, cipher exclusion lists and the verify/secure match lists at <c>:</c> too; in a policy
/// map a space or comma ends an attribute, <c>{ }</c> groups text (3.10+), protocols and exclude split at
/// <c>:</c>, and match at <c>|</c> (level fingerprint) or <c>:</c> (verify, secure).
/// </remarks>
internal sealed class TextSafetyRules : RuleSet
{
    /// <summary>
    /// Parameters Postfix reads without <c>$</c> expansion (the daemons' raw tables in the Postfix source,
    /// 3.12 snapshot); in these a <c>$</c> is literal text.
    /// </summary>
    private static readonly HashSet<string> RawParameters = new(StringComparer.Ordinal)
    {
        "command_execution_directory", "default_rbl_reply", "forward_path", "luser_relay", "mailbox_command",
        "postscreen_disable_vrfy_command", "postscreen_enforce_tls", "postscreen_expansion_filter", "postscreen_helo_required",
        "postscreen_reject_footer", "postscreen_tls_ask_ccert", "postscreen_use_tls", "smtpd_expansion_filter", "smtpd_reject_footer",
    };

    /// <summary>What every Postfix list splits at.</summary>
    private const string ListSeparators = ", \t";

    /// <summary>Characters that end or regroup a token in a policy map value.</summary>
    private static readonly System.Buffers.SearchValues<char> PolicyTokenBreakers = System.Buffers.SearchValues.Create(" \t,{}");

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (name, value) in t.Config.Main)
        {
            CheckParameter(context, t, name, value);
        }

        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (item.Full is null && IsPlainWord(item.Destination) && IsPlainWord(item.Level))
            {
                continue; // a compact row of plain words has nothing to report (most rows of a big table)
            }

            CheckPolicyEntry(context, item.Entry);
        }

        if (t.Config.TlsPolicy.Count > 0)
        {
            CheckMapPath(context, t, "smtp_tls_policy_maps", "policy map", "/etc/postfix/tls_policy");
        }

        if (t.Config.Sni.Count > 0)
        {
            CheckMapPath(context, t, "tls_server_sni_maps", "SNI table", "/etc/postfix/sni");
        }
    }

    private static void CheckParameter(ValidationContext<ValidationTarget> context, ValidationTarget t, string name, PostfixValue value)
    {
        var span = t.SpanOf(name);
        foreach (var text in value.AsList())
        {
            if (Unwritable(text) is { } bad)
            {
                context.Error(bad.Code, name,
                    $"The value of {name} contains {bad.What}, which main.cf cannot hold{(bad.Code == DiagnosticCodes.ControlCharacter ? " (it would end the setting, and what follows could start another)" : string.Empty)}. Remove it.",
                    span);
                return;
            }
        }

        if (Invisible(value.Text) is { } invisible)
        {
            context.Warning(DiagnosticCodes.InvisibleCharacter, name,
                $"The value of {name} contains {invisible}, which is invisible in main.cf but part of the value. Remove it unless it is meant.", span);
        }

        if (!RawParameters.Contains(name) && MacroProblem(value.Text) is { } macro)
        {
            context.Error(DiagnosticCodes.MalformedReference, name,
                $"The value of {name} {macro}; Postfix stops with \"macro processing error\" (postconf -n too). Write $$ for a literal '$', $name or ${{name}} for a parameter.",
                span);
        }

        var info = t.Catalog.Find(name);
        if (value.IsList && info is not null && IsList(info.Kind))
        {
            var separators = SplitsAtColon(info) ? ListSeparators + ":" : ListSeparators;
            for (var i = 0; i < value.Items.Length; i++)
            {
                if (ItemProblem(value.Items[i], separators, name, i) is { } problem)
                {
                    context.Error(DiagnosticCodes.ListItemWouldSplit, name, problem, span);
                    return;
                }
            }
        }

        var whole = value.Text;
        if (whole.Length > 0 && (IsBlank(whole[0]) || IsBlank(whole[^1])))
        {
            var trimmed = whole.Trim(' ', '\t');
            context.Error(DiagnosticCodes.SurroundingWhitespace, name,
                trimmed.Length == 0
                    ? $"The value of {name} is only whitespace, which Postfix reads as an empty value; write an empty value instead."
                    : $"The value of {name} {Ends(whole)} with whitespace, which Postfix drops when it reads main.cf (it would read '{Show(trimmed)}'); remove the whitespace (in YAML it can only come from quotes).",
                span);
        }
    }

    private static void CheckPolicyEntry(ValidationContext<ValidationTarget> context, TlsPolicyEntry entry)
    {
        var where = new PolicyWhere(entry.Destination);
        CheckKey(context, entry.Destination, where, entry.SpanOf(string.Empty));
        CheckToken(context, where, new TokenName(null, "level"), entry.Level, entry.SpanOf("level"));
        CheckListAttribute(context, entry, where, "protocols", entry.Protocols, ':');
        CheckListAttribute(context, entry, where, "exclude", entry.Exclude, ':');
        var fingerprint = string.Equals(entry.Level.Trim(), "fingerprint", StringComparison.OrdinalIgnoreCase);
        CheckListAttribute(context, entry, where, "match", entry.Match, fingerprint ? '|' : ':');
        foreach (var file in entry.TaFile)
        {
            CheckToken(context, where, new TokenName("tafile", "value"), file, entry.SpanOf("tafile"));
        }

        if (entry.Ciphers is { } ciphers)
        {
            CheckToken(context, where, new TokenName("ciphers", "value"), ciphers, entry.SpanOf("ciphers"));
        }

        if (entry.ServerName is { } servername)
        {
            CheckToken(context, where, new TokenName("servername", "value"), servername, entry.SpanOf("servername"));
        }

        foreach (var attribute in entry.OtherAttributes)
        {
            var span = entry.SpanOf(attribute.Name);
            if (attribute.Name.Length == 0 || !attribute.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                context.Error(DiagnosticCodes.PolicyTokenWouldSplit, where,
                    $"The attribute name '{Show(attribute.Name)}' is not a name; in a policy map it would be cut at a space, comma or '=' and the rest read as another attribute. Use letters, digits and '_' only.",
                    span);
                continue;
            }

            CheckToken(context, where, new TokenName(attribute.Name, "value"), attribute.Value, span);
        }
    }

    /// <summary>
    /// A key that is not a destination at all is <see cref="PolicyTableRules"/>' to report (PFX4001, so
    /// that one problem gives one message); <see cref="KeyProblem"/> stands guard behind that rule.
    /// </summary>
    private static void CheckKey(ValidationContext<ValidationTarget> context, string key, PolicyWhere where, SourceSpan? span)
    {
        if (PolicyTableRules.IsDestination(key) && KeyProblem(key) is { } problem)
        {
            context.Add(problem.Severity, problem.Code, where, problem.Message, span);
        }
    }

    /// <summary>Why a map key would not be read back as written: a map key ends at the first whitespace, and a line whose first character is '#' is a comment.</summary>
    internal static (DiagnosticSeverity Severity, string Code, string Message)? KeyProblem(string key)
    {
        if (Unwritable(key) is { } bad)
        {
            return (DiagnosticSeverity.Error, bad.Code,
                $"The destination '{Show(key)}' contains {bad.What}, which a map line cannot hold (it would end the entry, and what follows could start another). Remove it.");
        }

        var cut = key.AsSpan().IndexOfAny(' ', '\t');
        if (key.Length == 0)
        {
            return (DiagnosticSeverity.Error, DiagnosticCodes.PolicyTokenWouldSplit,
                "A destination is empty; a map line needs a key. Write a domain (example.com), .example.com, [host] or [host]:port.");
        }

        if (key[0] == '#')
        {
            return (DiagnosticSeverity.Error, DiagnosticCodes.PolicyTokenWouldSplit,
                $"The destination '{Show(key)}' starts with '#', which turns its map line into a comment: the entry would be ignored. Remove the '#'.");
        }

        if (cut >= 0)
        {
            return (DiagnosticSeverity.Error, DiagnosticCodes.PolicyTokenWouldSplit,
                $"The destination '{Show(key)}' contains whitespace; a map key ends at the first space, so Postfix would look up '{Show(key[..cut])}' and read the rest as part of the policy. Remove the whitespace.");
        }

        return Invisible(key) is { } invisible
            ? (DiagnosticSeverity.Warning, DiagnosticCodes.InvisibleCharacter,
                $"The destination '{Show(key)}' contains {invisible}, which is invisible but part of the key, so a lookup of the name as it looks would not find it. Remove it.")
            : null;
    }

    private static void CheckListAttribute(
        ValidationContext<ValidationTarget> context, TlsPolicyEntry entry, PolicyWhere where, string attribute, ValueList<string> items, char separator)
    {
        var span = entry.SpanOf(attribute);
        if (items.Count == 1 && items[0].Length == 0)
        {
            return; // no value at all (protocols=): what Postfix makes of that is PolicyAttributeRules' concern
        }

        foreach (var item in items)
        {
            if (!CheckToken(context, where, new TokenName(attribute, "item"), item, span))
            {
                return;
            }

            if (item.Length == 0)
            {
                context.Error(DiagnosticCodes.ListItemWouldSplit, where,
                    $"An item of {attribute} is empty; Postfix skips empty items (and an attribute with no value at all makes the whole entry invalid). Remove it.", span);
                return;
            }

            if (item.Contains(separator, StringComparison.Ordinal))
            {
                var parts = item.Split(separator, StringSplitOptions.RemoveEmptyEntries);
                context.Error(DiagnosticCodes.ListItemWouldSplit, where,
                    $"The {attribute} item '{Show(item)}' contains '{separator}', which separates {attribute} items in a policy map, so Postfix would read {Items(parts)}. Write each as its own list item.",
                    span);
                return;
            }
        }
    }

    /// <summary>Letters, digits and '.', '-', '_', '[', ']', ':' only (not empty): nothing a map line could misread.</summary>
    private static bool IsPlainWord(string word) => word.Length > 0 && word.AsSpan().IndexOfAnyExcept(PlainWordCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> PlainWordCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_[]:");

    /// <summary>One token of a policy map value (level, attribute value); false when a problem was reported.</summary>
    private static bool CheckToken(ValidationContext<ValidationTarget> context, PolicyWhere where, TokenName what, string text, SourceSpan? span)
    {
        if (Unwritable(text) is { } bad)
        {
            context.Error(bad.Code, where,
                $"{what} '{Show(text)}' contains {bad.What}, which a map line cannot hold (it would end the entry, and what follows could start another). Remove it.", span);
            return false;
        }

        var i = text.AsSpan().IndexOfAny(PolicyTokenBreakers);
        if (i >= 0)
        {
            var c = text[i];
            var why = c is '{' or '}'
                ? $"'{c}', which Postfix 3.10 and later read as the start or end of a {{ name = value }} group"
                : $"{(c == ',' ? "a comma" : "whitespace")}; in a policy map a space or comma ends the attribute, so Postfix would read '{Show(text[(i + 1)..].TrimStart(' ', '\t', ','))}' as another attribute";
            context.Error(DiagnosticCodes.PolicyTokenWouldSplit, where, $"{what} '{Show(text)}' contains {why}. Remove it.", span);
            return false;
        }

        if (Invisible(text) is { } invisible)
        {
            context.Warning(DiagnosticCodes.InvisibleCharacter, where,
                $"{what} '{Show(text)}' contains {invisible}, which is invisible but part of the value. Remove it unless it is meant.", span);
        }

        return true;
    }

    /// <summary>The longest map file name that can be written: 255 bytes less the temporary file's dot, random part and suffix.</summary>
    private const int MaxMapFileNameBytes = 200;

    /// <summary>A map is written next to main.cf under its base name; it must not replace main.cf or climb out of the folder.</summary>
    private static void CheckMapPath(ValidationContext<ValidationTarget> context, ValidationTarget t, string parameter, string what, string example)
    {
        if (t.Text(parameter) is not { } maps || MapTypes.FirstFileTable(maps) is not { } target)
        {
            return;
        }

        var span = t.SpanOf(parameter);
        var fileName = Path.GetFileName(target.Path);
        if (target.Path.Split('/').Contains(".."))
        {
            context.Error(DiagnosticCodes.UnsafeMapPath, parameter,
                $"The {what} path {Show(target.Path)} contains '..'; write the absolute path the table has on the mail host, such as {example}.", span);
        }
        else if (fileName.Contains('\\', StringComparison.Ordinal))
        {
            context.Error(DiagnosticCodes.UnsafeMapPath, parameter,
                $"The {what} {Show(target.Path)} would be written as '{Show(fileName)}', a file name with a backslash, which the output writer refuses; give the table a plain file name, such as {example}.", span);
        }
        else if (System.Text.Encoding.UTF8.GetByteCount(fileName) > MaxMapFileNameBytes)
        {
            context.Error(DiagnosticCodes.UnsafeMapPath, parameter,
                $"The {what} file name '{Show(fileName)}' is {System.Text.Encoding.UTF8.GetByteCount(fileName)} bytes long; file systems allow 255 bytes, and the file is written through a temporary file with a longer name, so {MaxMapFileNameBytes} is the limit. Give the table a shorter name, such as {example}.", span);
        }
        else if (fileName is "" or "." or "main.cf" or "master.cf")
        {
            context.Error(DiagnosticCodes.UnsafeMapPath, parameter,
                $"The {what} {Show(target.Path)} would be written as '{Show(fileName)}' in the output folder{(fileName.EndsWith(".cf", StringComparison.Ordinal) ? ", replacing Postfix's own " + fileName : string.Empty)}; give the table a file name of its own, such as {example}.",
                span);
        }
        else if (parameter != "smtp_tls_policy_maps" && t.Config.TlsPolicy.Count > 0 && t.Text("smtp_tls_policy_maps") is { } policy
            && MapTypes.FirstFileTable(policy) is { } other && Path.GetFileName(other.Path) == fileName)
        {
            context.Error(DiagnosticCodes.UnsafeMapPath, parameter,
                $"The {what} {Show(target.Path)} and the policy map {Show(other.Path)} would both be written as '{Show(fileName)}'; give each table a file name of its own.",
                span);
        }
    }

    /// <summary>The first character that no Postfix file can hold as written, with the code to report it under.</summary>
    internal static (string What, string Code)? Unwritable(string text)
    {
        if (text.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0)
        {
            return null; // printable ASCII (almost every value): one vectorised scan
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return (string.Create(CultureInfo.InvariantCulture, $"a lone UTF-16 surrogate (U+{(int)c:X4}), which is not a character and cannot be written as UTF-8"), DiagnosticCodes.InvalidUnicode);
            }

            if (c is '\uFFFE' or '\uFFFF')
            {
                return (string.Create(CultureInfo.InvariantCulture, $"the non-character U+{(int)c:X4}"), DiagnosticCodes.InvalidUnicode);
            }

            if (char.IsControl(c) && c != '\t')
            {
                return (c switch
                {
                    '\n' => "a newline",
                    '\r' => "a carriage return",
                    '\0' => "a NUL character",
                    _ => string.Create(CultureInfo.InvariantCulture, $"the control character U+{(int)c:X4}"),
                }, DiagnosticCodes.ControlCharacter);
            }
        }

        return null;
    }

    /// <summary>
    /// What is wrong with the <c>$</c> references in a value, or null: after <c>$</c> Postfix wants <c>$</c>, a
    /// name character, or <c>{</c>/<c>(</c> closed later (mac_parse.c; checked against postconf 3.7).
    /// </summary>
    internal static string? MacroProblem(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$')
            {
                continue;
            }

            if (i + 1 == text.Length)
            {
                return "ends with a '$' that starts no parameter reference";
            }

            var c = text[i + 1];
            if (c == '$' || char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                i++;
                continue;
            }

            if (c is not ('{' or '('))
            {
                return $"has a '$' followed by '{Show(c.ToString())}', which starts no parameter reference";
            }

            var close = c == '{' ? '}' : ')';
            var depth = 1;
            var j = i + 2;
            for (; j < text.Length && depth > 0; j++)
            {
                if (text[j] == c)
                {
                    depth++;
                }
                else if (text[j] == close)
                {
                    depth--;
                }
            }

            if (depth > 0)
            {
                return $"has a '${c}' that is never closed with '{close}'";
            }

            i = j - 1;
        }

        return null;
    }

    /// <summary>An invisible formatting or separator character (zero-width space, bidirectional override, line separator, ...).</summary>
    internal static string? Invisible(string text)
    {
        if (text.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0)
        {
            return null; // printable ASCII
        }

        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the invisible character U+{(int)c:X4}");
            }
        }

        return null;
    }

    /// <summary>Why one item of a main.cf list would not be read back as that one item, or null.</summary>
    private static string? ItemProblem(string item, string separators, string name, int index)
    {
        if (item.Length == 0)
        {
            return $"Item {(index + 1).ToString(CultureInfo.InvariantCulture)} of {name} is empty; Postfix skips empty list items. Remove it.";
        }

        // Text inside balanced { } is one item (Postfix 3.0 and later); separators outside split it.
        var depth = 0;
        for (var i = 0; i < item.Length; i++)
        {
            var c = item[i];
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth < 0)
            {
                return $"The {name} item '{Show(item)}' has a '}}' without a matching '{{'; Postfix reads braces as grouping. Remove it.";
            }
            else if (depth == 0 && separators.Contains(c, StringComparison.Ordinal))
            {
                var parts = item.Split(separators.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
                var what = c switch { ',' => "a comma", ':' => "':'", _ => "whitespace" };
                return $"The {name} item '{Show(item)}' contains {what}; Postfix splits {name} at {Describe(separators)}, so it would read {Items(parts)}. "
                    + "Write each as its own list item" + (c is ' ' or '\t' ? " (a file name must not contain spaces)." : ".");
            }
        }

        return depth > 0 ? $"The {name} item '{Show(item)}' has a '{{' without a matching '}}'; Postfix reads braces as grouping. Close or remove it." : null;
    }

    private static bool IsList(ParameterKind kind) =>
        kind is ParameterKind.List or ParameterKind.FileList or ParameterKind.MapList or ParameterKind.ProtocolList;

    /// <summary>Lists that Postfix also splits at ':': protocol lists, cipher exclusion lists, and the verify/secure match lists.</summary>
    private static bool SplitsAtColon(ParameterInfo info) =>
        info.Kind == ParameterKind.ProtocolList
        || info.Name.EndsWith("_exclude_ciphers", StringComparison.Ordinal)
        || info.Name.EndsWith("_tls_verify_cert_match", StringComparison.Ordinal)
        || info.Name.EndsWith("_tls_secure_cert_match", StringComparison.Ordinal);

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static string Ends(string s) => (IsBlank(s[0]), IsBlank(s[^1])) switch
    {
        (true, true) => "begins and ends",
        (true, false) => "begins",
        _ => "ends",
    };

    private static string Describe(string separators) =>
        separators.Contains(':', StringComparison.Ordinal) ? "spaces, commas and ':'" : "spaces and commas";

    private static string Items(string[] parts) => parts.Length switch
    {
        0 => "no item at all",
        1 => $"'{Show(parts[0])}'",
        _ => $"{parts.Length.ToString(CultureInfo.InvariantCulture)} items: " + string.Join(", ", parts.Take(4).Select(p => $"'{Show(p)}'")) + (parts.Length > 4 ? ", ..." : string.Empty),
    };

    /// <summary>Text for a message, with control characters escaped.</summary>
    private static string Show(string s) => PostfixText.Printable(s, 80);

    /// <summary>What a checked token is (<c>The level</c>, <c>The protocols item</c>), as text only when something is reported.</summary>
    private readonly record struct TokenName(string? Attribute, string Noun)
    {
        public override string ToString() => Attribute is null ? $"The {Noun}" : $"The {Attribute} {Noun}";
    }

    /// <summary>The diagnostic parameter of a policy entry, <c>tls_policy[destination]</c>, made only when something is reported.</summary>
    private sealed class PolicyWhere(string destination)
    {
        private string? _text;

        public static implicit operator string(PolicyWhere where) => where.ToString();

        public override string ToString() => _text ??= $"tls_policy[{Show(destination)}]";
    }
}

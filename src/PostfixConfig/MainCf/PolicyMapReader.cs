using System.Collections.Immutable;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.MainCf;

/// <summary>
/// Reads the source file of a TLS policy table (what <c>postmap</c> compiles) into
/// <see cref="TlsPolicyEntry"/> values with positions: logical lines as in main.cf, each
/// <c>key whitespace value</c> (the key ends at the first unquoted whitespace), the value
/// <c>level attribute=value ...</c> split on whitespace and commas, with 3.10's <c>{ name = value }</c> tokens.
/// </summary>
internal static class PolicyMapReader
{
    private static readonly string[] SingleUse = ["protocols", "ciphers", "exclude", "servername"];

    public static (TlsPolicyTable Table, List<Diagnostic> Diagnostics) Read(string text, string? path)
    {
        var diagnostics = new List<Diagnostic>();
        var lines = LogicalLineReader.SplitPhysical(text);
        var entries = new List<TlsPolicyEntry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in LogicalLineReader.Join(text, lines))
        {
            var start = line.SpanAt(path, 0);
            if (line.IsTooLong)
            {
                diagnostics.Add(LogicalLineReader.TooLong(line, path, "entry"));
                continue;
            }

            if (line.IsOrphan)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.PolicyMapSyntax, null,
                    "This indented line comes before any entry; postmap ignores it (\"logical line must not start with whitespace\"). Remove the indentation.", start));
                continue;
            }

            var t = line.Text;
            var nul = t.IndexOf('\0', StringComparison.Ordinal);
            if (nul >= 0)
            {
                t = t[..nul];
            }

            if (!SplitKey(t, out var keyEnd, out var valueStart, out var valueEnd))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.PolicyMapSyntax, null,
                    $"\"{PostfixText.Printable(t, 40)}\" has an unbalanced '\"'; postmap skips this line. Close the quote.", start));
                continue;
            }

            var key = t[..keyEnd];
            if (key.Length == 0 || valueStart >= valueEnd || Tokenize(t, valueStart, valueEnd).Count == 0)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.PolicyMapSyntax, key.Length == 0 ? null : $"tls_policy[{key}]",
                    $"\"{PostfixText.Printable(t, 40)}\" is not 'destination level [attribute=value ...]'; postmap skips this line (\"expected format: key whitespace value\").", start));
                continue;
            }

            if (seen.TryGetValue(key, out var firstLine))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.PolicyMapDuplicateKey, $"tls_policy[{key}]",
                    $"'{key}' is already listed on line {firstLine}; postmap keeps the first entry (\"duplicate entry\") and ignores this one. Remove one of them.", start));
                continue;
            }

            seen[key] = start.Line;
            var entry = ParseValue(key, t, valueStart, valueEnd, line, path, diagnostics);
            entries.Add(entry with { Spans = entry.Spans.SetItem(string.Empty, start) });
        }

        return (TlsPolicyTable.Create(entries), diagnostics);
    }

    /// <summary>postmap: the key ends at the first whitespace outside double quotes (a backslash escapes one character).</summary>
    private static bool SplitKey(string t, out int keyEnd, out int valueStart, out int valueEnd)
    {
        var inQuotes = false;
        var i = 0;
        for (; i < t.Length; i++)
        {
            var c = t[i];
            if (c == '\\')
            {
                if (++i >= t.Length)
                {
                    break;
                }
            }
            else if (PostfixText.IsSpace(c))
            {
                if (!inQuotes)
                {
                    break;
                }
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
            }
        }

        keyEnd = Math.Min(i, t.Length);
        valueStart = keyEnd;
        while (valueStart < t.Length && PostfixText.IsSpace(t[valueStart]))
        {
            valueStart++;
        }

        valueEnd = t.Length;
        while (valueEnd > valueStart && PostfixText.IsSpace(t[valueEnd - 1]))
        {
            valueEnd--;
        }

        return !inQuotes;
    }

    private static TlsPolicyEntry ParseValue(string key, string t, int from, int to, LogicalLine line, string? path, List<Diagnostic> diagnostics)
    {
        var where = $"tls_policy[{key}]";
        var tokens = Tokenize(t, from, to);
        var level = tokens[0];
        var spans = ImmutableDictionary<string, SourceSpan>.Empty.SetItem("level", line.SpanAt(path, level.Offset));
        var entry = new TlsPolicyEntry(key, level.Text);
        var fingerprint = string.Equals(level.Text, "fingerprint", StringComparison.OrdinalIgnoreCase);
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens.Skip(1))
        {
            var span = line.SpanAt(path, token.Offset);
            var eq = token.Text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidPolicyAttributeValue, where,
                    $"'{PostfixText.Printable(token.Text)}' is not an attribute=value pair; Postfix treats the whole entry as invalid and defers mail for {key}. Write name=value without spaces around '='.",
                    span));
                continue;
            }

            var name = token.Text[..eq];
            var value = token.Text[(eq + 1)..];
            if (token.Braced)
            {
                name = name.Trim(PostfixText.CharsSpace.ToCharArray());
                value = value.Trim(PostfixText.CharsSpace.ToCharArray());
            }

            var lower = name.ToLowerInvariant();
            if (SingleUse.Contains(lower, StringComparer.Ordinal) && !given.Add(lower))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidPolicyAttributeValue, where,
                    $"{lower}= is given twice; Postfix treats the whole entry as invalid and defers mail for {key}. Keep one.", span));
                continue;
            }

            spans = spans.SetItem(lower is "protocols" or "ciphers" or "exclude" or "match" or "tafile" or "servername" or "connection_reuse" or "enable_rpk" ? lower : name, span);
            switch (lower)
            {
                case "protocols":
                    entry = entry with { Protocols = Split(value, ':') };
                    break;
                case "ciphers":
                    entry = entry with { Ciphers = value };
                    break;
                case "exclude":
                    entry = entry with { Exclude = Split(value, ':') };
                    break;
                case "match":
                    foreach (var m in Split(value, fingerprint ? '|' : ':'))
                    {
                        entry = entry with { Match = entry.Match.Add(m) };
                    }

                    break;
                case "tafile":
                    entry = entry with { TaFile = entry.TaFile.Add(value) };
                    break;
                case "servername":
                    entry = entry with { ServerName = value };
                    break;
                case "connection_reuse":
                case "enable_rpk":
                    if (!TryBoolean(value, out var b))
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidPolicyAttributeValue, where,
                            $"{lower}={PostfixText.Printable(value)} is not yes or no; Postfix treats the whole entry as invalid and defers mail for {key}.", span));
                        break;
                    }

                    entry = lower == "enable_rpk" ? entry with { EnableRpk = b } : entry with { ConnectionReuse = b };
                    break;
                default:
                    entry = entry with { OtherAttributes = entry.OtherAttributes.Add(new TlsPolicyAttributeValue(name, value)) };
                    break;
            }
        }

        return entry with { Spans = spans };
    }

    private static bool TryBoolean(string value, out bool result)
    {
        result = string.Equals(value, "yes", StringComparison.OrdinalIgnoreCase);
        return result || string.Equals(value, "no", StringComparison.OrdinalIgnoreCase);
    }

    private static ValueList<string> Split(string value, char separator) =>
        new([.. value.Split(separator, StringSplitOptions.RemoveEmptyEntries)]);

    private readonly record struct Token(string Text, int Offset, bool Braced);

    /// <summary>Tokens separated by whitespace and commas; a <c>{ ... }</c> group is one token (3.10).</summary>
    private static List<Token> Tokenize(string t, int from, int to)
    {
        var tokens = new List<Token>();
        var i = from;
        while (i < to)
        {
            if (PostfixText.IsCharsSpace(t[i]) || t[i] == ',')
            {
                i++;
                continue;
            }

            if (t[i] == '{')
            {
                var level = 1;
                var j = i + 1;
                while (j < to && level > 0)
                {
                    if (t[j] == '{')
                    {
                        level++;
                    }
                    else if (t[j] == '}')
                    {
                        level--;
                    }

                    j++;
                }

                var inner = level == 0 ? t[(i + 1)..(j - 1)] : t[(i + 1)..j];
                tokens.Add(new Token(inner, i, true));
                i = j;
                continue;
            }

            var start = i;
            while (i < to && !PostfixText.IsCharsSpace(t[i]) && t[i] != ',')
            {
                i++;
            }

            tokens.Add(new Token(t[start..i], start, false));
        }

        return tokens;
    }
}

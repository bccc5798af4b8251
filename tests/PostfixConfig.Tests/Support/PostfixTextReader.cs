namespace PostfixConfig.Tests.Support;

/// <summary>
/// A small, test-only reader of main.cf and of a policy map source file, written from how Postfix
/// reads them (readlline.c, split_nameval.c, smtp_tls_policy.c; /work/shared/reference/main-cf-syntax.md
/// and policy-table.md), not from the renderer: a line whose first non-blank character is '#' is a
/// comment, a line starting with whitespace continues the previous one, the name ends at whitespace or
/// '=', the value loses surrounding whitespace, and the last setting wins. Its fidelity is checked
/// against the real postconf in <see cref="Yaml.PropertyTests"/>.
/// </summary>
internal static class PostfixTextReader
{
    private static readonly char[] Blanks = [' ', '\t', '\r', '\v', '\f'];

    /// <summary>main.cf as name → value.</summary>
    public static Dictionary<string, string> MainCf(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var logical in LogicalLines(text))
        {
            var nameEnd = logical.IndexOfAny([' ', '\t', '=']);
            if (nameEnd <= 0)
            {
                throw new FormatException($"missing attribute name or '=': {logical}");
            }

            var rest = logical[nameEnd..].TrimStart(Blanks);
            if (!rest.StartsWith('='))
            {
                throw new FormatException($"missing '=' after attribute name: {logical}");
            }

            result[logical[..nameEnd]] = rest[1..].Trim(Blanks);
        }

        return result;
    }

    /// <summary>A map source file as (key, value) lines: the key ends at the first whitespace.</summary>
    public static List<(string Key, string Value)> Map(string text)
    {
        var result = new List<(string, string)>();
        foreach (var logical in LogicalLines(text))
        {
            var cut = logical.IndexOfAny([' ', '\t']);
            result.Add(cut < 0 ? (logical, string.Empty) : (logical[..cut], logical[cut..].Trim(Blanks)));
        }

        return result;
    }

    /// <summary>A policy map value read the way smtp(8) reads it, as the entry it stands for.</summary>
    public static TlsPolicyEntry PolicyEntry(string key, string value)
    {
        var tokens = value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        var entry = new TlsPolicyEntry(key, tokens[0]);
        var fingerprint = tokens[0].Equals("fingerprint", StringComparison.OrdinalIgnoreCase);
        foreach (var token in tokens.Skip(1))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || token.Contains('{', StringComparison.Ordinal))
            {
                throw new FormatException($"malformed attribute/value pair \"{token}\"");
            }

            var name = token[..eq];
            var v = token[(eq + 1)..];
            entry = name.ToLowerInvariant() switch
            {
                "protocols" => entry with { Protocols = [.. Split(v, ':')] },
                "exclude" => entry with { Exclude = [.. Split(v, ':')] },
                "match" => entry with { Match = [.. entry.Match, .. Split(v, fingerprint ? '|' : ':')] },
                "tafile" => entry with { TaFile = entry.TaFile.Add(v) },
                "ciphers" => entry with { Ciphers = v },
                "servername" => entry with { ServerName = v },
                "connection_reuse" => entry with { ConnectionReuse = v.Equals("yes", StringComparison.OrdinalIgnoreCase) },
                "enable_rpk" => entry with { EnableRpk = v.Equals("yes", StringComparison.OrdinalIgnoreCase) },
                _ => entry with { OtherAttributes = entry.OtherAttributes.Add(new TlsPolicyAttributeValue(name, v)) },
            };
        }

        return entry;
    }

    /// <summary>A main.cf list split as Postfix splits it: at commas and whitespace (and ':' where asked), not inside { }.</summary>
    public static List<string> SplitList(string value, bool colon)
    {
        var items = new List<string>();
        var current = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in value)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth--;
            }

            if (depth == 0 && (c is ',' or ' ' or '\t' || (colon && c == ':')))
            {
                if (current.Length > 0)
                {
                    items.Add(current.ToString());
                }

                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            items.Add(current.ToString());
        }

        return items;
    }

    private static string[] Split(string v, char separator) => v.Split(separator, StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<string> LogicalLines(string text)
    {
        string? current = null;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart(Blanks);
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (current is null)
                {
                    continue; // Postfix: "logical line must not start with whitespace"
                }

                current += line;
                continue;
            }

            if (current is not null)
            {
                yield return current;
            }

            current = line;
        }

        if (current is not null)
        {
            yield return current;
        }
    }
}

using YamlDotNet.Core;

namespace PostfixConfig.Yaml;

/// <summary>Turns YamlDotNet's parser messages into sentences a person understands.</summary>
internal static class YamlMessages
{
    public static string Explain(YamlException e)
    {
        var m = e.Message;
        // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 3) - (Line: ...): ".
        var cut = m.IndexOf("): ", StringComparison.Ordinal);
        if (m.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            m = m[(cut + 3)..];
        }

        if (m.Contains("found unexpected end of stream", StringComparison.Ordinal) && m.Contains("quoted scalar", StringComparison.Ordinal))
        {
            return "A quoted value is never closed; add the missing closing quote.";
        }

        if (m.Contains("mapping values are not allowed in this context", StringComparison.Ordinal))
        {
            return "A ':' appears where no new key can start; check the indentation of this line, or quote a value that contains ': '.";
        }

        if (m.Contains("did not find expected key", StringComparison.Ordinal) || m.Contains("did not find expected '-' indicator", StringComparison.Ordinal))
        {
            return "The indentation does not line up with the lines above; keys of one mapping must start in the same column.";
        }

        if (m.Contains("found character that cannot start any token", StringComparison.Ordinal))
        {
            return "This character cannot start a YAML value (a tab, '@' or '`'?); indent with spaces and quote values that start with special characters.";
        }

        if (m.Contains("did not find expected <document start>", StringComparison.Ordinal))
        {
            return "Unexpected text after the end of the document; check the indentation.";
        }

        return "The YAML is not well-formed: " + m.TrimEnd('.') + ".";
    }
}

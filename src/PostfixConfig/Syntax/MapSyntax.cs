namespace PostfixConfig.Syntax;

/// <summary>One table reference of a list: <c>type:name</c>, with <c>proxy:</c> unwrapped.</summary>
/// <param name="Text">The element as written.</param>
/// <param name="Type">The table type (the innermost one after <c>proxy:</c>), or <see langword="null"/> when there is no <c>:</c>.</param>
/// <param name="Name">What follows the type: a file name, or <c>{...}</c> for in-line forms.</param>
/// <param name="Proxied">Whether the reference went through <c>proxy:</c>.</param>
internal sealed record MapReference(string Text, string? Type, string Name, bool Proxied)
{
    /// <summary>Whether the table is written in-line, <c>type:{ ... }</c>.</summary>
    public bool IsInline => Name.StartsWith('{');
}

/// <summary>Splits lists of table references the way Postfix does, keeping <c>{ ... }</c> groups together.</summary>
internal static class MapSyntax
{
    /// <summary>The elements of a list, split on commas and whitespace outside braces.</summary>
    public static List<string> SplitElements(string text)
    {
        var elements = new List<string>();
        var depth = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ',';
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }

            var separator = depth == 0 && (c == ',' || char.IsWhiteSpace(c));
            if (separator)
            {
                if (start >= 0)
                {
                    elements.Add(text[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        return elements;
    }

    /// <summary>Reads one element as a table reference.</summary>
    public static MapReference Parse(string element)
    {
        var rest = element;
        var proxied = false;
        while (true)
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            var brace = rest.IndexOf('{', StringComparison.Ordinal);
            if (colon <= 0 || (brace >= 0 && brace < colon))
            {
                return new MapReference(element, null, rest, proxied);
            }

            var type = rest[..colon];
            var name = rest[(colon + 1)..];
            if (type == "proxy" && name.Contains(':', StringComparison.Ordinal) && !name.StartsWith('{'))
            {
                proxied = true;
                rest = name;
                continue;
            }

            return new MapReference(element, type, name, proxied);
        }
    }
}

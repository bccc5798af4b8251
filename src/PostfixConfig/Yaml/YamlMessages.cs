using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// Turns YamlDotNet's parser messages into sentences a person understands, and picks the position
/// that points at the cause (the opening bracket of a list that is never closed, not the end of the file).
/// </summary>
/// <remarks>
/// The patterns are the messages of YamlDotNet 18.1; <c>YamlMessagesTests</c> feeds one document per
/// case through the reader, so a changed message in a newer YamlDotNet shows up as a failing test.
/// </remarks>
internal static class YamlMessages
{
    private static readonly (string Pattern, string Sentence)[] Table =
    [
        ("refers to no anchor", "An alias (*name) refers to no anchor (&name) defined before it; define the anchor first, or write the value out."),
        ("found unexpected end of stream", "A quoted value is never closed; add the missing closing quote."),
        ("multi-line double-quoted scalar, found wrong indentation",
            "A double-quoted value is not closed on this line; add the closing \" (or, for a value that really spans lines, indent the following lines)."),
        ("found unknown escape character",
            "A double-quoted value contains an unknown escape such as \\q; write \\\\ for a backslash, or use single quotes, where backslashes are literal."),
        ("did not find expected hexadecimal number", "A \\x, \\u or \\U escape in a double-quoted value is not followed by hexadecimal digits."),
        ("invalid Unicode", "A \\u or \\U escape in a double-quoted value does not name a valid Unicode character."),
        ("found unexpected document indicator", "A quoted value runs into a '---' or '...' line; close the quote before it."),
        ("found invalid tab as indentation", "A tab character is used for indentation; YAML indents with spaces only."),
        ("found a tab character that violate indentation", "A tab character is used for indentation; YAML indents with spaces only."),
        ("found invalid mapping",
            "A ':' followed by a space appears inside a value, or this line is indented further than the key above it; quote a value that contains ': ', or line the key up with its neighbours."),
        ("Mapping values are not allowed in this context",
            "A ':' appears where no new key can start: quote a value that contains ': ', line this key up with its neighbours, or shorten a key longer than 1024 characters."),
        ("Mapping keys are not allowed in this context", "A '?' key indicator appears where no key can start; remove it or quote the value."),
        ("Block sequence entries are not allowed in this context",
            "A '- ' list item appears where a value was expected on the same line; put the list on the following lines, indented under the key."),
        ("did not find expected key",
            "This line does not line up with the lines above: the keys of one mapping must start in the same column (indent with spaces, not tabs)."),
        ("did not find expected '-' indicator", "This line does not line up with the list items above it: every '- ' of one list must start in the same column."),
        ("could not find expected ':'", "A key is not followed by ':'; write 'key: value', or quote text that spans several lines."),
        ("found character that cannot start any token",
            "This character cannot start a YAML value ('@', '`', or a tab?); quote values that start with special characters."),
        ("Did not find expected <document start>", "Unexpected text after the end of the document; check the indentation of this line."),
        ("did not find expected node content", "A value is missing here (for example after '- ' or inside brackets)."),
        ("found more than one anchor", "A value has two anchors (&name); keep one."),
        ("found undefined tag handle", "A tag such as !x!name uses a handle that no %TAG directive defines; remove the tag."),
        ("scanning a tag", "A tag (the '!' before a value) is malformed; remove it, or quote a value that starts with '!'."),
        ("anchor or alias", "An anchor (&name) or alias (*name) contains a character such as [ ] { } or ','; use letters, digits, '-' and '_'."),
        ("Anchor cannot be empty", "An anchor (&name) or alias (*name) is empty or contains a character such as [ ] { } or ','."),
        ("scanning a block scalar", "The header of a block value ('|' or '>') is malformed; write '|' or '>' alone at the end of the line."),
        ("literal block scalar", "The first line of a block value ('|' or '>') is indented more than the lines after it."),
        ("directive", "A '%' directive line is malformed; remove it (this file needs no directives)."),
        ("found invalid content after '...' marker", "Text follows a '...' document end marker on the same line; remove it."),
        ("found a comment between adjacent scalars", "A comment sits inside a value that spans several lines; move it above the key."),
        ("invalid comment after", "A comment must be separated from the value before it by a space."),
        ("did not find expected ',' or ']'", "A list in brackets is not closed with ']', or two of its items are not separated by ','."),
        ("did not find expected ',' or '}'", "A mapping in braces is not closed with '}', or two of its entries are not separated by ','."),
        ("Expected", "The YAML structure is incomplete here; check brackets, quotes and indentation."),
    ];

    /// <summary>A sentence for a YamlDotNet parse error, and the position it is best reported at.</summary>
    /// <param name="e">The parser's exception.</param>
    /// <param name="openFlow">The innermost flow collection (<c>[</c> or <c>{</c>) still open when it failed, if any.</param>
    public static (string Message, Mark Mark) Explain(YamlException e, ParsingEvent? openFlow)
    {
        var m = Strip(e.Message);
        if (openFlow is not null
            && (m.Contains("did not find expected ','", StringComparison.Ordinal) || m.Contains("expected node content", StringComparison.Ordinal)))
        {
            return (Unclosed(openFlow, e.Start), openFlow.Start);
        }

        foreach (var (pattern, sentence) in Table)
        {
            if (m.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return (sentence, e.Start);
            }
        }

        return ("The YAML is not well-formed: " + m.TrimEnd('.') + ".", e.Start);
    }

    /// <summary>
    /// YamlDotNet 18.1 throws <see cref="InvalidOperationException"/> (with no position) from its scanner
    /// for some unclosed flow collections; this explains it at the bracket, or at the last good position.
    /// </summary>
    public static (string Message, Mark Mark) ExplainScannerFault(ParsingEvent? openFlow, Mark lastGood) =>
        openFlow is not null
            ? (Unclosed(openFlow, lastGood), openFlow.Start)
            : ("The YAML is not well-formed after this point; check quotes, brackets and indentation.", lastGood);

    private static string Unclosed(ParsingEvent open, Mark noticed)
    {
        var (opening, closing, what) = open is SequenceStart ? ('[', ']', "list") : ('{', '}', "mapping");
        return string.Create(CultureInfo.InvariantCulture,
            $"The {what} opened with '{opening}' here is never closed; add '{closing}' (the parser gave up at line {noticed.Line}, column {noticed.Column}). Values that contain ',', '[' or ']' must be quoted.");
    }

    /// <summary>Removes a "(Line: 1, Col: 2, Idx: 3) - (Line: ...): " prefix that some YamlDotNet versions add.</summary>
    private static string Strip(string m)
    {
        var cut = m.IndexOf("): ", StringComparison.Ordinal);
        return m.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0 ? m[(cut + 3)..] : m;
    }
}

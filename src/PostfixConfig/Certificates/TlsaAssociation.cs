using System.Globalization;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Certificates;

/// <summary>
/// One TLSA record as published (or about to be): certificate usage, selector, matching type and
/// association data, with the owner name when it was read from a zone file line.
/// </summary>
/// <param name="Usage">The certificate usage (3 DANE-EE and 2 DANE-TA for SMTP; other values are kept as read).</param>
/// <param name="Selector">The selector (0 whole certificate, 1 public key; other values are kept as read).</param>
/// <param name="MatchingType">The matching type (0 full data, 1 SHA-256, 2 SHA-512; other values are kept as read).</param>
/// <param name="Data">The association data in lower-case hex.</param>
public sealed record TlsaAssociation(TlsaUsage Usage, TlsaSelector Selector, TlsaMatchingType MatchingType, string Data)
{
    /// <summary>The owner name of a zone file line (<c>_25._tcp.mail.example.com.</c>), or <see langword="null"/>.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Where the record was read (source name, line and column), or <see langword="null"/>.</summary>
    public SourceSpan? Span { get; init; }

    /// <summary>The record as <c>USAGE SELECTOR MATCHING DATA</c> (<c>3 1 1 ab12...</c>).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(int)Usage} {(int)Selector} {(int)MatchingType} {Data}");

    /// <summary>The record for messages: <c>3 1 1 0123456789abcdef...</c>.</summary>
    internal string Abbreviated() => string.Create(CultureInfo.InvariantCulture,
        $"{(int)Usage} {(int)Selector} {(int)MatchingType} {(Data.Length > 16 ? Data[..16] + "..." : Data)}");

    /// <summary>The association of a record made by <see cref="PostfixTls.Tlsa(IReadOnlyList{System.Security.Cryptography.X509Certificates.X509Certificate2}, TlsaOptions)"/>.</summary>
    public static TlsaAssociation FromRecord(TlsaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new TlsaAssociation(record.Usage, record.Selector, record.MatchingType, record.Data.ToLowerInvariant())
        {
            OwnerName = record.OwnerName,
        };
    }
}

/// <summary>
/// Reads TLSA records in the forms people copy around: <c>3 1 1 HEX</c>, zone file lines
/// (<c>_25._tcp.mx.example.com. 3600 IN TLSA 3 1 1 HEX</c>), <c>dig</c> output with the hex split
/// into words, records in parentheses over several lines, and <c>;</c> comments.
/// </summary>
internal static class TlsaParser
{
    /// <summary>More lines than a TLSA file has; a bigger input is refused, not read.</summary>
    public const int MaxRecords = 10_000;

    public static Result<IReadOnlyList<TlsaAssociation>> Parse(string text, string? source)
    {
        var records = new List<TlsaAssociation>();
        var diagnostics = new List<Diagnostic>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var tokens = Tokens(lines[i], lineNumber);
            if (tokens.Count == 0)
            {
                continue;
            }

            // A record in parentheses continues on the following lines up to the closing one.
            var open = tokens.FindIndex(t => t.Text == "(");
            if (open >= 0)
            {
                while (!tokens.Exists(t => t.Text == ")") && i + 1 < lines.Length)
                {
                    i++;
                    tokens.AddRange(Tokens(lines[i], i + 1));
                }

                if (!tokens.Exists(t => t.Text == ")"))
                {
                    diagnostics.Add(Error(source, tokens[open], "The record opens a parenthesis that is never closed. Close it with ')' after the data."));
                    break;
                }

                tokens.RemoveAll(t => t.Text is "(" or ")");
            }

            if (records.Count >= MaxRecords)
            {
                diagnostics.Add(Error(source, tokens[0], $"More than {MaxRecords} TLSA records; a server has a handful. Give only the records for the server probed."));
                break;
            }

            if (ParseRecord(tokens, source, diagnostics) is { } record)
            {
                records.Add(record);
            }
        }

        if (records.Count == 0 && diagnostics.Count == 0)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaSyntax, null,
                $"{source ?? "The input"} holds no TLSA record. Give records as 'USAGE SELECTOR MATCHING DATA' (3 1 1 followed by 64 hex digits) or as zone file lines."));
        }

        return new Result<IReadOnlyList<TlsaAssociation>>(records, DiagnosticList.Create(diagnostics));
    }

    private static TlsaAssociation? ParseRecord(List<Token> tokens, string? source, List<Diagnostic> diagnostics)
    {
        string? owner = null;
        var start = 0;
        var type = tokens.FindIndex(t => t.Text.Equals("TLSA", StringComparison.OrdinalIgnoreCase));
        if (type >= 0)
        {
            // OWNER [TTL] [CLASS] TLSA ...; a line may also start with the TTL or class (the owner from the line before).
            if (type > 0 && !IsNumber(tokens[0].Text) && !tokens[0].Text.Equals("IN", StringComparison.OrdinalIgnoreCase))
            {
                owner = tokens[0].Text;
            }

            start = type + 1;
        }
        else if (!IsNumber(tokens[0].Text))
        {
            diagnostics.Add(Error(source, tokens[0], $"'{Show(tokens[0].Text)}' does not start a TLSA record. Give 'USAGE SELECTOR MATCHING DATA' (3 1 1 followed by 64 hex digits) or a zone file line such as '_25._tcp.mail.example.com. IN TLSA 3 1 1 ...'."));
            return null;
        }

        var fields = tokens.Skip(start).ToList();
        if (fields.Count > 0 && fields[0].Text == "\\#")
        {
            diagnostics.Add(Error(source, fields[0], "The record is in the generic form (\\# LENGTH HEX), which is not read here. Give it as 'USAGE SELECTOR MATCHING DATA' (dig shows that form)."));
            return null;
        }

        if (fields.Count < 4)
        {
            var at = fields.Count > 0 ? fields[^1] : tokens[^1];
            diagnostics.Add(Error(source, at, "A TLSA record needs four fields: usage, selector, matching type and data (3 1 1 followed by 64 hex digits)."));
            return null;
        }

        var numbers = new int[3];
        string[] names = ["usage", "selector", "matching type"];
        for (var n = 0; n < 3; n++)
        {
            if (!IsNumber(fields[n].Text) || !int.TryParse(fields[n].Text, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[n]) || numbers[n] > 255)
            {
                diagnostics.Add(Error(source, fields[n], $"The {names[n]} '{Show(fields[n].Text)}' is not a number from 0 to 255 (SMTP uses usage 3 or 2, selector 1 or 0, matching type 1, 2 or 0)."));
                return null;
            }
        }

        var data = string.Concat(fields.Skip(3).Select(f => f.Text));
        var bad = data.AsSpan().IndexOfAnyExcept(HexDigits);
        if (bad >= 0)
        {
            var token = fields.Skip(3).First(f => f.Text.AsSpan().IndexOfAnyExcept(HexDigits) >= 0);
            var offset = token.Text.AsSpan().IndexOfAnyExcept(HexDigits);
            diagnostics.Add(Error(source, token with { Column = token.Column + offset },
                $"The data holds '{Show(token.Text[offset].ToString())}', which is not a hex digit. The data is the certificate or key digest in hex (64 digits for SHA-256)."));
            return null;
        }

        if (data.Length % 2 != 0)
        {
            diagnostics.Add(Error(source, fields[3], $"The data has {data.Length} hex digits, an odd number; each byte is two digits. Copy the whole record again."));
            return null;
        }

        return new TlsaAssociation((TlsaUsage)numbers[0], (TlsaSelector)numbers[1], (TlsaMatchingType)numbers[2], data.ToLowerInvariant())
        {
            OwnerName = owner,
            Span = new SourceSpan(source, tokens[0].Line, tokens[0].Column),
        };
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsNumber(string s) => s.Length > 0 && s.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    private static List<Token> Tokens(string line, int lineNumber)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == ';')
            {
                break; // a comment to the end of the line
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c is '(' or ')')
            {
                tokens.Add(new Token(c.ToString(), lineNumber, i + 1));
                i++;
                continue;
            }

            var begin = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('(' or ')' or ';'))
            {
                i++;
            }

            tokens.Add(new Token(line[begin..i], lineNumber, begin + 1));
        }

        return tokens;
    }

    private static Diagnostic Error(string? source, Token at, string message) =>
        new(DiagnosticSeverity.Error, DiagnosticCodes.TlsaSyntax, null, message, new SourceSpan(source, at.Line, at.Column));

    /// <summary>A token for a message: at most 40 characters, control characters escaped.</summary>
    private static string Show(string s)
    {
        var shown = s.Length > 40 ? s[..40] + "..." : s;
        return string.Concat(shown.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString()));
    }

    private readonly record struct Token(string Text, int Line, int Column);
}

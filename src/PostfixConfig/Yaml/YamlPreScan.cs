using System.Globalization;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Yaml;

/// <summary>
/// The one pre-scan of YAML text, for what YamlDotNet reports poorly or not at all: characters YAML
/// does not allow (control characters, which YamlDotNet accepts, and Unicode line separators, which it
/// counts as line breaks) and tabs in indentation. Every line is checked, not only the first. Text is
/// fed in pieces (<see cref="Scan"/>, as a stream passes by) or whole (<see cref="ScanText"/>), and
/// <see cref="Finish"/> gives the diagnostics.
/// </summary>
internal sealed class YamlPreScan
{
    /// <summary>The pre-scan reports at most this many problems; a binary file would otherwise give one per line.</summary>
    private const int MaxReports = 50;

    /// <summary>U+0000 to U+001F without the line feed (tab and carriage return included: they need a closer look).</summary>
    private static readonly System.Buffers.SearchValues<char> ControlsButNewline =
        System.Buffers.SearchValues.Create(string.Concat(Enumerable.Range(0, 0x20).Where(c => c != '\n').Select(c => (char)c)));

    private readonly List<(int Line, int Column, string Message)> _problems = [];
    private readonly List<int> _badLines = [];
    private readonly System.Text.StringBuilder _partial = new();
    private int _more;

    /// <summary>The 1-based line being read.</summary>
    public int Line { get; private set; } = 1;

    /// <summary>The 0-based column reached in <see cref="Line"/>.</summary>
    public int Column => _partial.Length;

    /// <summary>How many characters were scanned.</summary>
    public long Length { get; private set; }

    /// <summary>The (1-based) lines that have a problem, for the parse that blanks them out.</summary>
    public IReadOnlyList<int> BadLines => _badLines;

    /// <summary>
    /// Scans a whole text: the usual text, with no character that could be a problem, costs a few
    /// vectorised searches instead of a look at every character.
    /// </summary>
    public static YamlPreScan ScanText(string text)
    {
        var scan = new YamlPreScan();
        if (MayHaveLineProblem(text))
        {
            scan.Scan(text);
            scan.EndLine();
        }

        scan.Length = text.Length;
        return scan;
    }

    /// <summary>Scans the next piece of the text; lines that end in it are checked now, a partial last line when it ends.</summary>
    public void Scan(ReadOnlySpan<char> text)
    {
        Length += text.Length;
        while (text.Length > 0)
        {
            var newline = text.IndexOf('\n');
            if (newline < 0)
            {
                _partial.Append(text);
                return;
            }

            if (_partial.Length == 0)
            {
                Check(text[..newline]);
            }
            else
            {
                _partial.Append(text[..newline]);
                Check(_partial.ToString());
                _partial.Clear();
            }

            Line++;
            text = text[(newline + 1)..];
        }
    }

    /// <summary>Checks the partial last line (the text has ended).</summary>
    public void EndLine()
    {
        if (_partial.Length > 0)
        {
            Check(_partial.ToString());
            _partial.Clear();
        }
    }

    /// <summary>The diagnostics for what was found, in <paramref name="file"/>.</summary>
    public List<Diagnostic> Finish(string? file)
    {
        EndLine();
        var found = _problems.Select(p => new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null, p.Message, new SourceSpan(file, p.Line, p.Column))).ToList();
        if (_more > 0)
        {
            found.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                $"{_more.ToString("N0", CultureInfo.InvariantCulture)} more lines have the same kinds of problem (not listed one by one); is this a YAML text file?",
                new SourceSpan(file, Line, 1)));
        }

        return found;
    }

    private void Check(ReadOnlySpan<char> line)
    {
        if (LineProblem(line) is not { } problem)
        {
            return;
        }

        _badLines.Add(Line);
        if (_problems.Count < MaxReports)
        {
            _problems.Add((Line, problem.Column, problem.Message));
        }
        else
        {
            _more++;
        }
    }

    /// <summary>
    /// Whether <see cref="LineProblem"/> could find anything: false when the text has no tab, no
    /// carriage return, no control character, no Unicode line separator, no surrogate, no
    /// non-character and no byte-order mark after the start.
    /// </summary>
    private static bool MayHaveLineProblem(string yaml)
    {
        var text = yaml.AsSpan();
        return text.IndexOfAny(ControlsButNewline) >= 0
            || text.IndexOfAnyInRange('\u007f', '\u009f') >= 0
            || text.IndexOfAny('\u2028', '\u2029') >= 0
            || text.IndexOfAnyInRange('\ud800', '\udfff') >= 0
            || text.IndexOfAny('\ufffe', '\uffff') >= 0
            || (text.Length > 1 && text[1..].Contains('\ufeff'));
    }

    /// <summary>The first problem of one line (without its line feed), with its 1-based column.</summary>
    private (string Message, int Column)? LineProblem(ReadOnlySpan<char> line)
    {
        // Tabs in the leading whitespace (a tab before a comment is harmless).
        for (var j = 0; j < line.Length && (line[j] == ' ' || line[j] == '\t'); j++)
        {
            if (line[j] == '\t' && j + 1 < line.Length && line[j + 1] != '#' && line[j + 1] != '\r')
            {
                return ("A tab character is used for indentation; YAML indents with spaces only.", j + 1);
            }
        }

        for (var j = 0; j < line.Length; j++)
        {
            var c = line[j];
            var what = c switch
            {
                '\t' => null,
                '\r' when j + 1 == line.Length => null,
                '\r' => "a carriage return in the middle of a line",
                '\0' => "a NUL character",
                '\u0085' or '\u2028' or '\u2029' => $"the Unicode line separator U+{(int)c:X4}",
                '\uFEFF' when j == 0 && Line == 1 => null,
                '\uFFFE' or '\uFFFF' => $"the non-character U+{(int)c:X4}",
                _ when char.IsHighSurrogate(c) && j + 1 < line.Length && char.IsLowSurrogate(line[j + 1]) => null,
                _ when char.IsLowSurrogate(c) && j > 0 && char.IsHighSurrogate(line[j - 1]) => null,
                _ when char.IsSurrogate(c) => $"a lone UTF-16 surrogate U+{(int)c:X4} (not a character)",
                _ when char.IsControl(c) => $"the control character U+{(int)c:X4}",
                _ => null,
            };
            if (what is not null)
            {
                return (what.StartsWith("the Unicode line separator", StringComparison.Ordinal)
                    ? $"The text contains {what}; YAML reads it as a line break, so neither the value nor the line numbers would be what you see. Remove it."
                    : $"The text contains {what}, which YAML does not allow; remove it (binary data or a damaged file?).", j + 1);
            }
        }

        return null;
    }
}

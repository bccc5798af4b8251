using System.Text;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Yaml;

/// <summary>
/// Reading text with error recovery: after a syntax error the offending lines (and the lines nested
/// under them) are blanked out and the text is parsed again, so that one run reports the problems
/// further down the file too.
/// </summary>
internal sealed partial class ConfigYamlReader
{
    /// <summary>How many times the reader re-parses after a syntax error to find further problems.</summary>
    private const int MaxRecoveryRounds = 10;

    /// <summary>Inputs longer than this are not re-parsed after a syntax error (only the first one is reported).</summary>
    private const int MaxRecoveryInputChars = 1 << 20;

    public static Result<TlsConfiguration> Read(string yaml, string? file, LoadOptions options)
    {
        if (yaml.Length > options.MaxInputChars)
        {
            return Fail(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                $"The input is {Count(yaml.Length)} characters long; the limit is {Count(options.MaxInputChars)}.",
                new SourceSpan(file, 1, 1)));
        }

        var scan = YamlPreScan.ScanText(yaml);
        var diagnostics = scan.Finish(file);
        var badLines = scan.BadLines;

        // Parse; after a syntax error, blank out the offending lines (and the lines nested under them)
        // and parse again, so that one run reports the problems further down the file too.
        var blanked = new HashSet<int>(badLines);
        var lines = yaml.Length <= MaxRecoveryInputChars ? SplitLines(yaml) : null;

        Outcome outcome;
        for (var round = 0; ; round++)
        {
            var text = blanked.Count == 0 || lines is null ? yaml : Blank(lines, blanked);
            outcome = YamlEvents.Read(() => new StringReader(text), text.Length, options, events => ReadOnce(events, file, options));
            if (outcome.Syntax is not { } syntax)
            {
                break;
            }

            // A line blanked earlier may have defined an anchor: an alias to it is then a follow-on error, not a new one.
            var followOn = round > 0 && syntax.Message.StartsWith("An alias (*name) refers to no anchor", StringComparison.Ordinal);
            if (!blanked.Contains(syntax.Span!.Value.Line) && !followOn)
            {
                diagnostics.Add(syntax);
            }

            var before = blanked.Count;
            if (lines is not null && round < MaxRecoveryRounds)
            {
                for (var line = outcome.SyntaxFirstLine; line <= syntax.Span!.Value.Line; line++)
                {
                    blanked.Add(line);
                    BlankChildren(lines, line, blanked);
                }
            }

            if (blanked.Count == before)
            {
                break;
            }
        }

        diagnostics.AddRange(outcome.Structural);
        var config = outcome.Config is null ? null : outcome.Config with { SourcePath = file };
        return new Result<TlsConfiguration>(config, DiagnosticList.Create(diagnostics));
    }

    private static string[] SplitLines(string yaml) => yaml.Split('\n');

    /// <summary>The text with the given (1-based) lines emptied; line numbers and the other lines' columns stay the same.</summary>
    private static string Blank(string[] lines, HashSet<int> blanked)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            if (!blanked.Contains(i + 1))
            {
                sb.Append(lines[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// When <paramref name="line"/> opens a block (<c>key:</c> at the end of the line), adds the lines
    /// indented under it, which make no sense without it.
    /// </summary>
    private static void BlankChildren(string[] lines, int line, HashSet<int> blanked)
    {
        if (line < 1 || line > lines.Length)
        {
            return;
        }

        var own = lines[line - 1];
        var comment = own.IndexOf(" #", StringComparison.Ordinal);
        if (!(comment < 0 ? own : own[..comment]).TrimEnd().EndsWith(':'))
        {
            return;
        }

        var indent = Indent(own);
        for (var i = line; i < lines.Length; i++)
        {
            var text = lines[i];
            var trimmed = text.TrimStart(' ', '\t');
            if (trimmed.Length == 0 || trimmed[0] == '#' || trimmed == "\r")
            {
                continue;
            }

            if (Indent(text) <= indent)
            {
                break;
            }

            blanked.Add(i + 1);
        }
    }

    private static int Indent(string line)
    {
        var n = 0;
        while (n < line.Length && (line[n] == ' ' || line[n] == '\t'))
        {
            n++;
        }

        return n;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// Reads the YAML configuration shape (<c>postfix_version</c>, <c>main</c>, <c>tls_policy</c>) straight
/// from the parser's events into the model, recording source positions and reporting every
/// structural problem it can in one pass. Names and values are checked later by validation.
/// </summary>
internal sealed partial class ConfigYamlReader
{
    /// <summary>
    /// The top-level keys this reader accepts, the one list of them, in the order documentation
    /// lists them: the JSON Schema must describe each (a test checks), and unknown-key hints and
    /// messages come from here.
    /// </summary>
    internal static readonly string[] TopLevelKeys = ["postfix_version", "openssl_version", "profile", "main", "services", "sni", "tls_policy"];

    /// <summary>The top-level keys as a phrase for messages.</summary>
    private static readonly string TopLevelKeyList = string.Join(", ", TopLevelKeys[..^1]) + " and " + TopLevelKeys[^1];

    /// <summary>How many times the reader re-parses after a syntax error to find further problems.</summary>
    private const int MaxRecoveryRounds = 10;

    /// <summary>Inputs longer than this are not re-parsed after a syntax error (only the first one is reported).</summary>
    private const int MaxRecoveryInputChars = 1 << 20;

    /// <summary>The pre-scan reports at most this many problems; a binary file would otherwise give one per line.</summary>
    private const int MaxPreScanReports = 50;

    /// <summary>U+0000 to U+001F without the line feed (tab and carriage return included: they need a closer look).</summary>
    private static readonly System.Buffers.SearchValues<char> ControlsButNewline =
        System.Buffers.SearchValues.Create(string.Concat(Enumerable.Range(0, 0x20).Where(c => c != '\n').Select(c => (char)c)));

    /// <summary>Tags a value may carry: YAML's core schema (<c>!!str</c>, ...) and the non-specific <c>!</c>.</summary>
    private static readonly string[] CoreTags =
    [
        "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly YamlEventSource _events;
    private readonly string? _file;
    private readonly LoadOptions _options;
    private readonly List<Diagnostic> _diagnostics = [];
    private int _depth;

    private ConfigYamlReader(IParser parser, string? file, LoadOptions options)
    {
        _events = new YamlEventSource(parser, options.MaxAliasExpansion);
        _file = file;
        _options = options;
    }

    /// <summary>
    /// Reads a file into memory: at most <see cref="LoadOptions.MaxInputChars"/> characters are read (so a device or
    /// pipe that never ends is refused, not read into memory), and the bytes must be valid UTF-8 (or
    /// UTF-16 with a byte order mark).
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    private static Result<TlsConfiguration> ReadWholeFile(string path, LoadOptions options)
    {
        // UTF-8 needs at most 3 bytes per UTF-16 character; one more byte tells "too long" from "just fits".
        var maxBytes = (options.MaxInputChars * 3L) + 4;
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            if (stream.CanSeek && stream.Length > maxBytes)
            {
                return Fail(TooLarge(path, options));
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0)
            {
                // UTF-8 text has no NUL bytes: stop at the first one (binary data, /dev/zero) instead of reading on.
                var nul = Array.IndexOf(chunk, (byte)0, 0, n);
                var utf16 = buffer.Length + n >= 2 && (buffer.Length > 0 ? buffer.GetBuffer()[0] : chunk[0]) is 0xFF or 0xFE;
                if (nul >= 0 && !utf16)
                {
                    buffer.Write(chunk, 0, nul + 1);
                    bytes = buffer.ToArray();
                    return Decode(bytes) is { } prefix
                        ? Fail(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                            "The file contains a NUL byte, so it is not a YAML text file (binary data?); reading stopped there.",
                            new SourceSpan(path, 1 + prefix.Count(c => c == '\n'), prefix.Length - prefix.LastIndexOf('\n') - 1)))
                        : Fail(InvalidEncoding(bytes, path));
                }

                buffer.Write(chunk, 0, n);
                if (buffer.Length > maxBytes)
                {
                    return Fail(TooLarge(path, options));
                }
            }

            bytes = buffer.ToArray();
        }

        return Decode(bytes) is { } text
            ? Read(text, path, options)
            : Fail(InvalidEncoding(bytes, path));
    }

    public static Result<TlsConfiguration> Read(string yaml, string? file, LoadOptions options)
    {
        if (yaml.Length > options.MaxInputChars)
        {
            return Fail(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                $"The input is {Count(yaml.Length)} characters long; the limit is {Count(options.MaxInputChars)}.",
                new SourceSpan(file, 1, 1)));
        }

        var diagnostics = PreScan(yaml, file, out var badLines);

        // Parse; after a syntax error, blank out the offending lines (and the lines nested under them)
        // and parse again, so that one run reports the problems further down the file too.
        var blanked = new HashSet<int>(badLines);
        var lines = yaml.Length <= MaxRecoveryInputChars ? SplitLines(yaml) : null;

        Outcome outcome;
        for (var round = 0; ; round++)
        {
            outcome = ReadOnce(blanked.Count == 0 || lines is null ? yaml : Blank(lines, blanked), file, options);
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

    /// <summary>What one parse found: the model (as far as it got), structural problems, and the syntax error that stopped it.</summary>
    private sealed record Outcome(TlsConfiguration? Config, List<Diagnostic> Structural, Diagnostic? Syntax, int SyntaxFirstLine);

    /// <summary>
    /// One parse: with <see cref="SubsetYamlParser"/> when the text is inside its subset (the fast path
    /// for large policy tables), else with YamlDotNet's parser, which reads everything and reports what
    /// is wrong.
    /// </summary>
    private static Outcome ReadOnce(string yaml, string? file, LoadOptions options)
    {
        if (!options.YamlDotNetOnly)
        {
            try
            {
                return ReadOnce(new SubsetYamlParser(new StringReader(yaml), yaml.Length), file, options);
            }
            catch (NotInSubsetException)
            {
                // fall through to YamlDotNet
            }
        }

        return ReadOnce(new Parser(new Scanner(new StringReader(yaml), skipComments: true)), file, options);
    }

    private static Outcome ReadOnce(IParser parser, string? file, LoadOptions options)
    {
        var r = new ConfigYamlReader(parser, file, options);
        try
        {
            return new Outcome(r.ReadStream(), r._diagnostics, null, 0);
        }
        catch (AliasBudgetExceededException e)
        {
            r.Error(DiagnosticCodes.AliasExpansionTooLarge, null,
                $"YAML anchors and aliases expand to more than {Count(options.MaxAliasExpansion)} nodes (an 'alias bomb'?); "
                + "write the values out instead of repeating aliases.", e.StartMark);
        }
        catch (YamlLimitException e)
        {
            r.Error(DiagnosticCodes.InputTooLarge, null, e.Message, e.Start);
        }
        catch (YamlException e)
        {
            var (message, mark) = YamlMessages.Explain(e, r._events.OpenFlowCollection);
            return r.SyntaxOutcome(message, mark);
        }
        catch (YamlScannerFaultException)
        {
            var (message, mark) = YamlMessages.ExplainScannerFault(r._events.OpenFlowCollection, r._events.LastTextEnd);
            return r.SyntaxOutcome(message, mark);
        }

        return new Outcome(null, r._diagnostics, null, 0);
    }

    private Outcome SyntaxOutcome(string message, Mark mark)
    {
        var syntax = new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null, message, Span(mark));
        return new Outcome(null, _diagnostics, syntax, syntax.Span!.Value.Line);
    }

    private static Diagnostic TooLarge(string path, LoadOptions options) =>
        new(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
            $"The file is larger than the limit of {Count(options.MaxInputChars)} characters (LoadOptions.MaxInputChars); is it the right file?",
            new SourceSpan(path, 1, 1));

    private static Result<TlsConfiguration> Fail(Diagnostic d) => new(null, DiagnosticList.Create([d]));

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The text of a file: UTF-8 (a byte order mark is skipped), or UTF-16 with a byte order mark; null when the bytes are not valid.</summary>
    private static string? Decode(byte[] bytes)
    {
        try
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(bytes, 2, bytes.Length - 2);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            {
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(bytes, 2, bytes.Length - 2);
            }

            var skip = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return StrictUtf8.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Where the first byte that is not UTF-8 is, as a line and column of the text before it.</summary>
    private static Diagnostic InvalidEncoding(byte[] bytes, string path)
    {
        var valid = bytes.AsSpan();
        var status = System.Text.Unicode.Utf8.ToUtf16(valid, new char[valid.Length], out var read, out _, replaceInvalidSequences: false);
        var prefix = status == System.Buffers.OperationStatus.Done ? string.Empty : StrictUtf8.GetString(bytes, 0, read);
        var line = 1 + prefix.Count(c => c == '\n');
        var column = prefix.Length - (prefix.LastIndexOf('\n') + 1) + 1;
        return new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
            string.Create(CultureInfo.InvariantCulture,
                $"The file is not UTF-8 text (byte 0x{(read < bytes.Length ? bytes[read] : 0):X2} at offset {read} cannot start a character); save it as UTF-8."),
            new SourceSpan(path, line, column));
    }

    /// <summary>
    /// Checks that YamlDotNet reports poorly or not at all: characters YAML does not allow (control
    /// characters, which YamlDotNet accepts, and Unicode line separators, which it counts as line breaks)
    /// and tabs in indentation. Every line is checked, not only the first.
    /// </summary>
    private static List<Diagnostic> PreScan(string yaml, string? file, out List<int> badLines)
    {
        var found = new List<Diagnostic>();
        badLines = [];
        if (!MayHaveLineProblem(yaml))
        {
            return found; // the usual text: a few vectorised scans instead of a look at every character
        }

        var more = 0;
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i <= yaml.Length; i++)
        {
            if (i < yaml.Length && yaml[i] != '\n')
            {
                continue;
            }

            if (LineProblem(yaml, lineStart, i) is { } problem)
            {
                badLines.Add(line);
                if (found.Count < MaxPreScanReports)
                {
                    found.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null, problem.Message,
                        new SourceSpan(file, line, problem.Column)));
                }
                else
                {
                    more++;
                }
            }

            line++;
            lineStart = i + 1;
        }

        if (more > 0)
        {
            found.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                $"{Count(more)} more lines have the same kinds of problem (not listed one by one); is this a YAML text file?",
                new SourceSpan(file, line - 1, 1)));
        }

        return found;
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

    private static (string Message, int Column)? LineProblem(string yaml, int start, int end)
    {
        // Tabs in the leading whitespace (a tab before a comment is harmless).
        for (var j = start; j < end && (yaml[j] == ' ' || yaml[j] == '\t'); j++)
        {
            if (yaml[j] == '\t' && j + 1 < end && yaml[j + 1] != '#' && yaml[j + 1] != '\r')
            {
                return ("A tab character is used for indentation; YAML indents with spaces only.", j - start + 1);
            }
        }

        for (var j = start; j < end; j++)
        {
            var c = yaml[j];
            var what = c switch
            {
                '\t' or '\n' => null,
                '\r' when j + 1 == end || (j + 1 < yaml.Length && yaml[j + 1] == '\n') => null,
                '\r' => "a carriage return in the middle of a line",
                '\0' => "a NUL character",
                '\u0085' or '\u2028' or '\u2029' => $"the Unicode line separator U+{(int)c:X4}",
                '\uFEFF' when j == 0 => null,
                '\uFFFE' or '\uFFFF' => $"the non-character U+{(int)c:X4}",
                _ when char.IsHighSurrogate(c) && j + 1 < end && char.IsLowSurrogate(yaml[j + 1]) => null,
                _ when char.IsLowSurrogate(c) && j > start && char.IsHighSurrogate(yaml[j - 1]) => null,
                _ when char.IsSurrogate(c) => $"a lone UTF-16 surrogate U+{(int)c:X4} (not a character)",
                _ when char.IsControl(c) => $"the control character U+{(int)c:X4}",
                _ => null,
            };
            if (what is not null)
            {
                return (what.StartsWith("the Unicode line separator", StringComparison.Ordinal)
                    ? $"The text contains {what}; YAML reads it as a line break, so neither the value nor the line numbers would be what you see. Remove it."
                    : $"The text contains {what}, which YAML does not allow; remove it (binary data or a damaged file?).", j - start + 1);
            }
        }

        return null;
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

    private SourceSpan Span(Mark mark) => new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private void Error(string code, string? parameter, string message, Mark mark) => Error(code, parameter, message, Span(mark));

    private void Error(string code, string? parameter, string message, SourceSpan span) =>
        _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, parameter, message, span));

    /// <summary>Where the current event starts, as a source position (without building the event).</summary>
    private SourceSpan StartSpan() => new(_file, _events.StartLine, _events.StartColumn);

    private void Next()
    {
        if (!_events.MoveNext())
        {
            throw new YamlException(_events.Current?.End ?? Mark.Empty, _events.Current?.End ?? Mark.Empty, "The document ended unexpectedly.");
        }
    }

    private TlsConfiguration? ReadStream()
    {
        Next(); // StreamStart
        Next();
        if (_events.Current is StreamEnd)
        {
            Error(DiagnosticCodes.NotOneDocument, null, $"The file is empty; expected a mapping with {TopLevelKeyList}.", _events.Start);
            return null;
        }

        // DocumentStart
        Next();
        TlsConfiguration? config = null;
        if (_events.Current is MappingStart)
        {
            config = ReadRoot();
        }
        else
        {
            Error(DiagnosticCodes.WrongShape, null, $"The document must be a mapping with the keys {TopLevelKeyList}, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
        }

        // The node has been consumed: the current event is DocumentEnd.
        Next();
        if (_events.Current is DocumentStart)
        {
            Error(DiagnosticCodes.NotOneDocument, null, "The file holds more than one YAML document; put everything in one.", _events.Start);
        }

        return config;
    }

    private TlsConfiguration ReadRoot()
    {
        var config = new TlsConfiguration();
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var key = ReadKey(seen, null);
            if (key is null)
            {
                SkipNode();
                continue;
            }

            switch (key)
            {
                case "postfix_version":
                    if (ReadScalar("postfix_version") is { } scalar)
                    {
                        var (text, mark) = scalar;
                        if (PostfixVersion.TryParse(text, out var v))
                        {
                            config = config with { PostfixVersion = v };
                        }
                        else
                        {
                            Error(DiagnosticCodes.InvalidPostfixVersion, "postfix_version",
                                $"'{text}' is not a Postfix release; write it as a quoted string such as \"3.7\" or \"3.7.11\".", mark);
                        }
                    }

                    break;
                case "openssl_version":
                    if (ReadScalar("openssl_version") is { } ssl)
                    {
                        if (OpenSslVersion.TryParse(ssl.Text, out var o))
                        {
                            config = config with { OpenSslVersion = o, OpenSslVersionSpan = Span(ssl.Mark) };
                        }
                        else
                        {
                            Error(DiagnosticCodes.InvalidOpenSslVersion, "openssl_version",
                                $"'{PostfixText.Printable(ssl.Text)}' is not an OpenSSL version; write it as a quoted string such as \"3.0\" or \"1.1.1\" (what 'openssl version' prints on the mail host).", ssl.Mark);
                        }
                    }

                    break;
                case "profile":
                    if (ReadScalar("profile") is { } named)
                    {
                        if (Catalog.ProfileCatalog.Parse(named.Text) is { } profile)
                        {
                            config = config with { Profile = profile, ProfileSpan = Span(named.Mark) };
                        }
                        else
                        {
                            var near = Catalog.ProfileCatalog.ProfileNames.FirstOrDefault(n => n.Equals(named.Text, StringComparison.OrdinalIgnoreCase) || IsClose(n, named.Text));
                            Error(DiagnosticCodes.UnknownProfile, "profile",
                                $"Unknown profile '{PostfixText.Printable(named.Text)}'; the profiles are {string.Join(", ", Catalog.ProfileCatalog.ProfileNames)}"
                                + (near is null ? "." : $" (did you mean '{near}'?)."), named.Mark);
                        }
                    }

                    break;
                case "main":
                    config = config with { Main = ReadParameters("main", null) };
                    break;
                case "services":
                    config = config with { Services = ReadServices() };
                    break;
                case "sni":
                    config = config with { Sni = ReadSni() };
                    break;
                case "tls_policy":
                    config = config with { TlsPolicy = _options.GeneralPolicyReader ? ReadPolicy() : ReadPolicyFast() };
                    break;
                default:
                    var hint = TopLevelKeys.FirstOrDefault(k => IsClose(k, key));
                    Error(DiagnosticCodes.UnknownTopLevelKey, null,
                        $"Unknown top-level key '{PostfixText.Printable(key)}'; the keys are {TopLevelKeyList}"
                        + (hint is null ? "." : $" (did you mean '{hint}'?)."), keyMark);
                    SkipNode();
                    break;
            }
        }

        Next();
        return config;
    }

    private static bool IsClose(string a, string b) =>
        a.Replace("_", "", StringComparison.Ordinal).Equals(b.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)
        || (b.Length > 3 && a.StartsWith(b[..4], StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a mapping key; reports non-scalar and duplicate keys and returns null for them.</summary>
    private string? ReadKey(Dictionary<string, (long Line, long Column)> seen, string? context)
    {
        var mark = _events.Start;
        if (_events.Current is not Scalar scalar)
        {
            Error(DiagnosticCodes.WrongShape, context, $"A key must be a plain name, not {Describe(_events.Current)}.", mark);
            SkipNode();
            return null;
        }

        Next();
        var key = scalar.Value;
        if (key == "<<" && scalar.Style == ScalarStyle.Plain)
        {
            Error(DiagnosticCodes.WrongShape, context,
                "YAML merge keys ('<<: *anchor') are not supported; write the keys out (an alias can still stand for a whole value or list).", mark);
            return null;
        }

        CheckTag(scalar, context);
        if (seen.TryGetValue(key, out var first))
        {
            var shown = PostfixText.Printable(key);
            Error(DiagnosticCodes.DuplicateKey, context is null ? shown : $"{context}[{shown}]",
                $"'{shown}' is given twice in the same mapping (first at line {first.Line.ToString(CultureInfo.InvariantCulture)}, column {first.Column.ToString(CultureInfo.InvariantCulture)}); only one can count. Remove one of them.",
                mark);
            return null;
        }

        seen[key] = (mark.Line, mark.Column);
        return key;
    }

    /// <summary>
    /// A mapping of Postfix parameter names to values (<c>main</c>, or one service of <c>services</c>,
    /// whose <paramref name="reserved"/> reader takes the keys that are not parameters).
    /// </summary>
    private ParameterMap ReadParameters(string context, Func<string, Mark, bool>? reserved)
    {
        var map = ParameterMap.Empty;
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return map;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, context, $"'{context}' must be a mapping of Postfix parameter names to values, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return map;
        }

        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        var parameters = new List<(string, PostfixValue, SourceSpan?)>();
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var name = ReadKey(seen, context == "main" ? null : context);
            if (name is { Length: 0 })
            {
                Error(DiagnosticCodes.InvalidParameterName, context,
                    $"An entry of '{context}' has an empty name; every entry needs a parameter name, as in 'smtpd_tls_security_level: may'.", keyMark);
                name = null;
            }

            if (name is null)
            {
                SkipNode();
                continue;
            }

            if (reserved is not null && reserved(name, keyMark))
            {
                continue;
            }

            var value = ReadValue(name);
            if (value is not null)
            {
                parameters.Add((name, value, Span(keyMark)));
            }
        }

        Next();
        return ParameterMap.Create(parameters);
    }

    /// <summary><c>sni</c>: host names or <c>.domain</c>s mapped to their key and certificate chain files (a list, or one combined file).</summary>
    private SniTable ReadSni()
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return SniTable.Empty;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, "sni",
                $"'sni' must be a mapping from host names to [key file, certificate chain file], not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return SniTable.Empty;
        }

        var entries = new List<SniEntry>();
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var name = ReadKey(seen, "sni");
            if (name is null)
            {
                SkipNode();
                continue;
            }

            var filesMark = _events.Start;
            var context = $"sni[{PostfixText.Printable(name)}]";
            if (ReadValue(context) is { } files)
            {
                entries.Add(new SniEntry(name, files.AsList()) { Span = Span(keyMark), FilesSpan = Span(filesMark) });
            }
        }

        Next();
        return SniTable.Create(entries);
    }

    /// <summary><c>services</c>: service names mapped to their overrides (and <c>listen</c>).</summary>
    private ServiceTable ReadServices()
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return ServiceTable.Empty;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, "services",
                $"'services' must be a mapping from service names (submission, submissions) to their settings, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return ServiceTable.Empty;
        }

        var services = new List<ServiceSettings>();
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        Enter(_events.Start);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var name = ReadKey(seen, "services");
            if (name is null)
            {
                SkipNode();
                continue;
            }

            string? listen = null;
            SourceSpan? listenSpan = null;
            var context = $"services.{PostfixText.Printable(name)}";
            var overrides = ReadParameters(context, (key, mark) =>
            {
                if (key != "listen")
                {
                    return false;
                }

                if (ReadScalar($"{context}.listen") is { } l)
                {
                    (listen, listenSpan) = (l.Text, Span(l.Mark));
                }

                return true;
            });
            services.Add(new ServiceSettings(name) { Overrides = overrides, Listen = listen, ListenSpan = listenSpan, Span = Span(keyMark) });
        }

        Next();
        _depth--;
        return ServiceTable.Create(services);
    }

    /// <summary>A parameter value: a scalar or a list of scalars.</summary>
    private PostfixValue? ReadValue(string parameter)
    {
        var mark = _events.Start;
        switch (_events.Current)
        {
            case Scalar s:
                Next();
                return PostfixValue.Of(ScalarText(s, parameter), Span(mark));
            case SequenceStart start:
                CheckTag(start, parameter);
                Enter(mark);
                Next();
                var items = ImmutableArray.CreateBuilder<string>();
                var length = 0L;
                var tooLong = false;
                while (_events.Current is not SequenceEnd)
                {
                    if (_events.Current is Scalar item)
                    {
                        var text = ScalarText(item, parameter);
                        length += text.Length + 2;
                        if (length > _options.MaxValueLength && !tooLong)
                        {
                            tooLong = true;
                            Error(DiagnosticCodes.InputTooLarge, parameter,
                                $"The list is longer than {Count(_options.MaxValueLength)} characters in all (LoadOptions.MaxValueLength); shorten it.", mark);
                        }

                        if (!tooLong)
                        {
                            items.Add(text);
                        }

                        Next();
                    }
                    else
                    {
                        Error(DiagnosticCodes.WrongShape, parameter, $"A list item of {parameter} must be a single value, not {Describe(_events.Current)}.", _events.Start);
                        SkipNode();
                    }
                }

                Next();
                _depth--;
                return tooLong ? null : PostfixValue.OfList(items.ToImmutable(), Span(mark));
            default:
                Error(DiagnosticCodes.WrongShape, parameter, $"The value of {parameter} must be a single value or a list, not {Describe(_events.Current)}.", mark);
                SkipNode();
                return null;
        }
    }

    private string ScalarText(Scalar s, string? parameter)
    {
        if (s.Value.Length > _options.MaxValueLength)
        {
            Error(DiagnosticCodes.InputTooLarge, parameter,
                $"The value is {Count(s.Value.Length)} characters long; the limit is {Count(_options.MaxValueLength)} (LoadOptions.MaxValueLength).", s.Start);
            return string.Empty;
        }

        CheckTag(s, parameter);
        return s.Tag.IsEmpty || s.Tag.Value != "tag:yaml.org,2002:str" ? PlainText(s.Value, s.Style) : s.Value;
    }

    /// <summary>The text of an untagged scalar: a plain null is empty, a plain boolean is Postfix's yes or no.</summary>
    private static string PlainText(string value, ScalarStyle style)
    {
        if (style == ScalarStyle.Plain)
        {
            switch (value)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    return string.Empty;
                case "true" or "True" or "TRUE":
                    return "yes";
                case "false" or "False" or "FALSE":
                    return "no";
            }
        }

        return value;
    }

    private (string Text, Mark Mark)? ReadScalar(string parameter)
    {
        var mark = _events.Start;
        if (_events.Current is Scalar s)
        {
            Next();
            return (ScalarText(s, parameter), mark);
        }

        Error(DiagnosticCodes.WrongShape, parameter, $"{parameter} must be a single value, not {Describe(_events.Current)}.", mark);
        SkipNode();
        return null;
    }

    private TlsPolicyTable ReadPolicy()
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return TlsPolicyTable.Empty;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, "tls_policy", $"'tls_policy' must be a mapping from destinations to levels, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return TlsPolicyTable.Empty;
        }

        var entries = new List<TlsPolicyEntry>();
        var tooMany = false;
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var destination = ReadKey(seen, "tls_policy");
            if (destination is null)
            {
                SkipNode();
                continue;
            }

            if (entries.Count >= _options.MaxPolicyEntries)
            {
                if (!tooMany)
                {
                    tooMany = true;
                    Error(DiagnosticCodes.InputTooLarge, "tls_policy",
                        $"tls_policy has more than {_options.MaxPolicyEntries.ToString(CultureInfo.InvariantCulture)} entries.", keyMark);
                }

                SkipNode();
                continue;
            }

            if (ReadPolicyEntry(destination, keyMark) is { } entry)
            {
                entries.Add(entry);
            }
        }

        Next();
        return TlsPolicyTable.Create(entries);
    }

    private TlsPolicyEntry? ReadPolicyEntry(string destination, Mark keyMark)
    {
        var context = EntryContext(destination);
        var spans = ImmutableDictionary.CreateBuilder<string, SourceSpan>(StringComparer.Ordinal);
        spans[string.Empty] = Span(keyMark);
        if (_events.Current is Scalar levelScalar)
        {
            spans["level"] = Span(levelScalar.Start);
            Next();
            return new TlsPolicyEntry(destination, ScalarText(levelScalar, context)) { Spans = spans.ToImmutable() };
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, context, $"A policy entry is a level (encrypt) or a mapping with 'level' and attributes, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return null;
        }

        var entryMark = _events.Start;
        Enter(entryMark);
        Next();
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        string? level = null;
        ValueList<string> protocols = default, exclude = default, match = default, tafile = default;
        var scalars = new HashSet<string>(StringComparer.Ordinal);
        string? ciphers = null, servername = null;
        bool? reuse = null, rpk = null;
        var others = ImmutableArray.CreateBuilder<TlsPolicyAttributeValue>();
        while (_events.Current is not MappingEnd)
        {
            var attrMark = _events.Start;
            var name = ReadKey(seen, context);
            if (name is null)
            {
                SkipNode();
                continue;
            }

            spans[name] = Span(_events.Start);
            switch (name)
            {
                case "level":
                    level = ReadScalar(context)?.Text;
                    break;
                case "protocols":
                    protocols = ReadList(context, name, scalars);
                    break;
                case "exclude":
                    exclude = ReadList(context, name, scalars);
                    break;
                case "match":
                    match = ReadList(context, name, scalars);
                    break;
                case "tafile":
                    tafile = ReadList(context, name, scalars);
                    break;
                case "ciphers":
                    ciphers = ReadScalar(context)?.Text;
                    break;
                case "servername":
                    servername = ReadScalar(context)?.Text;
                    break;
                case "connection_reuse":
                    reuse = ReadBoolean(context, name);
                    break;
                case "enable_rpk":
                    rpk = ReadBoolean(context, name);
                    break;
                default:
                    if (ReadScalar(context) is { } other)
                    {
                        others.Add(new TlsPolicyAttributeValue(name, other.Text));
                    }

                    break;
            }

            _ = attrMark;
        }

        Next();
        _depth--;
        if (level is null)
        {
            Error(DiagnosticCodes.InvalidPolicyLevel, context, $"The policy for {destination} has no 'level'; add one such as 'level: encrypt'.", entryMark);
            return null;
        }

        var matchSeparator = string.Equals(level.Trim(), "fingerprint", StringComparison.OrdinalIgnoreCase) ? '|' : ':';
        return new TlsPolicyEntry(destination, level)
        {
            Protocols = SplitScalar(protocols, "protocols", scalars, ':'),
            Exclude = SplitScalar(exclude, "exclude", scalars, ':'),
            Match = SplitScalar(match, "match", scalars, matchSeparator),
            TaFile = tafile,
            Ciphers = ciphers,
            ServerName = servername,
            ConnectionReuse = reuse,
            EnableRpk = rpk,
            OtherAttributes = new ValueList<TlsPolicyAttributeValue>(others.ToImmutable()),
            Spans = spans.ToImmutable(),
        };
    }

    /// <summary>A list attribute: a YAML list, or one value (noted in <paramref name="scalars"/>, see <see cref="SplitScalar"/>).</summary>
    private ValueList<string> ReadList(string context, string attribute, HashSet<string> scalars)
    {
        var value = ReadValue(context);
        if (value is null)
        {
            return default;
        }

        if (value.IsList)
        {
            return new ValueList<string>(value.Items);
        }

        scalars.Add(attribute);
        return [value.Text];
    }

    /// <summary>
    /// A list attribute written as one value is Postfix syntax (<c>protocols: "!SSLv2:!SSLv3"</c>): it
    /// holds the items Postfix reads from it, split at the attribute's separator. A YAML list holds its
    /// items as given (validation reports an item that contains the separator).
    /// </summary>
    private static ValueList<string> SplitScalar(ValueList<string> items, string attribute, HashSet<string> scalars, char separator) =>
        scalars.Contains(attribute) && items.Count == 1 && items[0].Contains(separator, StringComparison.Ordinal)
            ? [.. items[0].Split(separator, StringSplitOptions.RemoveEmptyEntries)]
            : items;

    private bool? ReadBoolean(string context, string attribute)
    {
        var mark = _events.Start;
        if (ReadScalar(context) is not { } s)
        {
            return null;
        }

        if (s.Text.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (s.Text.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Error(DiagnosticCodes.InvalidPolicyAttributeValue, context, $"{attribute} takes yes or no, not '{s.Text}'.", mark);
        return null;
    }

    /// <summary>Reports a tag other than YAML's core ones (<c>!!binary</c>, <c>!custom</c>): it would be silently ignored.</summary>
    private void CheckTag(NodeEvent node, string? parameter)
    {
        if (!node.Tag.IsEmpty && !CoreTags.Contains(node.Tag.Value, StringComparer.Ordinal))
        {
            Error(DiagnosticCodes.WrongShape, parameter,
                $"The tag '{PostfixText.Printable(node.Tag.Value.Replace("tag:yaml.org,2002:", "!!", StringComparison.Ordinal))}' has no meaning here and would be ignored; remove it (values are plain text).", node.Start);
        }
    }

    private void Enter(Mark mark)
    {
        if (++_depth > _options.MaxDepth)
        {
            throw new YamlLimitException(mark, NestedTooDeep());
        }
    }

    /// <summary><see cref="Enter(Mark)"/> at the current event, which is built only when the limit is hit.</summary>
    private void Enter()
    {
        if (_depth + 1 > _options.MaxDepth)
        {
            Enter(_events.Start);
        }

        _depth++;
    }

    private string NestedTooDeep() =>
        $"The YAML is nested more than {Count(_options.MaxDepth)} levels deep (LoadOptions.MaxDepth); this configuration needs at most 4.";

    /// <summary>Consumes the current node and everything inside it.</summary>
    private void SkipNode()
    {
        var depth = 0;
        do
        {
            depth += _events.Current.NestingIncrease;
            if (depth > _options.MaxDepth)
            {
                throw new YamlLimitException(_events.Start, NestedTooDeep());
            }

            Next();
        }
        while (depth > 0);
    }

    private static string Describe(ParsingEvent e) => e switch
    {
        MappingStart => "a mapping",
        SequenceStart => "a list",
        Scalar s when s.Style == ScalarStyle.Plain && s.Value.Length == 0 => "an empty value",
        Scalar s => $"the value '{PostfixText.Printable(s.Value, 40)}'",
        _ => "nothing",
    };
}

/// <summary>A limit of <see cref="LoadOptions"/> was hit while reading (nesting depth).</summary>
internal sealed class YamlLimitException(Mark start, string message) : Exception(message)
{
    public Mark Start { get; } = start;
}

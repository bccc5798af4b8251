using System.Globalization;
using System.Text;
using PostfixConfig.Diagnostics;
using YamlDotNet.Core;

namespace PostfixConfig.Yaml;

/// <summary>
/// Reading files. Ordinary files are read into memory (bounded) and parsed with error recovery
/// (<see cref="Read(string, string?, LoadOptions)"/>). Very large files — big policy tables — are
/// streamed instead: the parser reads through a <see cref="TextReader"/> that makes the same
/// character checks as <see cref="PreScan"/> on the text as it passes, so a 70 MB file is never held
/// as a 140 MB string while the model is built (one run then reports the first syntax error only).
/// </summary>
internal sealed partial class ConfigYamlReader
{
    /// <summary>Reads a YAML file (see the type's remarks for which way).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static Result<TlsConfiguration> ReadFile(string path, LoadOptions options)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length > options.StreamAbove
            ? ReadFileStreaming(path, options)
            : ReadWholeFile(path, options);
    }

    private static Result<TlsConfiguration> ReadFileStreaming(string path, LoadOptions options)
    {
        if (new FileInfo(path).Length > (options.MaxInputChars * 3L) + 4)
        {
            return Fail(TooLarge(path, options));
        }

        PreScanningReader? checking = null;
        Outcome? outcome = null;
        TextReader Open()
        {
            checking?.Dispose();
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return checking = new PreScanningReader(new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true, 1 << 16), options.MaxInputChars);
        }

        try
        {
            if (!options.YamlDotNetOnly)
            {
                try
                {
                    outcome = ReadOnce(new SubsetYamlParser(Open(), new FileInfo(path).Length), path, options);
                }
                catch (NotInSubsetException)
                {
                    // fall through to YamlDotNet, which reads everything (and reports what is wrong)
                }
            }

            outcome ??= ReadOnce(new Parser(new Scanner(Open(), skipComments: true)), path, options);
        }
        catch (PreScanningReader.TooLargeException)
        {
            // reported below, with the full length
        }
        catch (DecoderFallbackException)
        {
            using (checking)
            {
                return Fail(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                    "The file is not UTF-8 text (a byte sequence cannot be decoded); save it as UTF-8.",
                    new SourceSpan(path, checking!.Line, checking.Column + 1)));
            }
        }

        using (checking)
        {
            List<Diagnostic> found;
            try
            {
                found = checking!.Finish(path);
            }
            catch (DecoderFallbackException)
            {
                found = [new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                    "The file is not UTF-8 text (a byte sequence cannot be decoded); save it as UTF-8.",
                    new SourceSpan(path, checking!.Line, checking.Column + 1))];
            }

            if (found.Count > 0 || outcome is null)
            {
                return new Result<TlsConfiguration>(null, DiagnosticList.Create(found));
            }

            // After a syntax error only that error is reported (the problems seen before it may be
            // artefacts of it; reading the text whole re-parses to sort that out, streaming does not).
            List<Diagnostic> diagnostics = outcome.Syntax is { } syntax ? [syntax] : [.. outcome.Structural];

            var config = outcome.Config is null ? null : outcome.Config with { SourcePath = path };
            return new Result<TlsConfiguration>(config, DiagnosticList.Create(diagnostics));
        }
    }

    /// <summary>Passes text through, noting what <see cref="PreScan"/> reports: the length and each line's problems.</summary>
    private sealed class PreScanningReader(TextReader inner, int maxChars) : TextReader
    {
        private readonly List<Diagnostic> _problems = [];
        private readonly StringBuilder _current = new();
        private int _more;
        private long _length;

        /// <summary>The 1-based line being read.</summary>
        public int Line { get; private set; } = 1;

        /// <summary>The 0-based column reached in <see cref="Line"/>.</summary>
        public int Column => _current.Length;

        private string? _file;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = inner.Read(buffer);
            Scan(buffer[..n]);
            if (_length > maxChars)
            {
                throw new TooLargeException();
            }

            return n;
        }

        public override int Read()
        {
            Span<char> one = stackalloc char[1];
            return Read(one) == 0 ? -1 : one[0];
        }

        public override int Peek() => -1; // not used by the parsers; reading one character at a time still works

        /// <summary>Reads what the parser left and returns the diagnostics <see cref="PreScan"/> would give.</summary>
        public List<Diagnostic> Finish(string? file)
        {
            _file = file;
            var buffer = new char[1 << 16];
            int n;
            while ((n = inner.Read(buffer)) > 0)
            {
                if (_length > maxChars)
                {
                    _length += n; // only counted, for the message
                }
                else
                {
                    Scan(buffer.AsSpan(0, n));
                }
            }

            if (_length > maxChars)
            {
                return
                [
                    new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                        $"The input is {Count(_length)} characters long; the limit is {Count(maxChars)}.",
                        new SourceSpan(file, 1, 1)),
                ];
            }

            EndLine();
            var found = _problems.Select(d => d with { Span = d.Span is { } s ? s with { File = file } : null }).ToList();
            if (_more > 0)
            {
                found.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                    $"{_more.ToString("N0", CultureInfo.InvariantCulture)} more lines have the same kinds of problem (not listed one by one); is this a YAML text file?",
                    new SourceSpan(file, Line, 1)));
            }

            return found;
        }

        private void Scan(ReadOnlySpan<char> text)
        {
            _length += text.Length;
            while (text.Length > 0)
            {
                var newline = text.IndexOf('\n');
                if (newline < 0)
                {
                    _current.Append(text);
                    return;
                }

                _current.Append(text[..newline]);
                EndLine();
                Line++;
                text = text[(newline + 1)..];
            }
        }

        private void EndLine()
        {
            if (_current.Length > 0)
            {
                var line = _current.ToString();
                if (LineProblem(line, 0, line.Length) is { } problem)
                {
                    if (_problems.Count < MaxPreScanReports)
                    {
                        _problems.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null, problem.Message,
                            new SourceSpan(_file, Line, problem.Column)));
                    }
                    else
                    {
                        _more++;
                    }
                }
            }

            _current.Clear();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public sealed class TooLargeException : Exception
        {
        }
    }
}

using System.Globalization;
using System.Text;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Yaml;

/// <summary>
/// Reading a file without holding its text: the parser reads through a <see cref="TextReader"/>
/// that makes the same checks as <see cref="PreScan"/> on the characters as they pass (a
/// 70 MB file would otherwise be kept as a 140 MB string while the model is built).
/// </summary>
internal sealed partial class ConfigYamlReader
{
    public static Result<TlsConfiguration> ReadFile(string path, LoadOptions options)
    {
        PreScanningReader? checking = null;
        Result<TlsConfiguration>? result = null;
        try
        {
            result = ReadPreferringSubset(
                () =>
                {
                    checking?.Dispose();
                    var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                    return checking = new PreScanningReader(new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16), options.MaxInputChars);
                },
                new FileInfo(path).Length,
                path,
                options);
        }
        catch (PreScanningReader.TooLargeException)
        {
            // reported below, with the full length
        }

        using (checking)
        {
            var found = checking!.Finish(path);
            return found.Count > 0 ? new Result<TlsConfiguration>(null, DiagnosticList.Create(found)) : result!;
        }
    }

    /// <summary>
    /// Reads with <see cref="SubsetYamlParser"/>, and again with YamlDotNet's parser when the input
    /// is outside its subset (or when <see cref="LoadOptions.YamlDotNetOnly"/> says so).
    /// <paramref name="open"/> gives the text from its start each time it is called.
    /// </summary>
    private static Result<TlsConfiguration> ReadPreferringSubset(Func<TextReader> open, long length, string? file, LoadOptions options)
    {
        if (!options.YamlDotNetOnly)
        {
            try
            {
                return Read(new SubsetYamlParser(open(), length), file, options);
            }
            catch (NotInSubsetException)
            {
                // fall through to YamlDotNet, which reads everything (and reports what is wrong)
            }
        }

        return Read(open(), file, options);
    }

    /// <summary>Passes text through, noting what <see cref="PreScan"/> reports: the length and tabs in indentation.</summary>
    private sealed class PreScanningReader(TextReader inner, int maxChars) : TextReader
    {
        private readonly List<(int Line, int Column)> _tabs = [];
        private long _length;
        private int _line = 1;
        private int _column; // 0-based position in the line
        private bool _inIndentation = true;
        private int _tabColumn = -1; // a tab in the indentation, waiting for the next character

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

        public override int Peek() => -1; // not used by the parser; reading one character at a time still works

        /// <summary>Reads what the parser left and returns the diagnostics <see cref="PreScan"/> would give.</summary>
        public List<Diagnostic> Finish(string? file)
        {
            var buffer = new char[1 << 16];
            int n;
            while ((n = inner.Read(buffer)) > 0)
            {
                Scan(buffer.AsSpan(0, n));
            }

            if (_length > maxChars)
            {
                return
                [
                    new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                        $"The input is {_length.ToString(CultureInfo.InvariantCulture)} characters long; the limit is {maxChars.ToString(CultureInfo.InvariantCulture)}.",
                        new SourceSpan(file, 1, 1)),
                ];
            }

            return [.. _tabs.Select(t => new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                "A tab character is used for indentation; YAML indents with spaces only.", new SourceSpan(file, t.Line, t.Column)))];
        }

        private void Scan(ReadOnlySpan<char> text)
        {
            _length += text.Length;
            for (var i = 0; i < text.Length; i++)
            {
                if (!_inIndentation)
                {
                    // Only indentation matters: jump to the next line.
                    var newline = text[i..].IndexOf('\n');
                    if (newline < 0)
                    {
                        _column += text.Length - i;
                        return;
                    }

                    _column += newline;
                    i += newline;
                }

                var c = text[i];
                if (c == '\n')
                {
                    _line++;
                    _column = 0;
                    _inIndentation = true;
                    _tabColumn = -1; // a tab just before the line end is not reported
                    continue;
                }

                if (_inIndentation)
                {
                    if (_tabColumn >= 0)
                    {
                        if (c != '#')
                        {
                            _tabs.Add((_line, _tabColumn + 1));
                        }

                        _tabColumn = -1;
                        _inIndentation = false; // one report per line, and '#' ends the indentation
                    }
                    else if (c == '\t')
                    {
                        _tabColumn = _column;
                    }
                    else if (c != ' ')
                    {
                        _inIndentation = false;
                    }
                }

                _column++;
            }
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

using System.Globalization;
using System.Text;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Yaml;

/// <summary>
/// Reading files. Ordinary files are read into memory (bounded) and parsed with error recovery
/// (<see cref="Read(string, string?, LoadOptions)"/>). Very large files — big policy tables — are
/// streamed instead: the parser reads through a <see cref="TextReader"/> that makes the same
/// character checks as <see cref="YamlPreScan"/> on the text as it passes, so a 70 MB file is never held
/// as a 140 MB string while the model is built (one run then reports the first syntax error only).
/// </summary>
internal sealed partial class ConfigYamlReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
            outcome = YamlEvents.Read(Open, new FileInfo(path).Length, options, events => ReadOnce(events, path, options));
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

    /// <summary>Passes text through the one pre-scan (<see cref="YamlPreScan"/>) as the parser reads it.</summary>
    private sealed class PreScanningReader(TextReader inner, int maxChars) : TextReader
    {
        private readonly YamlPreScan _scan = new();

        /// <summary>The 1-based line being read.</summary>
        public int Line => _scan.Line;

        /// <summary>The 0-based column reached in <see cref="Line"/>.</summary>
        public int Column => _scan.Column;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = inner.Read(buffer);
            _scan.Scan(buffer[..n]);
            if (_scan.Length > maxChars)
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

        /// <summary>Reads what the parser left and returns what the pre-scan found (or that the text is too long).</summary>
        public List<Diagnostic> Finish(string? file)
        {
            var buffer = new char[1 << 16];
            var length = _scan.Length;
            int n;
            while ((n = inner.Read(buffer)) > 0)
            {
                if (length > maxChars)
                {
                    length += n; // only counted, for the message
                }
                else
                {
                    _scan.Scan(buffer.AsSpan(0, n));
                    length = _scan.Length;
                }
            }

            if (length > maxChars)
            {
                return
                [
                    new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                        $"The input is {Count(length)} characters long; the limit is {Count(maxChars)}.",
                        new SourceSpan(file, 1, 1)),
                ];
            }

            return _scan.Finish(file);
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

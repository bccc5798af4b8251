using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// A fast parser for the plain subset of YAML that configuration files are written in, giving
/// exactly the events (values, styles and positions) YamlDotNet's <see cref="Parser"/> gives for
/// them. Anything outside the subset throws <see cref="NotInSubsetException"/>, and the caller
/// reads the input again with YamlDotNet, which then also reports any syntax error.
/// </summary>
/// <remarks>
/// <para>
/// Why it exists: on large policy tables YamlDotNet's scanner took about 70 % of a render and made
/// it 4-5 times slower than <c>postmap</c> compiling the result (benchmarks/compare.sh). With this
/// parser a whole render of a 20 000-entry table is about 3 times faster, of a 100 000-entry table
/// about 2 times (<c>YamlParserBenchmarks</c>; results in <c>benchmarks/results/</c>).
/// </para>
/// <para>
/// The subset: printable ASCII and line feeds only; one implicit document whose root is a block
/// mapping; block mappings (<c>key: value</c>, <c>key:</c> followed by a more indented block) and
/// block sequences (<c>- value</c>, more indented than their key) of single-line values; plain
/// scalars that do not start with an indicator; single- and double-quoted scalars without
/// escapes; flow sequences and mappings on one line; comments and blank lines. Not in it (so read
/// by YamlDotNet): tabs, CR, non-ASCII, document markers and directives, anchors, aliases, tags,
/// block scalars, multi-line scalars, empty values, complex keys, escapes, and anything invalid.
/// Tests compare the events of both parsers on generated documents.
/// </para>
/// </remarks>
internal sealed class SubsetYamlParser : IParser
{
    private const int MaxFlowDepth = 64;
    private const int MaxKeyLength = 1000;

    private readonly TextReader _input;
    private readonly Queue<Token> _queue = new();
    private readonly List<(int Indent, bool IsSequence)> _blocks = [];
    private char[] _buffer;
    private int _bufferStart;
    private int _bufferEnd;
    private bool _inputDone;

    private long _lineIndex; // index of the first character of the current line
    private long _consumed; // characters of the lines read so far, with their newlines
    private bool _lineHadNewline = true;
    private bool _lineHadContent;
    private int _line; // 1-based number of the current line
    private bool _started;
    private bool _documentStarted;
    private bool _finished;
    private int _pendingIndent = -1; // indent of a "key:" whose value is the next, more indented block

    // The line being parsed: a slice of the buffer (not copied into a string).
    private int _lineStart;
    private int _lineLength;
    private int _pos;

    /// <param name="input">The text.</param>
    /// <param name="expectedLength">The text's length when known (a small text gets a small buffer).</param>
    public SubsetYamlParser(TextReader input, long expectedLength = 1 << 16)
    {
        _input = input;
        _buffer = new char[(int)Math.Clamp(expectedLength + 1, 256, 1 << 16)];
    }

    // The current event as a few fields; the YamlDotNet event is built only when Current is read
    // (the policy table reader reads most events through Kind, ScalarValue and the positions).
    private Token _token;
    private bool _hasToken;
    private ParsingEvent? _event;

    public ParsingEvent? Current => _hasToken ? _event ??= Build(_token) : null;

    /// <summary>What the current event is (after <see cref="MoveNext"/> returned true).</summary>
    public YamlToken Kind => _token.Kind;

    /// <summary>Whether the current collection start is a flow collection (<c>[</c> or <c>{</c>).</summary>
    public bool IsFlow => _token.Flow;

    /// <summary>The current scalar's value.</summary>
    public string ScalarValue => _token.Value!;

    /// <summary>The current scalar's style.</summary>
    public ScalarStyle ScalarStyle => _token.Style;

    /// <summary>Where the current event starts (1-based).</summary>
    public int StartLine => _token.StartLine;

    /// <inheritdoc cref="StartLine"/>
    public int StartColumn => _token.StartColumn;

    /// <summary>Where the current (or, at the end, the last) event ends.</summary>
    public Mark End => new(_token.EndIndex, _token.EndLine, _token.EndColumn);

    /// <summary>The last event, also after <see cref="MoveNext"/> returned false.</summary>
    public ParsingEvent? Last => _event ??= _token.Kind == YamlToken.None ? null : Build(_token);

    public bool MoveNext()
    {
        while (_queue.Count == 0)
        {
            if (_finished)
            {
                _hasToken = false;
                return false;
            }

            Step();
        }

        _token = _queue.Dequeue();
        _hasToken = true;
        _event = null;
        return true;
    }

    private static ParsingEvent Build(in Token t)
    {
        var start = new Mark(t.StartIndex, t.StartLine, t.StartColumn);
        var end = t.EndIndex == t.StartIndex && t.EndLine == t.StartLine && t.EndColumn == t.StartColumn
            ? start
            : new Mark(t.EndIndex, t.EndLine, t.EndColumn);
        return t.Kind switch
        {
            YamlToken.StreamStart => new StreamStart(start, end),
            YamlToken.StreamEnd => new StreamEnd(start, end),
            YamlToken.DocumentStart => new DocumentStart(null, null, true, start, end),
            YamlToken.DocumentEnd => new DocumentEnd(true, start, end),
            YamlToken.MappingStart => new MappingStart(AnchorName.Empty, TagName.Empty, true, t.Flow ? MappingStyle.Flow : MappingStyle.Block, start, end),
            YamlToken.MappingEnd => new MappingEnd(start, end),
            YamlToken.SequenceStart => new SequenceStart(AnchorName.Empty, TagName.Empty, true, t.Flow ? SequenceStyle.Flow : SequenceStyle.Block, start, end),
            YamlToken.SequenceEnd => new SequenceEnd(start, end),
            YamlToken.Scalar => new Scalar(AnchorName.Empty, TagName.Empty, t.Value!, t.Style, t.Style == ScalarStyle.Plain, t.Style != ScalarStyle.Plain, start, end, t.IsKey),
            _ => throw new InvalidOperationException("No event."),
        };
    }

    /// <summary>One event as fields: the kind, a scalar's value and style, a collection's style, and where it starts and ends.</summary>
    private struct Token
    {
        public YamlToken Kind;
        public bool Flow;
        public bool IsKey;
        public ScalarStyle Style;
        public string? Value;
        public long StartIndex;
        public int StartLine;
        public int StartColumn;
        public long EndIndex;
        public int EndLine;
        public int EndColumn;
    }

    /// <summary>Queues an event that starts and ends at <paramref name="pos"/> of the current line.</summary>
    private void Enqueue(YamlToken kind, int pos, bool flow = false) => EnqueueAt(kind, _lineIndex + pos, _line, pos + 1, flow);

    private void EnqueueAt(YamlToken kind, long index, int line, int column, bool flow = false) =>
        _queue.Enqueue(new Token
        {
            Kind = kind,
            Flow = flow,
            StartIndex = index,
            StartLine = line,
            StartColumn = column,
            EndIndex = index,
            EndLine = line,
            EndColumn = column,
        });

    private void Step()
    {
        if (!_started)
        {
            _started = true;
            EnqueueAt(YamlToken.StreamStart, 0, 1, 1);
            return;
        }

        if (!NextLine())
        {
            Finish();
            return;
        }

        ParseLine();
    }

    private void Finish()
    {
        if (!_documentStarted || _pendingIndent >= 0 || (!_lineHadNewline && !_lineHadContent))
        {
            // An empty stream, an empty value at the end, or a last comment without a newline
            // (where YamlDotNet's first end position differs from the others).
            throw new NotInSubsetException();
        }

        // YamlDotNet puts the end at column 1 of the line after the last one, even without a final newline.
        for (var i = _blocks.Count - 1; i >= 0; i--)
        {
            EnqueueAt(_blocks[i].IsSequence ? YamlToken.SequenceEnd : YamlToken.MappingEnd, _consumed, _line + 1, 1);
        }

        _blocks.Clear();
        EnqueueAt(YamlToken.DocumentEnd, _consumed, _line + 1, 1);
        EnqueueAt(YamlToken.StreamEnd, _consumed, _line + 1, 1);
        _finished = true;
    }

    /// <summary>The current line.</summary>
    private ReadOnlySpan<char> Text => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Reads the next line (see <see cref="Text"/>); false at the end of the input.</summary>
    private bool NextLine()
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, '\n', _bufferStart, _bufferEnd - _bufferStart);
            if (newline >= 0 || (_inputDone && _bufferEnd > _bufferStart))
            {
                var end = newline >= 0 ? newline : _bufferEnd;
                (_lineStart, _lineLength) = (_bufferStart, end - _bufferStart);
                _lineIndex = _consumed;
                _consumed += _lineLength + (newline >= 0 ? 1 : 0);
                _lineHadNewline = newline >= 0;
                _bufferStart = newline >= 0 ? newline + 1 : _bufferEnd;
                _line++;
                return true;
            }

            if (_inputDone)
            {
                return false;
            }

            Fill();
        }
    }

    private void Fill()
    {
        var pending = _bufferEnd - _bufferStart;
        if (pending == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_bufferStart > 0)
        {
            Array.Copy(_buffer, _bufferStart, _buffer, 0, pending);
        }

        _bufferStart = 0;
        _bufferEnd = pending;
        var n = _input.Read(_buffer, _bufferEnd, _buffer.Length - _bufferEnd);
        if (n == 0)
        {
            _inputDone = true;
        }

        _bufferEnd += n;
    }

    private void ParseLine()
    {
        var text = Text;
        if (text.ContainsAnyExceptInRange(' ', '~'))
        {
            throw new NotInSubsetException();
        }

        var indent = 0;
        while (indent < text.Length && text[indent] == ' ')
        {
            indent++;
        }

        _lineHadContent = indent < text.Length && text[indent] != '#';
        if (!_lineHadContent)
        {
            return; // blank or comment
        }

        _pos = indent;
        var isItem = text[indent] == '-' && (indent + 1 == text.Length || text[indent + 1] == ' ');
        if (!_documentStarted)
        {
            if (indent != 0 || text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal) || text[0] == '%' || isItem)
            {
                throw new NotInSubsetException();
            }

            _documentStarted = true;
            Enqueue(YamlToken.DocumentStart, indent);
            Enqueue(YamlToken.MappingStart, indent);
            _blocks.Add((0, false));
        }
        else if (_pendingIndent >= 0)
        {
            if (indent <= _pendingIndent)
            {
                throw new NotInSubsetException(); // an empty value, or a list at its key's indentation
            }

            _pendingIndent = -1;
            Enqueue(isItem ? YamlToken.SequenceStart : YamlToken.MappingStart, indent);
            _blocks.Add((indent, isItem));
        }
        else
        {
            while (_blocks.Count > 0 && _blocks[^1].Indent > indent)
            {
                Enqueue(_blocks[^1].IsSequence ? YamlToken.SequenceEnd : YamlToken.MappingEnd, indent);
                _blocks.RemoveAt(_blocks.Count - 1);
            }

            if (_blocks.Count == 0 || _blocks[^1].Indent != indent || indent == 0 && (text[0] == '%' || text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal)))
            {
                throw new NotInSubsetException(); // continuation line, odd indentation, or a document marker
            }
        }

        if (_blocks[^1].IsSequence)
        {
            if (!isItem)
            {
                throw new NotInSubsetException();
            }

            _pos = indent + 1;
            SkipSpaces();
            if (_pos == text.Length || _pos == indent + 1)
            {
                throw new NotInSubsetException(); // "-" alone, or "-x"
            }

            BlockValue();
            return;
        }

        if (isItem)
        {
            throw new NotInSubsetException();
        }

        // key: value
        Scalar(isKey: true, flow: false);
        if (_pos >= text.Length || text[_pos] != ':' || (_pos + 1 < text.Length && text[_pos + 1] != ' '))
        {
            throw new NotInSubsetException();
        }

        _pos++;
        SkipSpaces();
        if (_pos == text.Length || text[_pos] == '#')
        {
            _pendingIndent = indent;
            return;
        }

        BlockValue();
    }

    /// <summary>A value after <c>key: </c> or <c>- </c>, then only spaces or a comment.</summary>
    private void BlockValue()
    {
        if (Text[_pos] is '[' or '{')
        {
            FlowNode(0);
        }
        else
        {
            Scalar(isKey: false, flow: false);
        }

        var before = _pos;
        SkipSpaces();
        if (_pos < _lineLength && (Text[_pos] != '#' || _pos == before))
        {
            throw new NotInSubsetException();
        }
    }

    private void FlowNode(int depth)
    {
        if (depth > MaxFlowDepth)
        {
            throw new NotInSubsetException();
        }

        var text = Text;
        SkipSpaces();
        if (_pos >= text.Length)
        {
            throw new NotInSubsetException();
        }

        var open = text[_pos];
        if (open is not ('[' or '{'))
        {
            Scalar(isKey: false, flow: true);
            return;
        }

        var isSequence = open == '[';
        var close = isSequence ? ']' : '}';
        Enqueue(isSequence ? YamlToken.SequenceStart : YamlToken.MappingStart, _pos, flow: true);
        _pos++;
        SkipSpaces();
        if (_pos < text.Length && text[_pos] == close)
        {
            End();
            return;
        }

        while (true)
        {
            SkipSpaces();
            if (isSequence)
            {
                FlowNode(depth + 1);
            }
            else
            {
                SkipSpaces();
                if (_pos >= text.Length || text[_pos] is '[' or '{')
                {
                    throw new NotInSubsetException();
                }

                Scalar(isKey: true, flow: true);
                if (_pos + 1 >= text.Length || text[_pos] != ':' || text[_pos + 1] != ' ')
                {
                    throw new NotInSubsetException();
                }

                _pos += 2;
                FlowNode(depth + 1);
            }

            SkipSpaces();
            if (_pos >= text.Length)
            {
                throw new NotInSubsetException();
            }

            if (text[_pos] == close)
            {
                End();
                return;
            }

            if (text[_pos] != ',')
            {
                throw new NotInSubsetException();
            }

            _pos++;
            SkipSpaces();
            if (_pos >= text.Length || text[_pos] is ']' or '}' or ',')
            {
                throw new NotInSubsetException(); // trailing or doubled comma
            }
        }

        void End()
        {
            Enqueue(isSequence ? YamlToken.SequenceEnd : YamlToken.MappingEnd, _pos);
            _pos++;
        }
    }

    /// <summary>A plain or quoted scalar at <see cref="_pos"/>, on this line.</summary>
    private void Scalar(bool isKey, bool flow)
    {
        var text = Text;
        var start = _pos;
        var first = text[start];
        string value;
        ScalarStyle style;
        if (first is '"' or '\'')
        {
            var close = text[(start + 1)..].IndexOf(first);
            if (close < 0)
            {
                throw new NotInSubsetException();
            }

            close += start + 1;
            if ((first == '"' && text.Slice(start + 1, close - start - 1).Contains('\\'))
                || (first == '\'' && close + 1 < text.Length && text[close + 1] == '\''))
            {
                throw new NotInSubsetException(); // escapes
            }

            value = YamlStrings.Word(text.Slice(start + 1, close - start - 1));
            style = first == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
            _pos = close + 1;
        }
        else
        {
            if (first is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or ' ')
            {
                throw new NotInSubsetException();
            }

            var end = start;
            while (end < text.Length)
            {
                var c = text[end];
                if (c == ':' && (end + 1 == text.Length || text[end + 1] == ' ' || (flow && text[end + 1] is ',' or '[' or ']' or '{' or '}')))
                {
                    break; // a value indicator
                }

                if (c == '#' && text[end - 1] == ' ')
                {
                    break; // a comment
                }

                if (flow && c is '[' or ']' or '{' or '}' or ',')
                {
                    if (c is '[' or '{')
                    {
                        throw new NotInSubsetException();
                    }

                    break; // the end of a flow item
                }

                end++;
            }

            var last = end;
            while (last > start && text[last - 1] == ' ')
            {
                last--;
            }

            value = YamlStrings.Word(text.Slice(start, last - start));
            style = ScalarStyle.Plain;
            _pos = last;
            if (!isKey && !flow && end < text.Length && text[end] == ':')
            {
                throw new NotInSubsetException(); // "key: a: b"
            }
        }

        if (isKey && value.Length > MaxKeyLength)
        {
            throw new NotInSubsetException();
        }

        _queue.Enqueue(new Token
        {
            Kind = YamlToken.Scalar,
            IsKey = isKey,
            Style = style,
            Value = value,
            StartIndex = _lineIndex + start,
            StartLine = _line,
            StartColumn = start + 1,
            EndIndex = _lineIndex + _pos,
            EndLine = _line,
            EndColumn = _pos + 1,
        });
    }

    private void SkipSpaces()
    {
        var text = Text;
        while (_pos < text.Length && text[_pos] == ' ')
        {
            _pos++;
        }
    }
}

/// <summary>The input uses YAML outside <see cref="SubsetYamlParser"/>'s subset; read it with YamlDotNet.</summary>
internal sealed class NotInSubsetException : Exception
{
    public NotInSubsetException()
        : base("The YAML is outside the fast parser's subset.")
    {
    }
}

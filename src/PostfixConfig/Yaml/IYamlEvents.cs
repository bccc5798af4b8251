using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// The parsing events the configuration reader walks: the one seam between the reader and the two
/// parsers behind it. <see cref="YamlDotNetEvents"/> reads any YAML (and resolves anchors and
/// aliases); <see cref="SubsetYamlEvents"/> is the fast path for the plain subset configuration files
/// are written in. <see cref="YamlEvents.Read"/> picks one; the reader never knows which.
/// </summary>
/// <remarks>
/// Besides <see cref="Current"/>, the light accessors (<see cref="Kind"/>, <see cref="TryPlainScalar"/>,
/// <see cref="StartLine"/>) read an event without building it: the policy table reader walks hundreds
/// of thousands of them.
/// </remarks>
internal interface IYamlEvents
{
    /// <summary>The current event, after <see cref="MoveNext"/> returned true.</summary>
    ParsingEvent Current { get; }

    /// <summary>Where the current event starts.</summary>
    Mark Start => Current.Start;

    /// <summary>The current event's kind.</summary>
    YamlToken Kind { get; }

    /// <summary>Where the current event starts (1-based line).</summary>
    int StartLine { get; }

    /// <summary>Where the current event starts (1-based column).</summary>
    int StartColumn { get; }

    /// <summary>Whether the current event starts a sequence without a tag.</summary>
    bool IsPlainSequenceStart { get; }

    /// <summary>Where the last event read from the text (not replayed from an anchor) ends; <see cref="Mark.Empty"/> before the first.</summary>
    Mark LastTextEnd { get; }

    /// <summary>
    /// The innermost flow collection (<c>[</c> or <c>{</c>) read from the text that is still open, or
    /// <see langword="null"/>: when the parser fails, an unclosed bracket is the likely cause.
    /// </summary>
    ParsingEvent? OpenFlowCollection { get; }

    /// <summary>The current event's value and style when it is a scalar without a tag; false otherwise.</summary>
    bool TryPlainScalar(out string value, out ScalarStyle style);

    /// <summary>Advances; throws <see cref="YamlException"/> for syntax errors, <see cref="AliasBudgetExceededException"/> for alias bombs and <see cref="YamlScannerFaultException"/> when the parser itself fails.</summary>
    bool MoveNext();
}

/// <summary>Picks the parser behind <see cref="IYamlEvents"/>: the fast path when the text is in its subset.</summary>
internal static class YamlEvents
{
    /// <summary>
    /// Runs <paramref name="read"/> over the subset parser's events, and when the text turns out to be
    /// outside the subset, over YamlDotNet's (opening the text again), which reads everything and reports
    /// what is wrong.
    /// </summary>
    /// <param name="open">Opens the text (called once per parser).</param>
    /// <param name="length">The text's length when known (a small text gets a small buffer).</param>
    /// <param name="options">Input limits; <see cref="LoadOptions.YamlDotNetOnly"/> skips the fast path.</param>
    /// <param name="read">What to do with the events.</param>
    public static T Read<T>(Func<TextReader> open, long length, LoadOptions options, Func<IYamlEvents, T> read)
    {
        if (!options.YamlDotNetOnly)
        {
            try
            {
                return read(new SubsetYamlEvents(new SubsetYamlParser(open(), length)));
            }
            catch (NotInSubsetException)
            {
                // fall through to YamlDotNet
            }
        }

        return read(new YamlDotNetEvents(new Parser(new Scanner(open(), skipComments: true)), options.MaxAliasExpansion));
    }

    /// <summary>Advances a parser, turning anything but a syntax error into <see cref="YamlScannerFaultException"/>.</summary>
    internal static bool MoveNext(IParser parser)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (YamlException)
        {
            throw;
        }
#pragma warning disable CA1031 // YamlDotNet 18.1 throws InvalidOperationException (and could throw others) on some malformed input: report it as a syntax error.
        catch (Exception e) when (e is not OutOfMemoryException and not NotInSubsetException and not System.Text.DecoderFallbackException)
#pragma warning restore CA1031
        {
            throw new YamlScannerFaultException(e);
        }
    }

    internal static YamlToken KindOf(ParsingEvent? e) => e switch
    {
        Scalar => YamlToken.Scalar,
        MappingStart => YamlToken.MappingStart,
        MappingEnd => YamlToken.MappingEnd,
        SequenceStart => YamlToken.SequenceStart,
        SequenceEnd => YamlToken.SequenceEnd,
        DocumentStart => YamlToken.DocumentStart,
        DocumentEnd => YamlToken.DocumentEnd,
        StreamStart => YamlToken.StreamStart,
        StreamEnd => YamlToken.StreamEnd,
        _ => YamlToken.None,
    };
}

/// <summary>The events of <see cref="SubsetYamlParser"/>: no anchors or aliases (they are outside its subset), events built only when asked for.</summary>
internal sealed class SubsetYamlEvents(SubsetYamlParser parser) : IYamlEvents
{
    private readonly Stack<ParsingEvent?> _open = new(); // null for a block collection
    private ParsingEvent? _last;
    private bool _done;

    public ParsingEvent Current => _done ? _last! : parser.Current!;

    public YamlToken Kind => _done ? YamlEvents.KindOf(_last) : parser.Kind;

    public int StartLine => _done ? (int)Math.Max(1, _last!.Start.Line) : parser.StartLine;

    public int StartColumn => _done ? (int)Math.Max(1, _last!.Start.Column) : parser.StartColumn;

    public bool IsPlainSequenceStart => !_done && parser.Kind == YamlToken.SequenceStart;

    public Mark LastTextEnd => parser.Kind != YamlToken.None ? parser.End : Mark.Empty;

    public ParsingEvent? OpenFlowCollection => _open.FirstOrDefault(e => e is not null);

    public bool TryPlainScalar(out string value, out ScalarStyle style)
    {
        if (!_done && parser.Kind == YamlToken.Scalar)
        {
            (value, style) = (parser.ScalarValue, parser.ScalarStyle);
            return true;
        }

        (value, style) = (null!, default);
        return false;
    }

    public bool MoveNext()
    {
        if (!YamlEvents.MoveNext(parser))
        {
            _last = parser.Last; // as YamlDotNet's, Current stays the last event
            _done = true;
            return false;
        }

        switch (parser.Kind)
        {
            case YamlToken.SequenceStart or YamlToken.MappingStart:
                _open.Push(parser.IsFlow ? parser.Current : null);
                break;
            case YamlToken.SequenceEnd or YamlToken.MappingEnd when _open.Count > 0:
                _open.Pop();
                break;
        }

        return true;
    }
}

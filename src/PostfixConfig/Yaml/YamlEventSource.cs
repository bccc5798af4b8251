using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// The YAML parser's event stream with anchors and aliases resolved by replaying the anchored
/// node's events, under a budget so that an alias bomb is refused quickly in bounded memory.
/// </summary>
/// <remarks>
/// From <see cref="SubsetYamlParser"/> (which has no anchors) the events are passed through
/// unbuilt: <see cref="Kind"/>, <see cref="TryPlainScalar"/> and <see cref="StartLine"/> read them
/// without allocating, and <see cref="Current"/> builds the event when asked.
/// </remarks>
internal sealed class YamlEventSource
{
    private readonly IParser _parser;
    private readonly int _aliasBudget;
    private readonly Dictionary<string, List<ParsingEvent>> _anchors = new(StringComparer.Ordinal);
    private readonly List<Recording> _recordings = [];
    private readonly Stack<(List<ParsingEvent> Events, int Index)> _replays = new();
    private readonly Stack<ParsingEvent?> _open = new(); // null for a block collection
    private readonly SubsetYamlParser? _subset;
    private ParsingEvent? _current;
    private bool _fromSubset; // the current event is the subset parser's current one
    private int _replayed;

    public YamlEventSource(IParser parser, int aliasBudget)
    {
        _parser = parser;
        _aliasBudget = aliasBudget;
        _subset = parser as SubsetYamlParser;
    }

    /// <summary>The current event, after <see cref="MoveNext"/> returned true.</summary>
    public ParsingEvent Current => _fromSubset ? _subset!.Current! : _current!;

    /// <summary>Where the current event starts.</summary>
    public Mark Start => Current.Start;

    /// <summary>The current event's kind.</summary>
    public YamlToken Kind => _fromSubset ? _subset!.Kind : KindOf(_current);

    /// <summary>Where the current event starts (1-based line and column).</summary>
    public int StartLine => _fromSubset ? _subset!.StartLine : (int)Math.Max(1, _current!.Start.Line);

    /// <inheritdoc cref="StartLine"/>
    public int StartColumn => _fromSubset ? _subset!.StartColumn : (int)Math.Max(1, _current!.Start.Column);

    /// <summary>The current event's value and style when it is a scalar without a tag; false otherwise.</summary>
    public bool TryPlainScalar(out string value, out ScalarStyle style)
    {
        if (_fromSubset)
        {
            if (_subset!.Kind == YamlToken.Scalar)
            {
                (value, style) = (_subset.ScalarValue, _subset.ScalarStyle);
                return true;
            }
        }
        else if (_current is Scalar { Tag.IsEmpty: true } scalar)
        {
            (value, style) = (scalar.Value, scalar.Style);
            return true;
        }

        (value, style) = (null!, default);
        return false;
    }

    /// <summary>Whether the current event starts a sequence without a tag.</summary>
    public bool IsPlainSequenceStart => _fromSubset ? _subset!.Kind == YamlToken.SequenceStart : _current is SequenceStart { Tag.IsEmpty: true };

    /// <summary>Where the last event read from the text (not replayed from an anchor) ends; <see cref="Mark.Empty"/> before the first.</summary>
    public Mark LastTextEnd => _subset is not null && _subset.Kind != YamlToken.None ? _subset.End : _lastTextEnd;

    private Mark _lastTextEnd = Mark.Empty;

    private static YamlToken KindOf(ParsingEvent? e) => e switch
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

    /// <summary>
    /// The innermost flow collection (<c>[</c> or <c>{</c>) read from the text that is still open, or
    /// <see langword="null"/>: when the parser fails, an unclosed bracket is the likely cause.
    /// </summary>
    public ParsingEvent? OpenFlowCollection =>
        _open.FirstOrDefault(e => e is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow });

    /// <summary>Advances; throws <see cref="YamlException"/> for syntax errors and <see cref="AliasBudgetExceededException"/> for alias bombs.</summary>
    public bool MoveNext()
    {
        if (_subset is not null)
        {
            return SubsetMoveNext();
        }

        while (true)
        {
            ParsingEvent? next = null;
            while (_replays.Count > 0)
            {
                var (events, index) = _replays.Pop();
                if (index < events.Count)
                {
                    _replays.Push((events, index + 1));
                    next = events[index];
                    if (++_replayed > _aliasBudget)
                    {
                        throw new AliasBudgetExceededException(_current?.Start ?? Mark.Empty, _aliasBudget);
                    }

                    break;
                }
            }

            if (next is null)
            {
                if (!ParserMoveNext())
                {
                    return false;
                }

                next = _parser.Current!;
                TrackText(next);
            }

            if (next is AnchorAlias alias)
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out var recorded))
                {
                    throw new YamlException(alias.Start, alias.End, $"The alias *{alias.Value.Value} refers to no anchor defined before it.");
                }

                if (_replays.Count > 64)
                {
                    throw new AliasBudgetExceededException(alias.Start, _aliasBudget);
                }

                _replays.Push((recorded, 0));
                continue;
            }

            Record(next);
            _current = next;
            return true;
        }
    }

    /// <summary>
    /// <see cref="MoveNext"/> for the subset parser: no anchors or aliases to resolve (they are not in
    /// its subset), only the open collections to track, without building block events.
    /// </summary>
    private bool SubsetMoveNext()
    {
        if (!ParserMoveNext())
        {
            _current = _subset!.Last; // as the general path, Current stays the last event
            _fromSubset = false;
            return false;
        }

        _fromSubset = true;
        switch (_subset!.Kind)
        {
            case YamlToken.SequenceStart or YamlToken.MappingStart:
                _open.Push(_subset.IsFlow ? _subset.Current : null);
                break;
            case YamlToken.SequenceEnd or YamlToken.MappingEnd when _open.Count > 0:
                _open.Pop();
                break;
        }

        return true;
    }

    private bool ParserMoveNext()
    {
        try
        {
            return _parser.MoveNext();
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

    private void TrackText(ParsingEvent e)
    {
        _lastTextEnd = e.End;
        switch (e)
        {
            case SequenceStart or MappingStart:
                _open.Push(e);
                break;
            case SequenceEnd or MappingEnd when _open.Count > 0:
                _open.Pop();
                break;
        }
    }

    private void Record(ParsingEvent e)
    {
        for (var i = _recordings.Count - 1; i >= 0; i--)
        {
            var r = _recordings[i];
            r.Events.Add(e);
            r.Depth += e.NestingIncrease;
            if (r.Depth <= 0)
            {
                _anchors[r.Anchor] = r.Events;
                _recordings.RemoveAt(i);
            }
        }

        if (e is NodeEvent { Anchor.IsEmpty: false } node)
        {
            var r = new Recording(node.Anchor.Value) { Depth = e.NestingIncrease };
            r.Events.Add(e);
            if (r.Depth <= 0)
            {
                _anchors[r.Anchor] = r.Events;
            }
            else
            {
                _recordings.Add(r);
            }
        }
    }

    private sealed class Recording(string anchor)
    {
        public string Anchor { get; } = anchor;

        public List<ParsingEvent> Events { get; } = [];

        public int Depth { get; set; }
    }
}

/// <summary>Alias expansion went over the budget.</summary>
internal sealed class AliasBudgetExceededException(Mark start, int budget)
    : Exception($"YAML aliases expand to more than {budget} nodes.")
{
    public Mark StartMark { get; } = start;
}

/// <summary>The YAML parser failed with something other than a <see cref="YamlException"/> (a YamlDotNet bug on malformed input).</summary>
internal sealed class YamlScannerFaultException(Exception inner)
    : Exception("The YAML parser failed on malformed input.", inner);

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// The YAML parser's event stream with anchors and aliases resolved by replaying the anchored
/// node's events, under a budget so that an alias bomb is refused quickly in bounded memory.
/// </summary>
internal sealed class YamlEventSource
{
    private readonly IParser _parser;
    private readonly int _aliasBudget;
    private readonly Dictionary<string, List<ParsingEvent>> _anchors = new(StringComparer.Ordinal);
    private readonly List<Recording> _recordings = [];
    private readonly Stack<(List<ParsingEvent> Events, int Index)> _replays = new();
    private readonly Stack<ParsingEvent> _open = new();
    private int _replayed;

    public YamlEventSource(IParser parser, int aliasBudget)
    {
        _parser = parser;
        _aliasBudget = aliasBudget;
    }

    /// <summary>The current event, after <see cref="MoveNext"/> returned true.</summary>
    public ParsingEvent Current { get; private set; } = null!;

    /// <summary>Where the current event starts.</summary>
    public Mark Start => Current.Start;

    /// <summary>Where the last event read from the text (not replayed from an anchor) ends; <see cref="Mark.Empty"/> before the first.</summary>
    public Mark LastTextEnd { get; private set; } = Mark.Empty;

    /// <summary>
    /// The innermost flow collection (<c>[</c> or <c>{</c>) read from the text that is still open, or
    /// <see langword="null"/>: when the parser fails, an unclosed bracket is the likely cause.
    /// </summary>
    public ParsingEvent? OpenFlowCollection =>
        _open.FirstOrDefault(e => e is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow });

    /// <summary>Advances; throws <see cref="YamlException"/> for syntax errors and <see cref="AliasBudgetExceededException"/> for alias bombs.</summary>
    public bool MoveNext()
    {
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
                        throw new AliasBudgetExceededException(Current?.Start ?? Mark.Empty, _aliasBudget);
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
            Current = next;
            return true;
        }
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
        LastTextEnd = e.End;
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

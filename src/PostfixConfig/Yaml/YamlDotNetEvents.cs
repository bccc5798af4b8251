using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// YamlDotNet's event stream (any YAML) with anchors and aliases resolved by replaying the anchored
/// node's events, under a budget so that an alias bomb is refused quickly in bounded memory.
/// </summary>
internal sealed class YamlDotNetEvents : IYamlEvents
{
    private readonly IParser _parser;
    private readonly int _aliasBudget;
    private readonly Dictionary<string, List<ParsingEvent>> _anchors = new(StringComparer.Ordinal);
    private readonly List<Recording> _recordings = [];
    private readonly Stack<(List<ParsingEvent> Events, int Index)> _replays = new();
    private readonly Stack<ParsingEvent> _open = new();
    private ParsingEvent? _current;
    private int _replayed;

    public YamlDotNetEvents(IParser parser, int aliasBudget)
    {
        _parser = parser;
        _aliasBudget = aliasBudget;
    }

    public ParsingEvent Current => _current!;

    public YamlToken Kind => YamlEvents.KindOf(_current);

    public int StartLine => (int)Math.Max(1, _current!.Start.Line);

    public int StartColumn => (int)Math.Max(1, _current!.Start.Column);

    public bool TryPlainScalar(out string value, out ScalarStyle style)
    {
        if (_current is Scalar { Tag.IsEmpty: true } scalar)
        {
            (value, style) = (scalar.Value, scalar.Style);
            return true;
        }

        (value, style) = (null!, default);
        return false;
    }

    public bool IsPlainSequenceStart => _current is SequenceStart { Tag.IsEmpty: true };

    public Mark LastTextEnd { get; private set; } = Mark.Empty;

    /// <summary>
    /// The innermost flow collection (<c>[</c> or <c>{</c>) read from the text that is still open, or
    /// <see langword="null"/>: when the parser fails, an unclosed bracket is the likely cause.
    /// </summary>
    public ParsingEvent? OpenFlowCollection =>
        _open.FirstOrDefault(e => e is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow });

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
                        throw new AliasBudgetExceededException(_current?.Start ?? Mark.Empty, _aliasBudget);
                    }

                    break;
                }
            }

            if (next is null)
            {
                if (!YamlEvents.MoveNext(_parser))
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

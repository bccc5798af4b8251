using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// Where the parts of one policy entry were written, kept small: the file once, the destination
/// key's and the level's line and column inline, and other parts (rarer) in an array. A table of
/// a million entries read from YAML would otherwise carry a million dictionaries.
/// </summary>
internal readonly struct PolicyEntrySpans
{
    private const byte HasKey = 1;
    private const byte HasLevel = 2;

    private readonly string? _file;
    private readonly int _keyLine, _keyColumn, _levelLine, _levelColumn;
    private readonly byte _has;
    private readonly (string Part, SourceSpan Span)[]? _others;

    /// <summary>Creates the positions; a level in another file than the key goes with the other parts.</summary>
    public PolicyEntrySpans(SourceSpan? key, SourceSpan? level, (string Part, SourceSpan Span)[]? others)
    {
        if (key is { } k)
        {
            (_file, _keyLine, _keyColumn) = (k.File, k.Line, k.Column);
            _has |= HasKey;
        }

        if (level is { } l && (key is null || l.File == key.Value.File))
        {
            (_file, _levelLine, _levelColumn) = (l.File, l.Line, l.Column);
            _has |= HasLevel;
        }
        else if (level is { } other)
        {
            others = [("level", other), .. others ?? []];
        }

        _others = others;
    }

    /// <summary>The destination key's position (part <c>""</c>).</summary>
    public SourceSpan? Key => (_has & HasKey) != 0 ? new SourceSpan(_file, _keyLine, _keyColumn) : null;

    /// <summary>The position of <paramref name="part"/>, or <see langword="null"/> when it was not recorded.</summary>
    public SourceSpan? Find(string part)
    {
        if (part.Length == 0)
        {
            return Key;
        }

        if (part == "level" && (_has & HasLevel) != 0)
        {
            return new SourceSpan(_file, _levelLine, _levelColumn);
        }

        foreach (var (name, span) in _others ?? [])
        {
            if (name == part)
            {
                return span;
            }
        }

        return null;
    }

    public ImmutableDictionary<string, SourceSpan> ToDictionary()
    {
        if (_has == 0 && _others is null)
        {
            return ImmutableDictionary<string, SourceSpan>.Empty;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, SourceSpan>(StringComparer.Ordinal);
        if (Key is { } key)
        {
            builder[string.Empty] = key;
        }

        if ((_has & HasLevel) != 0)
        {
            builder["level"] = new SourceSpan(_file, _levelLine, _levelColumn);
        }

        foreach (var (name, span) in _others ?? [])
        {
            builder[name] = span;
        }

        return builder.ToImmutable();
    }

    public static PolicyEntrySpans From(ImmutableDictionary<string, SourceSpan>? spans)
    {
        if (spans is null || spans.IsEmpty)
        {
            return default;
        }

        SourceSpan? key = null, level = null;
        List<(string, SourceSpan)>? others = null;
        foreach (var (name, span) in spans)
        {
            switch (name)
            {
                case "":
                    key = span;
                    break;
                case "level":
                    level = span;
                    break;
                default:
                    (others ??= []).Add((name, span));
                    break;
            }
        }

        return new PolicyEntrySpans(key, level, others?.ToArray());
    }
}

using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// Where the parts of one policy entry were written, kept small: the destination key and the
/// level inline, and other attributes (rare) in an array. A table of a million entries read from
/// YAML would otherwise carry a million dictionaries.
/// </summary>
/// <param name="Key">The destination key's position (part <c>""</c>).</param>
/// <param name="Level">The level's position (part <c>"level"</c>).</param>
/// <param name="Attributes">Positions of the other parts, in input order, or <see langword="null"/>.</param>
internal readonly record struct PolicyEntrySpans(SourceSpan? Key, SourceSpan? Level, (string Part, SourceSpan Span)[]? Attributes)
{
    /// <summary>The position of <paramref name="part"/>, or <see langword="null"/> when it was not recorded.</summary>
    public SourceSpan? Find(string part)
    {
        if (part.Length == 0)
        {
            return Key;
        }

        if (part == "level")
        {
            return Level;
        }

        if (Attributes is { } attributes)
        {
            foreach (var (name, span) in attributes)
            {
                if (name == part)
                {
                    return span;
                }
            }
        }

        return null;
    }

    public ImmutableDictionary<string, SourceSpan> ToDictionary()
    {
        if (Key is null && Level is null && Attributes is null)
        {
            return ImmutableDictionary<string, SourceSpan>.Empty;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, SourceSpan>(StringComparer.Ordinal);
        if (Key is { } key)
        {
            builder[string.Empty] = key;
        }

        if (Level is { } level)
        {
            builder["level"] = level;
        }

        foreach (var (name, span) in Attributes ?? [])
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

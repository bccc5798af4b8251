using System.Globalization;
using PostfixConfig.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// The fast path for <c>tls_policy</c>, which can hold hundreds of thousands of entries: the same
/// events, checks and diagnostics as <see cref="ReadPolicy"/>, without the per-entry dictionaries
/// and strings. The common shapes (<c>dest: level</c>, and a mapping of scalar attributes) are read
/// inline; anything unusual goes through the general helpers, so diagnostics are the same by
/// construction. Tests compare the two readers on generated tables.
/// </summary>
internal sealed partial class ConfigYamlReader
{
    private TlsPolicyTable ReadPolicyFast()
    {
        if (_events.Kind != YamlToken.MappingStart)
        {
            return ReadPolicy(); // empty value or the wrong shape: the general reader reports it
        }

        // Rows (compact for "dest: level") and an index that also finds repeated keys; keys whose
        // entry was not taken keep their line for the "given twice" message. Events are read
        // through the light accessors (Kind, TryPlainScalar, StartLine): from the subset parser
        // they are never built. Anything unusual (a repeated, tagged or non-scalar key, a long or
        // tagged value) goes through ReadKey and the general helpers, which report it.
        var rows = new PolicyRow[16];
        var count = 0;
        var index = new PolicyIndex(16);
        Dictionary<string, (int Line, int Column)>? notTaken = null;
        var tooMany = false;
        var attributeScratch = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        var spanScratch = new List<(string, SourceSpan)>();
        Next();
        while (_events.Kind != YamlToken.MappingEnd)
        {
            var keySpan = StartSpan();
            string destination;
            if (_events.TryPlainScalar(out var key, out var keyStyle) && !(key == "<<" && keyStyle == ScalarStyle.Plain)
                && index.Find(key, rows) < 0 && !(notTaken?.ContainsKey(key) ?? false))
            {
                destination = key;
                Next();
            }
            else if (ReadUnusualKey(rows, index, notTaken) is { } name)
            {
                destination = name;
            }
            else
            {
                SkipNode();
                continue;
            }

            if (count >= _options.MaxPolicyEntries)
            {
                (notTaken ??= new(StringComparer.Ordinal))[destination] = (keySpan.Line, keySpan.Column);
                if (!tooMany)
                {
                    tooMany = true; // reported once, as the general reader does
                    Error(DiagnosticCodes.InputTooLarge, "tls_policy",
                        $"tls_policy has more than {_options.MaxPolicyEntries.ToString(CultureInfo.InvariantCulture)} entries.", keySpan);
                }

                SkipNode();
                continue;
            }

            PolicyRow? row;
            if (_events.TryPlainScalar(out var level, out var levelStyle) && level.Length <= _options.MaxValueLength)
            {
                // dest: level
                var levelSpan = StartSpan();
                Next();
                row = new PolicyRow(destination, _strings.Share(PlainText(level, levelStyle)), keySpan, levelSpan);
            }
            else
            {
                var entry = _events.Kind == YamlToken.MappingStart
                    ? ReadPolicyMappingFast(destination, keySpan, attributeScratch, spanScratch)
                    : ReadPolicyEntry(destination, new Mark(0, keySpan.Line, keySpan.Column));
                row = entry is null ? null : new PolicyRow(entry);
            }

            if (row is null)
            {
                (notTaken ??= new(StringComparer.Ordinal))[destination] = (keySpan.Line, keySpan.Column);
                continue;
            }

            if (count == rows.Length)
            {
                Array.Resize(ref rows, rows.Length * 2);
            }

            rows[count] = row.Value;
            index.Add(count, rows);
            count++;
        }

        Next();
        return TlsPolicyTable.FromRows(rows, count, index, _file);
    }

    /// <summary>
    /// A key the fast path does not take as it is: <see cref="ReadKey"/> reports a non-scalar, merge,
    /// tagged or repeated key (told where the earlier one was) and returns the key it can use, or null.
    /// </summary>
    private string? ReadUnusualKey(PolicyRow[] rows, PolicyIndex index, Dictionary<string, (int Line, int Column)>? notTaken)
    {
        var earlier = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        if (_events.Current is Scalar repeated)
        {
            var at = index.Find(repeated.Value, rows);
            if (at >= 0)
            {
                var span = rows[at].ToEntry(_file).SpanOf(string.Empty)!.Value;
                earlier[repeated.Value] = (span.Line, span.Column);
            }
            else if (notTaken is not null && notTaken.TryGetValue(repeated.Value, out var first))
            {
                earlier[repeated.Value] = (first.Line, first.Column);
            }
        }

        return ReadKey(earlier, "tls_policy");
    }

    /// <summary><see cref="ReadPolicyEntry"/> for a mapping, reusing the scratch collections.</summary>
    private TlsPolicyEntry? ReadPolicyMappingFast(string destination, SourceSpan keySpan, Dictionary<string, (long Line, long Column)> seen, List<(string, SourceSpan)> spans)
    {
        string? context = null; // tls_policy[destination], made when something needs it
        string Context() => context ??= EntryContext(destination);
        var entrySpan = StartSpan();
        Enter();
        Next();
        seen.Clear();
        spans.Clear();
        SourceSpan? levelSpan = null;
        string? level = null;
        ValueList<string> protocols = default, exclude = default, match = default, tafile = default;
        string? ciphers = null, servername = null;
        bool? reuse = null, rpk = null;
        List<TlsPolicyAttributeValue>? others = null;
        bool protocolsScalar = false, excludeScalar = false, matchScalar = false;
        while (_events.Kind != YamlToken.MappingEnd)
        {
            string? name;
            if (_events.TryPlainScalar(out var key, out var keyStyle) && !(key == "<<" && keyStyle == ScalarStyle.Plain) && !seen.ContainsKey(key))
            {
                seen[key] = (_events.StartLine, _events.StartColumn);
                name = key;
                Next();
            }
            else
            {
                name = ReadKey(seen, Context());
            }

            if (name is null)
            {
                SkipNode();
                continue;
            }

            var valueSpan = StartSpan();
            if (name == "level")
            {
                levelSpan = valueSpan;
            }
            else
            {
                SetSpan(spans, name, valueSpan);
            }

            switch (name)
            {
                case "level":
                    level = FastScalar(destination, ref context) is { } l ? _strings.Share(l) : null;
                    break;
                case "protocols":
                    protocols = FastList(destination, ref context, name, out protocolsScalar);
                    break;
                case "exclude":
                    exclude = FastList(destination, ref context, name, out excludeScalar);
                    break;
                case "match":
                    match = FastList(destination, ref context, name, out matchScalar);
                    break;
                case "tafile":
                    tafile = FastList(destination, ref context, name, out _);
                    break;
                case "ciphers":
                    ciphers = FastScalar(destination, ref context);
                    break;
                case "servername":
                    servername = FastScalar(destination, ref context);
                    break;
                case "connection_reuse":
                    reuse = ReadBoolean(Context(), name);
                    break;
                case "enable_rpk":
                    rpk = ReadBoolean(Context(), name);
                    break;
                default:
                    if (FastScalar(destination, ref context) is { } other)
                    {
                        (others ??= []).Add(new TlsPolicyAttributeValue(name, other));
                    }

                    break;
            }
        }

        Next();
        _depth--;
        if (level is null)
        {
            Error(DiagnosticCodes.InvalidPolicyLevel, Context(), $"The policy for {destination} has no 'level'; add one such as 'level: encrypt'.", entrySpan);
            return null;
        }

        // As in ReadPolicyEntry: a list attribute written as one value is Postfix syntax, split at its separator.
        var matchSeparator = string.Equals(level.Trim(), "fingerprint", StringComparison.OrdinalIgnoreCase) ? '|' : ':';
        return new TlsPolicyEntry(destination, level)
        {
            Protocols = SplitIfScalar(protocols, protocolsScalar, ':'),
            Exclude = SplitIfScalar(exclude, excludeScalar, ':'),
            Match = SplitIfScalar(match, matchScalar, matchSeparator),
            TaFile = tafile,
            Ciphers = ciphers,
            ServerName = servername,
            ConnectionReuse = reuse,
            EnableRpk = rpk,
            OtherAttributes = others is null ? default : new ValueList<TlsPolicyAttributeValue>([.. others]),
            CompactSpans = new PolicyEntrySpans(keySpan, levelSpan, spans.Count == 0 ? null : [.. spans]),
        };
    }

    /// <summary>Records a part's position; a repeated part (reported by <see cref="ReadKey"/>) keeps the last, as the general reader does.</summary>
    private static void SetSpan(List<(string Part, SourceSpan Span)> spans, string name, SourceSpan span)
    {
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i].Part == name)
            {
                spans[i] = (name, span);
                return;
            }
        }

        spans.Add((name, span));
    }

    /// <summary>The diagnostic parameter of a policy entry, <c>tls_policy[destination]</c>.</summary>
    private static string EntryContext(string destination) => $"tls_policy[{destination}]";

    /// <summary><see cref="ReadScalar"/> for an attribute of the entry for <paramref name="destination"/>, without building the event or the context for a short untagged scalar.</summary>
    private string? FastScalar(string destination, ref string? context)
    {
        if (_events.TryPlainScalar(out var value, out var style) && value.Length <= _options.MaxValueLength)
        {
            Next();
            return _strings.Share(PlainText(value, style));
        }

        return ReadScalar(context ??= EntryContext(destination))?.Text;
    }

    /// <summary>
    /// <see cref="ReadList"/> for one value or a list; <paramref name="scalar"/> says it was one value.
    /// A list of short untagged scalars is read here with the same checks as <see cref="ReadValue"/>.
    /// </summary>
    private ValueList<string> FastList(string destination, ref string? context, string attribute, out bool scalar)
    {
        if (_events.TryPlainScalar(out var value, out var style) && value.Length <= _options.MaxValueLength)
        {
            Next();
            scalar = true;
            return new ValueList<string>([_strings.Share(PlainText(value, style))]);
        }

        scalar = false;
        if (!_events.IsPlainSequenceStart)
        {
            var scalars = new HashSet<string>(StringComparer.Ordinal);
            var read = ReadList(context ??= EntryContext(destination), attribute, scalars);
            scalar = scalars.Contains(attribute);
            return read;
        }

        // As ReadValue's list branch (its diagnostics name the entry, context).
        var listSpan = StartSpan();
        Enter();
        Next();
        var items = new List<string>(4);
        var length = 0L;
        var tooLong = false;
        while (_events.Kind != YamlToken.SequenceEnd)
        {
            if (_events.Kind == YamlToken.Scalar)
            {
                var text = _events.TryPlainScalar(out var item, out var itemStyle) && item.Length <= _options.MaxValueLength
                    ? _strings.Share(PlainText(item, itemStyle))
                    : ScalarText((Scalar)_events.Current, context ??= EntryContext(destination));
                length += text.Length + 2;
                if (length > _options.MaxValueLength && !tooLong)
                {
                    tooLong = true;
                    Error(DiagnosticCodes.InputTooLarge, context ??= EntryContext(destination),
                        $"The list is longer than {Count(_options.MaxValueLength)} characters in all (LoadOptions.MaxValueLength); shorten it.", listSpan);
                }

                if (!tooLong)
                {
                    items.Add(text);
                }

                Next();
            }
            else
            {
                context ??= EntryContext(destination);
                Error(DiagnosticCodes.WrongShape, context, $"A list item of {context} must be a single value, not {Describe(_events.Current)}.", _events.Start);
                SkipNode();
            }
        }

        Next();
        _depth--;
        return tooLong ? default : new ValueList<string>([.. items]);
    }

    private static ValueList<string> SplitIfScalar(ValueList<string> items, bool scalar, char separator) =>
        scalar && items.Count == 1 && items[0].Contains(separator, StringComparison.Ordinal)
            ? [.. items[0].Split(separator, StringSplitOptions.RemoveEmptyEntries)]
            : items;
}

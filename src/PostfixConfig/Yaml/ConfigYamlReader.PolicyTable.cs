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
    private Dictionary<string, string>? _sharedValues;

    private TlsPolicyTable ReadPolicyFast()
    {
        if (_events.Current is not MappingStart)
        {
            return ReadPolicy(); // empty value or the wrong shape: the general reader reports it
        }

        // Rows (compact for "dest: level") and an index that also finds repeated keys; keys whose
        // entry was not taken keep their line for the "given twice" message. ReadKey reports
        // non-scalar and repeated keys.
        var rows = new PolicyRow[16];
        var count = 0;
        var index = new PolicyIndex(16);
        Dictionary<string, (int Line, int Column)>? notTaken = null;
        var tooMany = false;
        var attributeScratch = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var spanScratch = new List<(string, SourceSpan)>();
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var at = _events.Current is Scalar k ? index.Find(k.Value, rows) : -1;
            (int Line, int Column) first = default;
            if (_events.Current is not Scalar key || at >= 0 || (notTaken?.TryGetValue(key.Value, out first) ?? false))
            {
                var earlier = new Dictionary<string, Mark>(StringComparer.Ordinal);
                if (_events.Current is Scalar repeated)
                {
                    if (at >= 0)
                    {
                        var span = rows[at].ToEntry(_file).SpanOf(string.Empty)!.Value;
                        first = (span.Line, span.Column);
                    }

                    earlier[repeated.Value] = new Mark(0, first.Line, first.Column);
                }

                _ = ReadKey(earlier, "tls_policy"); // reports it and returns null
                SkipNode();
                continue;
            }

            Next();
            var destination = key.Value;
            if (count >= _options.MaxPolicyEntries)
            {
                (notTaken ??= new(StringComparer.Ordinal))[destination] = ((int)keyMark.Line, (int)keyMark.Column);
                if (!tooMany)
                {
                    tooMany = true; // reported once, as the general reader does
                    Error(DiagnosticCodes.InputTooLarge, "tls_policy",
                        $"tls_policy has more than {_options.MaxPolicyEntries.ToString(CultureInfo.InvariantCulture)} entries.", keyMark);
                }

                SkipNode();
                continue;
            }

            PolicyRow? row;
            if (_events.Current is Scalar level && level.Value.Length <= _options.MaxValueLength)
            {
                // dest: level
                var levelSpan = Span(level.Start);
                Next();
                row = new PolicyRow(destination, KnownWord(ScalarText(level, null)), Span(keyMark), levelSpan);
            }
            else
            {
                var entry = _events.Current is MappingStart
                    ? ReadPolicyMappingFast(destination, keyMark, attributeScratch, spanScratch)
                    : ReadPolicyEntry(destination, keyMark);
                row = entry is null ? null : new PolicyRow(entry);
            }

            if (row is null)
            {
                (notTaken ??= new(StringComparer.Ordinal))[destination] = ((int)keyMark.Line, (int)keyMark.Column);
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

    /// <summary><see cref="ReadPolicyEntry"/> for a mapping, reusing the scratch collections.</summary>
    private TlsPolicyEntry? ReadPolicyMappingFast(string destination, Mark keyMark, Dictionary<string, Mark> seen, List<(string, SourceSpan)> spans)
    {
        var context = $"tls_policy[{destination}]";
        var entryMark = _events.Start;
        Enter(entryMark);
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
        while (_events.Current is not MappingEnd)
        {
            var name = ReadKey(seen, context);
            if (name is null)
            {
                SkipNode();
                continue;
            }

            var valueSpan = Span(_events.Start);
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
                    level = FastScalar(context) is { } l ? KnownWord(l) : null;
                    break;
                case "protocols":
                    protocols = FastList(context, name, out protocolsScalar);
                    break;
                case "exclude":
                    exclude = FastList(context, name, out excludeScalar);
                    break;
                case "match":
                    match = FastList(context, name, out matchScalar);
                    break;
                case "tafile":
                    tafile = FastList(context, name, out _);
                    break;
                case "ciphers":
                    ciphers = FastScalar(context);
                    break;
                case "servername":
                    servername = FastScalar(context);
                    break;
                case "connection_reuse":
                    reuse = ReadBoolean(context, name);
                    break;
                case "enable_rpk":
                    rpk = ReadBoolean(context, name);
                    break;
                default:
                    if (FastScalar(context) is { } other)
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
            Error(DiagnosticCodes.InvalidPolicyLevel, context, $"The policy for {destination} has no 'level'; add one such as 'level: encrypt'.", entryMark);
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
            CompactSpans = new PolicyEntrySpans(Span(keyMark), levelSpan, spans.Count == 0 ? null : [.. spans]),
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

    /// <summary><see cref="ReadScalar"/> without the tuple for the common case.</summary>
    private string? FastScalar(string context)
    {
        if (_events.Current is Scalar s && s.Value.Length <= _options.MaxValueLength)
        {
            Next();
            return Shared(ScalarText(s, null));
        }

        return ReadScalar(context)?.Text;
    }

    /// <summary><see cref="ReadList"/> for a single value or a list of short scalars; <paramref name="scalar"/> says it was one value.</summary>
    private ValueList<string> FastList(string context, string attribute, out bool scalar)
    {
        if (_events.Current is Scalar s && s.Value.Length <= _options.MaxValueLength)
        {
            Next();
            scalar = true;
            return new ValueList<string>([Shared(ScalarText(s, null))]);
        }

        var scalars = new HashSet<string>(StringComparer.Ordinal);
        var items = ReadList(context, attribute, scalars);
        scalar = scalars.Contains(attribute);
        return items;
    }

    private static ValueList<string> SplitIfScalar(ValueList<string> items, bool scalar, char separator) =>
        scalar && items.Count == 1 && items[0].Contains(separator, StringComparison.Ordinal)
            ? [.. items[0].Split(separator, StringSplitOptions.RemoveEmptyEntries)]
            : items;

    /// <summary>
    /// One instance of each short attribute value (<c>&gt;=TLSv1.2</c>, <c>nexthop</c>, <c>high</c>):
    /// large tables repeat a few values in most entries.
    /// </summary>
    private string Shared(string value)
    {
        if (value.Length > 24)
        {
            return value;
        }

        _sharedValues ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (_sharedValues.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (_sharedValues.Count < 4096)
        {
            _sharedValues[value] = value;
        }

        return value;
    }

    /// <summary>The shared instance of a level word, so a large table holds one copy of each.</summary>
    private static string KnownWord(string word) => word switch
    {
        "none" => "none",
        "may" => "may",
        "encrypt" => "encrypt",
        "dane" => "dane",
        "dane-only" => "dane-only",
        "fingerprint" => "fingerprint",
        "verify" => "verify",
        "secure" => "secure",
        _ => word,
    };
}

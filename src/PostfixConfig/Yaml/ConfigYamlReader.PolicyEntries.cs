using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// The general <c>tls_policy</c> reader: one entry at a time, every shape YAML allows. The fast reader
/// (<see cref="ReadPolicyFast"/>) hands it the unusual entries, and tests hold the two against each other.
/// </summary>
internal sealed partial class ConfigYamlReader
{
    private TlsPolicyTable ReadPolicy()
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return TlsPolicyTable.Empty;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, "tls_policy", $"'tls_policy' must be a mapping from destinations to levels, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return TlsPolicyTable.Empty;
        }

        var entries = new List<TlsPolicyEntry>();
        var tooMany = false;
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var destination = ReadKey(seen, "tls_policy");
            if (destination is null)
            {
                SkipNode();
                continue;
            }

            if (entries.Count >= _options.MaxPolicyEntries)
            {
                if (!tooMany)
                {
                    tooMany = true;
                    Error(DiagnosticCodes.InputTooLarge, "tls_policy",
                        $"tls_policy has more than {_options.MaxPolicyEntries.ToString(CultureInfo.InvariantCulture)} entries.", keyMark);
                }

                SkipNode();
                continue;
            }

            if (ReadPolicyEntry(destination, keyMark) is { } entry)
            {
                entries.Add(entry);
            }
        }

        Next();
        return TlsPolicyTable.Create(entries);
    }

    private TlsPolicyEntry? ReadPolicyEntry(string destination, Mark keyMark)
    {
        var context = EntryContext(destination);
        var spans = ImmutableDictionary.CreateBuilder<string, SourceSpan>(StringComparer.Ordinal);
        spans[string.Empty] = Span(keyMark);
        if (_events.Current is Scalar levelScalar)
        {
            spans["level"] = Span(levelScalar.Start);
            Next();
            return new TlsPolicyEntry(destination, ScalarText(levelScalar, context)) { Spans = spans.ToImmutable() };
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, context, $"A policy entry is a level (encrypt) or a mapping with 'level' and attributes, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return null;
        }

        var entryMark = _events.Start;
        Enter(entryMark);
        Next();
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        string? level = null;
        ValueList<string> protocols = default, exclude = default, match = default, tafile = default;
        var scalars = new HashSet<string>(StringComparer.Ordinal);
        string? ciphers = null, servername = null;
        bool? reuse = null, rpk = null;
        var others = ImmutableArray.CreateBuilder<TlsPolicyAttributeValue>();
        while (_events.Current is not MappingEnd)
        {
            var attrMark = _events.Start;
            var name = ReadKey(seen, context);
            if (name is null)
            {
                SkipNode();
                continue;
            }

            spans[name] = Span(_events.Start);
            switch (name)
            {
                case "level":
                    level = ReadScalar(context)?.Text;
                    break;
                case "protocols":
                    protocols = ReadList(context, name, scalars);
                    break;
                case "exclude":
                    exclude = ReadList(context, name, scalars);
                    break;
                case "match":
                    match = ReadList(context, name, scalars);
                    break;
                case "tafile":
                    tafile = ReadList(context, name, scalars);
                    break;
                case "ciphers":
                    ciphers = ReadScalar(context)?.Text;
                    break;
                case "servername":
                    servername = ReadScalar(context)?.Text;
                    break;
                case "connection_reuse":
                    reuse = ReadBoolean(context, name);
                    break;
                case "enable_rpk":
                    rpk = ReadBoolean(context, name);
                    break;
                default:
                    if (ReadScalar(context) is { } other)
                    {
                        others.Add(new TlsPolicyAttributeValue(name, other.Text));
                    }

                    break;
            }

            _ = attrMark;
        }

        Next();
        _depth--;
        if (level is null)
        {
            Error(DiagnosticCodes.InvalidPolicyLevel, context, $"The policy for {destination} has no 'level'; add one such as 'level: encrypt'.", entryMark);
            return null;
        }

        var matchSeparator = string.Equals(level.Trim(), "fingerprint", StringComparison.OrdinalIgnoreCase) ? '|' : ':';
        return new TlsPolicyEntry(destination, level)
        {
            Protocols = SplitScalar(protocols, "protocols", scalars, ':'),
            Exclude = SplitScalar(exclude, "exclude", scalars, ':'),
            Match = SplitScalar(match, "match", scalars, matchSeparator),
            TaFile = tafile,
            Ciphers = ciphers,
            ServerName = servername,
            ConnectionReuse = reuse,
            EnableRpk = rpk,
            OtherAttributes = new ValueList<TlsPolicyAttributeValue>(others.ToImmutable()),
            Spans = spans.ToImmutable(),
        };
    }

    /// <summary>A list attribute: a YAML list, or one value (noted in <paramref name="scalars"/>, see <see cref="SplitScalar"/>).</summary>
    private ValueList<string> ReadList(string context, string attribute, HashSet<string> scalars)
    {
        var value = ReadValue(context);
        if (value is null)
        {
            return default;
        }

        if (value.IsList)
        {
            return new ValueList<string>(value.Items);
        }

        scalars.Add(attribute);
        return [value.Text];
    }

    /// <summary>
    /// A list attribute written as one value is Postfix syntax (<c>protocols: "!SSLv2:!SSLv3"</c>): it
    /// holds the items Postfix reads from it, split at the attribute's separator. A YAML list holds its
    /// items as given (validation reports an item that contains the separator).
    /// </summary>
    private static ValueList<string> SplitScalar(ValueList<string> items, string attribute, HashSet<string> scalars, char separator) =>
        scalars.Contains(attribute) && items.Count == 1 && items[0].Contains(separator, StringComparison.Ordinal)
            ? [.. items[0].Split(separator, StringSplitOptions.RemoveEmptyEntries)]
            : items;
}

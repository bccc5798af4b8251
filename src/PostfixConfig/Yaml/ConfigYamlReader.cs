using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// Reads the YAML configuration shape (<c>postfix_version</c>, <c>main</c>, <c>tls_policy</c>) straight
/// from the parser's events into the model, recording source positions and reporting every
/// structural problem it can in one pass. Names and values are checked later by validation.
/// </summary>
internal sealed partial class ConfigYamlReader
{
    private static readonly string[] TopLevelKeys = ["postfix_version", "main", "tls_policy"];

    private readonly YamlEventSource _events;
    private readonly string? _file;
    private readonly LoadOptions _options;
    private readonly List<Diagnostic> _diagnostics = [];
    private int _depth;

    private ConfigYamlReader(IParser parser, string? file, LoadOptions options)
    {
        _events = new YamlEventSource(parser, options.MaxAliasExpansion);
        _file = file;
        _options = options;
    }

    public static Result<TlsConfiguration> Read(string yaml, string? file, LoadOptions options)
    {
        var pre = PreScan(yaml, file, options);
        if (pre.Count > 0)
        {
            return new Result<TlsConfiguration>(null, DiagnosticList.Create(pre));
        }

        return ReadPreferringSubset(() => new StringReader(yaml), yaml.Length, file, options);
    }

    public static Result<TlsConfiguration> Read(TextReader text, string? file, LoadOptions options) =>
        Read(new Parser(new Scanner(text, skipComments: true)), file, options);

    private static Result<TlsConfiguration> Read(IParser parser, string? file, LoadOptions options)
    {
        var r = new ConfigYamlReader(parser, file, options);
        TlsConfiguration? config = null;
        try
        {
            config = r.ReadStream();
        }
        catch (AliasBudgetExceededException e)
        {
            r.Error(DiagnosticCodes.AliasExpansionTooLarge, null,
                $"YAML anchors and aliases expand to more than {options.MaxAliasExpansion.ToString(CultureInfo.InvariantCulture)} nodes; "
                + "write the values out instead of repeating aliases.", e.StartMark);
        }
        catch (YamlException e)
        {
            r.Error(DiagnosticCodes.YamlSyntax, null, YamlMessages.Explain(e), e.Start);
        }

        config = config is null ? null : config with { SourcePath = file };
        return new Result<TlsConfiguration>(config, DiagnosticList.Create(r._diagnostics));
    }

    /// <summary>
    /// Checks that YamlDotNet reports poorly or not at all: input size, and tabs in indentation
    /// (reported for every line, not only the first).
    /// </summary>
    private static List<Diagnostic> PreScan(string yaml, string? file, LoadOptions options)
    {
        var found = new List<Diagnostic>();
        if (yaml.Length > options.MaxInputChars)
        {
            found.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                $"The input is {yaml.Length.ToString(CultureInfo.InvariantCulture)} characters long; the limit is {options.MaxInputChars.ToString(CultureInfo.InvariantCulture)}.",
                new SourceSpan(file, 1, 1)));
            return found;
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i <= yaml.Length; i++)
        {
            if (i < yaml.Length && yaml[i] != '\n')
            {
                continue;
            }

            // Leading whitespace of this line.
            var j = lineStart;
            while (j < i && (yaml[j] == ' ' || yaml[j] == '\t'))
            {
                if (yaml[j] == '\t' && j + 1 < i && yaml[j + 1] != '#')
                {
                    found.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null,
                        "A tab character is used for indentation; YAML indents with spaces only.",
                        new SourceSpan(file, line, j - lineStart + 1)));
                    break;
                }

                j++;
            }

            line++;
            lineStart = i + 1;
        }

        return found;
    }

    private SourceSpan Span(Mark mark) => new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private void Error(string code, string? parameter, string message, Mark mark) =>
        _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, parameter, message, Span(mark)));

    private void Next()
    {
        if (!_events.MoveNext())
        {
            throw new YamlException(_events.Current?.End ?? Mark.Empty, _events.Current?.End ?? Mark.Empty, "The document ended unexpectedly.");
        }
    }

    private TlsConfiguration? ReadStream()
    {
        Next(); // StreamStart
        Next();
        if (_events.Current is StreamEnd)
        {
            Error(DiagnosticCodes.NotOneDocument, null, "The file is empty; expected a mapping with postfix_version, main and tls_policy.", _events.Start);
            return null;
        }

        // DocumentStart
        Next();
        TlsConfiguration? config = null;
        if (_events.Current is MappingStart)
        {
            config = ReadRoot();
        }
        else
        {
            Error(DiagnosticCodes.WrongShape, null, $"The document must be a mapping with the keys postfix_version, main and tls_policy, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
        }

        // The node has been consumed: the current event is DocumentEnd.
        Next();
        if (_events.Current is DocumentStart)
        {
            Error(DiagnosticCodes.NotOneDocument, null, "The file holds more than one YAML document; put everything in one.", _events.Start);
        }

        return config;
    }

    private TlsConfiguration ReadRoot()
    {
        var config = new TlsConfiguration();
        var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var key = ReadKey(seen, null);
            if (key is null)
            {
                SkipNode();
                continue;
            }

            switch (key)
            {
                case "postfix_version":
                    if (ReadScalar("postfix_version") is { } scalar)
                    {
                        var (text, mark) = scalar;
                        if (PostfixVersion.TryParse(text, out var v))
                        {
                            config = config with { PostfixVersion = v };
                        }
                        else
                        {
                            Error(DiagnosticCodes.InvalidPostfixVersion, "postfix_version",
                                $"'{text}' is not a Postfix release; write it as a quoted string such as \"3.7\" or \"3.7.11\".", mark);
                        }
                    }

                    break;
                case "main":
                    config = config with { Main = ReadMain() };
                    break;
                case "tls_policy":
                    config = config with { TlsPolicy = _options.GeneralPolicyReader ? ReadPolicy() : ReadPolicyFast() };
                    break;
                default:
                    var hint = TopLevelKeys.FirstOrDefault(k => IsClose(k, key));
                    Error(DiagnosticCodes.UnknownTopLevelKey, null,
                        $"Unknown top-level key '{key}'; the keys are postfix_version, main and tls_policy"
                        + (hint is null ? "." : $" (did you mean '{hint}'?)."), keyMark);
                    SkipNode();
                    break;
            }
        }

        Next();
        return config;
    }

    private static bool IsClose(string a, string b) =>
        a.Replace("_", "", StringComparison.Ordinal).Equals(b.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)
        || (b.Length > 3 && a.StartsWith(b[..4], StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a mapping key; reports non-scalar and duplicate keys and returns null for them.</summary>
    private string? ReadKey(Dictionary<string, Mark> seen, string? context)
    {
        var mark = _events.Start;
        if (_events.Current is not Scalar scalar)
        {
            Error(DiagnosticCodes.WrongShape, context, $"A key must be a plain name, not {Describe(_events.Current)}.", mark);
            SkipNode();
            return null;
        }

        Next();
        var key = scalar.Value;
        if (seen.TryGetValue(key, out var first))
        {
            Error(DiagnosticCodes.DuplicateKey, context is null ? key : $"{context}[{key}]",
                $"'{key}' is given twice in the same mapping (first at line {first.Line.ToString(CultureInfo.InvariantCulture)}); Postfix would silently keep only one. Remove one of them.",
                mark);
            return null;
        }

        seen[key] = mark;
        return key;
    }

    private ParameterMap ReadMain()
    {
        var map = ParameterMap.Empty;
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return map;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, "main", $"'main' must be a mapping of Postfix parameter names to values, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return map;
        }

        var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var name = ReadKey(seen, null);
            if (name is null)
            {
                SkipNode();
                continue;
            }

            var value = ReadValue(name);
            if (value is not null)
            {
                map = map.Set(name, value, Span(keyMark));
            }
        }

        Next();
        return map;
    }

    /// <summary>A parameter value: a scalar or a list of scalars.</summary>
    private PostfixValue? ReadValue(string parameter)
    {
        var mark = _events.Start;
        switch (_events.Current)
        {
            case Scalar s:
                Next();
                return PostfixValue.Of(ScalarText(s, parameter), Span(mark));
            case SequenceStart:
                Enter(mark);
                Next();
                var items = ImmutableArray.CreateBuilder<string>();
                while (_events.Current is not SequenceEnd)
                {
                    if (_events.Current is Scalar item)
                    {
                        items.Add(ScalarText(item, parameter));
                        Next();
                    }
                    else
                    {
                        Error(DiagnosticCodes.WrongShape, parameter, $"A list item of {parameter} must be a single value, not {Describe(_events.Current)}.", _events.Start);
                        SkipNode();
                    }
                }

                Next();
                _depth--;
                return PostfixValue.OfList(items.ToImmutable(), Span(mark));
            default:
                Error(DiagnosticCodes.WrongShape, parameter, $"The value of {parameter} must be a single value or a list, not {Describe(_events.Current)}.", mark);
                SkipNode();
                return null;
        }
    }

    private string ScalarText(Scalar s, string? parameter)
    {
        if (s.Value.Length > _options.MaxValueLength)
        {
            Error(DiagnosticCodes.InputTooLarge, parameter,
                $"The value is {s.Value.Length.ToString(CultureInfo.InvariantCulture)} characters long; the limit is {_options.MaxValueLength.ToString(CultureInfo.InvariantCulture)}.", s.Start);
        }

        if (s.Style == ScalarStyle.Plain)
        {
            switch (s.Value)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    return string.Empty;
                case "true" or "True" or "TRUE":
                    return "yes";
                case "false" or "False" or "FALSE":
                    return "no";
            }
        }

        return s.Value;
    }

    private (string Text, Mark Mark)? ReadScalar(string parameter)
    {
        var mark = _events.Start;
        if (_events.Current is Scalar s)
        {
            Next();
            return (ScalarText(s, parameter), mark);
        }

        Error(DiagnosticCodes.WrongShape, parameter, $"{parameter} must be a single value, not {Describe(_events.Current)}.", mark);
        SkipNode();
        return null;
    }

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
        var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
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
                Error(DiagnosticCodes.InputTooLarge, "tls_policy",
                    $"tls_policy has more than {_options.MaxPolicyEntries.ToString(CultureInfo.InvariantCulture)} entries.", keyMark);
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
        var context = $"tls_policy[{destination}]";
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
        var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
        string? level = null;
        ValueList<string> protocols = default, exclude = default, match = default, tafile = default;
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
                    protocols = ReadList(context, name);
                    break;
                case "exclude":
                    exclude = ReadList(context, name);
                    break;
                case "match":
                    match = ReadList(context, name);
                    break;
                case "tafile":
                    tafile = ReadList(context, name);
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

        return new TlsPolicyEntry(destination, level)
        {
            Protocols = protocols,
            Exclude = exclude,
            Match = match,
            TaFile = tafile,
            Ciphers = ciphers,
            ServerName = servername,
            ConnectionReuse = reuse,
            EnableRpk = rpk,
            OtherAttributes = new ValueList<TlsPolicyAttributeValue>(others.ToImmutable()),
            Spans = spans.ToImmutable(),
        };
    }

    private ValueList<string> ReadList(string context, string attribute)
    {
        var value = ReadValue(context);
        if (value is null)
        {
            return default;
        }

        return value.IsList ? new ValueList<string>(value.Items) : [value.Text];
    }

    private bool? ReadBoolean(string context, string attribute)
    {
        var mark = _events.Start;
        if (ReadScalar(context) is not { } s)
        {
            return null;
        }

        if (s.Text.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (s.Text.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Error(DiagnosticCodes.InvalidPolicyAttributeValue, context, $"{attribute} takes yes or no, not '{s.Text}'.", mark);
        return null;
    }

    private void Enter(Mark mark)
    {
        if (++_depth > _options.MaxDepth)
        {
            throw new YamlException(mark, mark, $"The YAML is nested more than {_options.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels deep.");
        }
    }

    /// <summary>Consumes the current node and everything inside it.</summary>
    private void SkipNode()
    {
        var depth = 0;
        do
        {
            depth += _events.Current.NestingIncrease;
            if (depth > _options.MaxDepth)
            {
                throw new YamlException(_events.Start, _events.Start, $"The YAML is nested more than {_options.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels deep.");
            }

            Next();
        }
        while (depth > 0);
    }

    private static string Describe(ParsingEvent e) => e switch
    {
        MappingStart => "a mapping",
        SequenceStart => "a list",
        Scalar s when s.Style == ScalarStyle.Plain && s.Value.Length == 0 => "an empty value",
        Scalar s => $"the value '{(s.Value.Length > 40 ? s.Value[..40] + "…" : s.Value)}'",
        _ => "nothing",
    };
}

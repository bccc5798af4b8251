using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>
/// Reads the YAML configuration shape (<c>postfix_version</c>, <c>main</c>, <c>tls_policy</c>, ...) straight
/// from the parser's events into the model, recording source positions and reporting every
/// structural problem it can in one pass. Names and values are checked later by validation.
/// </summary>
internal sealed partial class ConfigYamlReader
{
    /// <summary>
    /// The top-level keys this reader accepts, the one list of them, in the order documentation
    /// lists them: the JSON Schema must describe each (a test checks), and unknown-key hints and
    /// messages come from here.
    /// </summary>
    internal static readonly string[] TopLevelKeys = ["postfix_version", "openssl_version", "profile", "main", "services", "sni", "tls_policy", "mta_sts", "publish", "used_by_master_cf"];

    /// <summary>The top-level keys as a phrase for messages.</summary>
    private static readonly string TopLevelKeyList = string.Join(", ", TopLevelKeys[..^1]) + " and " + TopLevelKeys[^1];

    /// <summary>Tags a value may carry: YAML's core schema (<c>!!str</c>, ...) and the non-specific <c>!</c>.</summary>
    private static readonly string[] CoreTags =
    [
        "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
    ];

    private readonly IYamlEvents _events;
    private readonly string? _file;
    private readonly LoadOptions _options;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly YamlStrings _strings = new();
    private int _depth;

    private ConfigYamlReader(IYamlEvents events, string? file, LoadOptions options)
    {
        _events = events;
        _file = file;
        _options = options;
    }

    /// <summary>What one parse found: the model (as far as it got), structural problems, and the syntax error that stopped it.</summary>
    private sealed record Outcome(TlsConfiguration? Config, List<Diagnostic> Structural, Diagnostic? Syntax, int SyntaxFirstLine);

    /// <summary>One parse of the events: the model as far as it got, and what was found.</summary>
    private static Outcome ReadOnce(IYamlEvents events, string? file, LoadOptions options)
    {
        var r = new ConfigYamlReader(events, file, options);
        try
        {
            return new Outcome(r.ReadStream(), r._diagnostics, null, 0);
        }
        catch (AliasBudgetExceededException e)
        {
            r.Error(DiagnosticCodes.AliasExpansionTooLarge, null,
                $"YAML anchors and aliases expand to more than {Count(options.MaxAliasExpansion)} nodes (an 'alias bomb'?); "
                + "write the values out instead of repeating aliases.", e.StartMark);
        }
        catch (YamlLimitException e)
        {
            r.Error(DiagnosticCodes.InputTooLarge, null, e.Message, e.Start);
        }
        catch (YamlException e)
        {
            var (message, mark) = YamlMessages.Explain(e, r._events.OpenFlowCollection);
            return r.SyntaxOutcome(message, mark);
        }
        catch (YamlScannerFaultException)
        {
            var (message, mark) = YamlMessages.ExplainScannerFault(r._events.OpenFlowCollection, r._events.LastTextEnd);
            return r.SyntaxOutcome(message, mark);
        }

        return new Outcome(null, r._diagnostics, null, 0);
    }

    private Outcome SyntaxOutcome(string message, Mark mark)
    {
        var syntax = new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.YamlSyntax, null, message, Span(mark));
        return new Outcome(null, _diagnostics, syntax, syntax.Span!.Value.Line);
    }

    private static Diagnostic TooLarge(string path, LoadOptions options) =>
        new(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
            $"The file is larger than the limit of {Count(options.MaxInputChars)} characters (LoadOptions.MaxInputChars); is it the right file?",
            new SourceSpan(path, 1, 1));

    private static Result<TlsConfiguration> Fail(Diagnostic d) => new(null, DiagnosticList.Create([d]));

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private SourceSpan Span(Mark mark) => new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private void Error(string code, string? parameter, string message, Mark mark) => Error(code, parameter, message, Span(mark));

    private void Error(string code, string? parameter, string message, SourceSpan span) =>
        _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, parameter, message, span));

    /// <summary>Where the current event starts, as a source position (without building the event).</summary>
    private SourceSpan StartSpan() => new(_file, _events.StartLine, _events.StartColumn);

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
            Error(DiagnosticCodes.NotOneDocument, null, $"The file is empty; expected a mapping with {TopLevelKeyList}.", _events.Start);
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
            Error(DiagnosticCodes.WrongShape, null, $"The document must be a mapping with the keys {TopLevelKeyList}, not {Describe(_events.Current)}.", _events.Start);
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
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
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
                            config = config with { PostfixVersion = v, PostfixVersionSpan = Span(mark) };
                        }
                        else
                        {
                            Error(DiagnosticCodes.InvalidPostfixVersion, "postfix_version",
                                $"'{text}' is not a Postfix release; write it as a quoted string such as \"3.7\" or \"3.7.11\".", mark);
                        }
                    }

                    break;
                case "openssl_version":
                    if (ReadScalar("openssl_version") is { } ssl)
                    {
                        if (OpenSslVersion.TryParse(ssl.Text, out var o))
                        {
                            config = config with { OpenSslVersion = o, OpenSslVersionSpan = Span(ssl.Mark) };
                        }
                        else
                        {
                            Error(DiagnosticCodes.InvalidOpenSslVersion, "openssl_version",
                                $"'{PostfixText.Printable(ssl.Text)}' is not an OpenSSL version; write it as a quoted string such as \"3.0\" or \"1.1.1\" (what 'openssl version' prints on the mail host).", ssl.Mark);
                        }
                    }

                    break;
                case "profile":
                    if (ReadScalar("profile") is { } named)
                    {
                        if (Catalog.ProfileCatalog.Parse(named.Text) is { } profile)
                        {
                            config = config with { Profile = profile, ProfileSpan = Span(named.Mark) };
                        }
                        else
                        {
                            var near = Catalog.ProfileCatalog.ProfileNames.FirstOrDefault(n => n.Equals(named.Text, StringComparison.OrdinalIgnoreCase) || IsClose(n, named.Text));
                            Error(DiagnosticCodes.UnknownProfile, "profile",
                                $"Unknown profile '{PostfixText.Printable(named.Text)}'; the profiles are {string.Join(", ", Catalog.ProfileCatalog.ProfileNames)}"
                                + (near is null ? "." : $" (did you mean '{near}'?)."), named.Mark);
                        }
                    }

                    break;
                case "main":
                    config = config with { Main = ReadParameters("main", null) };
                    break;
                case "services":
                    config = config with { Services = ReadServices() };
                    break;
                case "sni":
                    config = config with { Sni = ReadSni() };
                    break;
                case "tls_policy":
                    config = config with { TlsPolicy = _options.GeneralPolicyReader ? ReadPolicy() : ReadPolicyFast() };
                    break;
                case "mta_sts":
                    config = config with { MtaSts = ReadMtaSts(keyMark) };
                    break;
                case "publish":
                    config = config with { Publish = ReadPublish(keyMark) };
                    break;
                case "used_by_master_cf":
                    var usedMark = _events.Start;
                    if (ReadValue("used_by_master_cf") is { } used)
                    {
                        config = config with
                        {
                            UsedByMasterCf = used.IsList ? new ValueList<string>(used.Items) : [.. PostfixText.SplitList(used.Text)],
                            UsedByMasterCfSpan = Span(usedMark),
                        };
                    }

                    break;
                default:
                    var hint = TopLevelKeys.FirstOrDefault(k => IsClose(k, key));
                    Error(DiagnosticCodes.UnknownTopLevelKey, null,
                        $"Unknown top-level key '{PostfixText.Printable(key)}'; the keys are {TopLevelKeyList}"
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
    private string? ReadKey(Dictionary<string, (long Line, long Column)> seen, string? context)
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
        if (key == "<<" && scalar.Style == ScalarStyle.Plain)
        {
            Error(DiagnosticCodes.WrongShape, context,
                "YAML merge keys ('<<: *anchor') are not supported; write the keys out (an alias can still stand for a whole value or list).", mark);
            return null;
        }

        CheckTag(scalar, context);
        if (seen.TryGetValue(key, out var first))
        {
            var shown = PostfixText.Printable(key);
            Error(DiagnosticCodes.DuplicateKey, context is null ? shown : $"{context}[{shown}]",
                $"'{shown}' is given twice in the same mapping (first at line {first.Line.ToString(CultureInfo.InvariantCulture)}, column {first.Column.ToString(CultureInfo.InvariantCulture)}); only one can count. Remove one of them.",
                mark);
            return null;
        }

        seen[key] = (mark.Line, mark.Column);
        return key;
    }

    /// <summary>Reports a tag other than YAML's core ones (<c>!!binary</c>, <c>!custom</c>): it would be silently ignored.</summary>
    private void CheckTag(NodeEvent node, string? parameter)
    {
        if (!node.Tag.IsEmpty && !CoreTags.Contains(node.Tag.Value, StringComparer.Ordinal))
        {
            Error(DiagnosticCodes.WrongShape, parameter,
                $"The tag '{PostfixText.Printable(node.Tag.Value.Replace("tag:yaml.org,2002:", "!!", StringComparison.Ordinal))}' has no meaning here and would be ignored; remove it (values are plain text).", node.Start);
        }
    }

    private void Enter(Mark mark)
    {
        if (++_depth > _options.MaxDepth)
        {
            throw new YamlLimitException(mark, NestedTooDeep());
        }
    }

    /// <summary><see cref="Enter(Mark)"/> at the current event, which is built only when the limit is hit.</summary>
    private void Enter()
    {
        if (_depth + 1 > _options.MaxDepth)
        {
            Enter(_events.Start);
        }

        _depth++;
    }

    private string NestedTooDeep() =>
        $"The YAML is nested more than {Count(_options.MaxDepth)} levels deep (LoadOptions.MaxDepth); this configuration needs at most 4.";

    /// <summary>Consumes the current node and everything inside it.</summary>
    private void SkipNode()
    {
        var depth = 0;
        do
        {
            depth += _events.Current.NestingIncrease;
            if (depth > _options.MaxDepth)
            {
                throw new YamlLimitException(_events.Start, NestedTooDeep());
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
        Scalar s => $"the value '{PostfixText.Printable(s.Value, 40)}'",
        _ => "nothing",
    };
}

/// <summary>A limit of <see cref="LoadOptions"/> was hit while reading (nesting depth).</summary>
internal sealed class YamlLimitException(Mark start, string message) : Exception(message)
{
    public Mark Start { get; } = start;
}

using System.Collections.Immutable;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>The sections of the configuration: <c>main</c>, <c>services</c>, <c>sni</c>, and the values in them.</summary>
internal sealed partial class ConfigYamlReader
{
    /// <summary>
    /// A mapping of Postfix parameter names to values (<c>main</c>, or one service of <c>services</c>,
    /// whose <paramref name="reserved"/> reader takes the keys that are not parameters).
    /// </summary>
    private ParameterMap ReadParameters(string context, Func<string, Mark, bool>? reserved)
    {
        var map = ParameterMap.Empty;
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return map;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, context, $"'{context}' must be a mapping of Postfix parameter names to values, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return map;
        }

        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        var parameters = new List<(string, PostfixValue, SourceSpan?)>();
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var name = ReadKey(seen, context == "main" ? null : context);
            if (name is { Length: 0 })
            {
                Error(DiagnosticCodes.InvalidParameterName, context,
                    $"An entry of '{context}' has an empty name; every entry needs a parameter name, as in 'smtpd_tls_security_level: may'.", keyMark);
                name = null;
            }

            if (name is null)
            {
                SkipNode();
                continue;
            }

            if (reserved is not null && reserved(name, keyMark))
            {
                continue;
            }

            var value = ReadValue(name);
            if (value is not null)
            {
                parameters.Add((name, value, Span(keyMark)));
            }
        }

        Next();
        return ParameterMap.Create(parameters);
    }

    /// <summary><c>sni</c>: host names or <c>.domain</c>s mapped to their key and certificate chain files (a list, or one combined file).</summary>
    private SniTable ReadSni()
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return SniTable.Empty;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, "sni",
                $"'sni' must be a mapping from host names to [key file, certificate chain file], not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return SniTable.Empty;
        }

        var entries = new List<SniEntry>();
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var name = ReadKey(seen, "sni");
            if (name is null)
            {
                SkipNode();
                continue;
            }

            var filesMark = _events.Start;
            var context = $"sni[{PostfixText.Printable(name)}]";
            if (ReadValue(context) is { } files)
            {
                entries.Add(new SniEntry(name, files.AsList()) { Span = Span(keyMark), FilesSpan = Span(filesMark) });
            }
        }

        Next();
        return SniTable.Create(entries);
    }

    /// <summary><c>services</c>: service names mapped to their overrides (and <c>listen</c>).</summary>
    private ServiceTable ReadServices()
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return ServiceTable.Empty;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, "services",
                $"'services' must be a mapping from service names (submission, submissions) to their settings, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return ServiceTable.Empty;
        }

        var services = new List<ServiceSettings>();
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        Enter(_events.Start);
        Next();
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            var name = ReadKey(seen, "services");
            if (name is null)
            {
                SkipNode();
                continue;
            }

            string? listen = null;
            SourceSpan? listenSpan = null;
            var context = $"services.{PostfixText.Printable(name)}";
            var overrides = ReadParameters(context, (key, mark) =>
            {
                if (key != "listen")
                {
                    return false;
                }

                if (ReadScalar($"{context}.listen") is { } l)
                {
                    (listen, listenSpan) = (l.Text, Span(l.Mark));
                }

                return true;
            });
            services.Add(new ServiceSettings(name) { Overrides = overrides, Listen = listen, ListenSpan = listenSpan, Span = Span(keyMark) });
        }

        Next();
        _depth--;
        return ServiceTable.Create(services);
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
            case SequenceStart start:
                CheckTag(start, parameter);
                Enter(mark);
                Next();
                var items = ImmutableArray.CreateBuilder<string>();
                var length = 0L;
                var tooLong = false;
                while (_events.Current is not SequenceEnd)
                {
                    if (_events.Current is Scalar item)
                    {
                        var text = ScalarText(item, parameter);
                        length += text.Length + 2;
                        if (length > _options.MaxValueLength && !tooLong)
                        {
                            tooLong = true;
                            Error(DiagnosticCodes.InputTooLarge, parameter,
                                $"The list is longer than {Count(_options.MaxValueLength)} characters in all (LoadOptions.MaxValueLength); shorten it.", mark);
                        }

                        if (!tooLong)
                        {
                            items.Add(text);
                        }

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
                return tooLong ? null : PostfixValue.OfList(items.ToImmutable(), Span(mark));
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
                $"The value is {Count(s.Value.Length)} characters long; the limit is {Count(_options.MaxValueLength)} (LoadOptions.MaxValueLength).", s.Start);
            return string.Empty;
        }

        CheckTag(s, parameter);
        return s.Tag.IsEmpty || s.Tag.Value != "tag:yaml.org,2002:str" ? PlainText(s.Value, s.Style) : s.Value;
    }

    /// <summary>The text of an untagged scalar: a plain null is empty, a plain boolean is Postfix's yes or no.</summary>
    private static string PlainText(string value, ScalarStyle style)
    {
        if (style == ScalarStyle.Plain)
        {
            switch (value)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    return string.Empty;
                case "true" or "True" or "TRUE":
                    return "yes";
                case "false" or "False" or "FALSE":
                    return "no";
            }
        }

        return value;
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
}

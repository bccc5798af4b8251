using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Yaml;

/// <summary>The MTA-STS sections: <c>mta_sts</c> (the resolver Postfix asks) and <c>publish</c> (what the domain publishes).</summary>
internal sealed partial class ConfigYamlReader
{
    private static readonly string[] MtaStsKeys = ["resolver", "address", "require_sni", "tlsrpt"];

    private static readonly string[] PublishKeys = ["domain", "mta_sts", "tlsrpt"];

    private static readonly string[] PolicyKeys = ["mode", "mx", "max_age"];

    private static readonly string[] TlsRptKeys = ["rua"];

    /// <summary><c>mta_sts</c>: <c>resolver</c> and <c>address</c> (both required), <c>require_sni</c> and <c>tlsrpt</c>.</summary>
    private MtaStsResolver? ReadMtaSts(Mark sectionMark)
    {
        const string Section = "mta_sts";
        if (!EnterSection(Section, "a mapping with resolver (postfix-mta-sts-resolver or postfix-tlspol) and address (inet:HOST:PORT or unix:PATH)"))
        {
            return null;
        }

        MtaStsResolverKind? kind = null;
        string? address = null;
        bool? requireSni = null, tlsRpt = null;
        SourceSpan? kindSpan = null, addressSpan = null, requireSniSpan = null, tlsRptSpan = null;
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            switch (ReadKey(seen, Section))
            {
                case null:
                    SkipNode();
                    break;
                case "resolver":
                    if (ReadScalar("mta_sts.resolver") is { } r)
                    {
                        kindSpan = Span(r.Mark);
                        kind = MtaStsResolver.Parse(r.Text);
                        if (kind is null)
                        {
                            Error(DiagnosticCodes.InvalidMtaStsResolver, "mta_sts.resolver",
                                $"Unknown MTA-STS resolver '{PostfixText.Printable(r.Text)}'; PostfixConfig knows postfix-mta-sts-resolver (the Debian package) and postfix-tlspol.", r.Mark);
                        }
                    }

                    break;
                case "address":
                    if (ReadScalar("mta_sts.address") is { } a)
                    {
                        (address, addressSpan) = (a.Text, Span(a.Mark));
                    }

                    break;
                case "require_sni":
                    requireSniSpan = StartSpan();
                    requireSni = ReadBoolean("mta_sts.require_sni", "require_sni");
                    break;
                case "tlsrpt":
                    tlsRptSpan = StartSpan();
                    tlsRpt = ReadBoolean("mta_sts.tlsrpt", "tlsrpt");
                    break;
                case var other:
                    UnknownSectionKey(Section, other, MtaStsKeys, keyMark, DiagnosticCodes.InvalidMtaStsResolver);
                    break;
            }
        }

        Next();
        _depth--;
        var span = Span(sectionMark);
        if (kind is null && kindSpan is null)
        {
            Error(DiagnosticCodes.InvalidMtaStsResolver, Section,
                "mta_sts needs 'resolver': the policy resolver that runs on the host, postfix-mta-sts-resolver or postfix-tlspol.", span);
        }

        if (address is null)
        {
            Error(DiagnosticCodes.InvalidMtaStsResolver, Section,
                "mta_sts needs 'address': where the resolver listens, inet:HOST:PORT (postfix-mta-sts-resolver: inet:127.0.0.1:8461, postfix-tlspol: inet:127.0.0.1:8642) or unix:PATH.", span);
        }

        return kind is { } k && address is not null
            ? new MtaStsResolver(k, address)
            {
                RequireSni = requireSni ?? true,
                TlsRpt = tlsRpt ?? false,
                Span = span,
                KindSpan = kindSpan,
                AddressSpan = addressSpan,
                RequireSniSpan = requireSni is null ? null : requireSniSpan,
                TlsRptSpan = tlsRpt is null ? null : tlsRptSpan,
            }
            : null;
    }

    /// <summary><c>publish</c>: <c>domain</c> (required), <c>mta_sts</c> and <c>tlsrpt</c>.</summary>
    private PublishedPolicy? ReadPublish(Mark sectionMark)
    {
        const string Section = "publish";
        if (!EnterSection(Section, "a mapping with domain, mta_sts ({mode, mx, max_age}) and tlsrpt ({rua})"))
        {
            return null;
        }

        string? domain = null;
        SourceSpan? domainSpan = null;
        MtaStsPolicy? policy = null;
        TlsRptPolicy? tlsRpt = null;
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        while (_events.Current is not MappingEnd)
        {
            var keyMark = _events.Start;
            switch (ReadKey(seen, Section))
            {
                case null:
                    SkipNode();
                    break;
                case "domain":
                    if (ReadScalar("publish.domain") is { } d)
                    {
                        (domain, domainSpan) = (d.Text, Span(d.Mark));
                    }

                    break;
                case "mta_sts":
                    policy = ReadPublishedMtaSts(keyMark);
                    break;
                case "tlsrpt":
                    tlsRpt = ReadPublishedTlsRpt(keyMark);
                    break;
                case var other:
                    UnknownSectionKey(Section, other, PublishKeys, keyMark, DiagnosticCodes.InvalidPublishedPolicy);
                    break;
            }
        }

        Next();
        _depth--;
        if (domain is null)
        {
            Error(DiagnosticCodes.InvalidPublishedPolicy, Section, "publish needs 'domain': the mail domain the policy and records are for (example.com).", Span(sectionMark));
            return null;
        }

        return new PublishedPolicy(domain) { MtaSts = policy, TlsRpt = tlsRpt, Span = Span(sectionMark), DomainSpan = domainSpan };
    }

    private MtaStsPolicy? ReadPublishedMtaSts(Mark keyMark)
    {
        const string Section = "publish.mta_sts";
        if (!EnterSection(Section, "a mapping with mode (enforce, testing or none), mx (a list of MX host patterns) and max_age (seconds)"))
        {
            return null;
        }

        MtaStsMode? mode = null;
        SourceSpan? modeSpan = null, mxSpan = null, maxAgeSpan = null;
        var mx = ImmutableArray<string>.Empty;
        var mxSpans = ImmutableArray<SourceSpan>.Empty;
        long? maxAge = null;
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        while (_events.Current is not MappingEnd)
        {
            var itemKeyMark = _events.Start;
            switch (ReadKey(seen, Section))
            {
                case null:
                    SkipNode();
                    break;
                case "mode":
                    if (ReadScalar("publish.mta_sts.mode") is { } m)
                    {
                        modeSpan = Span(m.Mark);
                        mode = m.Text switch
                        {
                            "enforce" => MtaStsMode.Enforce,
                            "testing" => MtaStsMode.Testing,
                            "none" => MtaStsMode.None,
                            _ => null,
                        };
                        if (mode is null)
                        {
                            Error(DiagnosticCodes.InvalidPublishedPolicy, "publish.mta_sts.mode",
                                $"'{PostfixText.Printable(m.Text)}' is not an MTA-STS mode; RFC 8461 knows enforce, testing and none (in lower case).", m.Mark);
                        }
                    }

                    break;
                case "mx":
                    mxSpan = StartSpan();
                    (mx, mxSpans) = ReadStrings("publish.mta_sts.mx");
                    break;
                case "max_age":
                    if (ReadScalar("publish.mta_sts.max_age") is { } a)
                    {
                        maxAgeSpan = Span(a.Mark);
                        if (long.TryParse(a.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                        {
                            maxAge = seconds;
                        }
                        else
                        {
                            Error(DiagnosticCodes.InvalidPublishedPolicy, "publish.mta_sts.max_age",
                                $"max_age is a number of seconds (RFC 8461: 0 to {MtaStsPolicy.MaxMaxAge.ToString(CultureInfo.InvariantCulture)}, such as 604800 for a week), not '{PostfixText.Printable(a.Text)}'.", a.Mark);
                        }
                    }

                    break;
                case var other:
                    UnknownSectionKey(Section, other, PolicyKeys, itemKeyMark, DiagnosticCodes.InvalidPublishedPolicy);
                    break;
            }
        }

        Next();
        _depth--;
        if (mode is null)
        {
            if (modeSpan is null)
            {
                Error(DiagnosticCodes.InvalidPublishedPolicy, Section, "publish.mta_sts needs 'mode': enforce, testing or none (start with testing).", Span(keyMark));
            }

            return null;
        }

        return new MtaStsPolicy(mode.Value, mx)
        {
            MaxAge = maxAge ?? MtaStsPolicy.DefaultMaxAge,
            Span = Span(keyMark),
            ModeSpan = modeSpan,
            MxSpan = mxSpan,
            MxItemSpans = mxSpans,
            MaxAgeSpan = maxAge is null ? null : maxAgeSpan,
        };
    }

    private TlsRptPolicy? ReadPublishedTlsRpt(Mark keyMark)
    {
        const string Section = "publish.tlsrpt";
        if (!EnterSection(Section, "a mapping with rua (a list of mailto: or https: URIs)"))
        {
            return null;
        }

        var rua = ImmutableArray<string>.Empty;
        var ruaSpans = ImmutableArray<SourceSpan>.Empty;
        SourceSpan? ruaSpan = null;
        var seen = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        while (_events.Current is not MappingEnd)
        {
            var itemKeyMark = _events.Start;
            switch (ReadKey(seen, Section))
            {
                case null:
                    SkipNode();
                    break;
                case "rua":
                    ruaSpan = StartSpan();
                    (rua, ruaSpans) = ReadStrings("publish.tlsrpt.rua");
                    break;
                case var other:
                    UnknownSectionKey(Section, other, TlsRptKeys, itemKeyMark, DiagnosticCodes.InvalidPublishedPolicy);
                    break;
            }
        }

        Next();
        _depth--;
        return new TlsRptPolicy(rua) { Span = Span(keyMark), RuaSpan = ruaSpan, RuaItemSpans = ruaSpans };
    }

    /// <summary>
    /// At the value of a section key: true (and inside the mapping, one level deeper) for a mapping; false
    /// for an empty value (consumed) and for any other node (reported and skipped).
    /// </summary>
    private bool EnterSection(string section, string shape)
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return false;
        }

        if (_events.Current is not MappingStart)
        {
            Error(DiagnosticCodes.WrongShape, section, $"'{section}' must be {shape}, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return false;
        }

        Enter(_events.Start);
        Next();
        return true;
    }

    private void UnknownSectionKey(string section, string key, string[] known, Mark mark, string code)
    {
        var hint = known.FirstOrDefault(k => IsClose(k, key)) ?? known.FirstOrDefault(k => key.Length > 3 && EditDistance(k, key.ToLowerInvariant()) <= 2);
        Error(code, section,
            $"Unknown key '{PostfixText.Printable(key)}' in {section}; the keys are {string.Join(", ", known)}" + (hint is null ? "." : $" (did you mean '{hint}'?)."), mark);
        SkipNode();
    }

    /// <summary>Levenshtein distance of two short keys (a letter missing, doubled or swapped counts as a near miss).</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>One value or a list of values, with the position of each.</summary>
    private (ImmutableArray<string> Items, ImmutableArray<SourceSpan> Spans) ReadStrings(string context)
    {
        if (_events.Current is Scalar { Value: "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            Next();
            return ([], []);
        }

        if (_events.Current is Scalar)
        {
            var span = StartSpan();
            var one = ReadScalar(context);
            return one is { } s ? ([s.Text], [span]) : ([], []);
        }

        if (_events.Current is not SequenceStart start)
        {
            Error(DiagnosticCodes.WrongShape, context, $"{context} must be a value or a list of values, not {Describe(_events.Current)}.", _events.Start);
            SkipNode();
            return ([], []);
        }

        CheckTag(start, context);
        Enter(_events.Start);
        Next();
        var items = ImmutableArray.CreateBuilder<string>();
        var spans = ImmutableArray.CreateBuilder<SourceSpan>();
        while (_events.Current is not SequenceEnd)
        {
            var span = StartSpan();
            if (_events.Current is Scalar)
            {
                if (ReadScalar(context) is { } s)
                {
                    items.Add(s.Text);
                    spans.Add(span);
                }
            }
            else
            {
                Error(DiagnosticCodes.WrongShape, context, $"A list item of {context} must be a single value, not {Describe(_events.Current)}.", _events.Start);
                SkipNode();
            }
        }

        Next();
        _depth--;
        return (items.ToImmutable(), spans.ToImmutable());
    }
}

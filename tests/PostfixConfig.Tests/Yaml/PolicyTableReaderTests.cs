using System.Text;
using CsCheck;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Yaml;

/// <summary>
/// The fast <c>tls_policy</c> reader must give exactly what the general reader gives: the same
/// entries, the same source positions for every part, and the same diagnostics at the same
/// positions, for well-formed and malformed tables alike.
/// </summary>
public class PolicyTableReaderTests
{
    private static readonly string[] Keys = ["a.example", ".a.example", "\"[mx.b.example]:25\"", "A.EXAMPLE", "'c.example'", "d-e.example", "[x, y]", "{k: v}"];

    private static readonly string[] Scalars =
        ["encrypt", "dane-only", "fingerprint", "True", "null", "\"\"", "'may'", "~", "\"a: b\"", "TLSv1.2", "\">=TLSv1.2\"", "x123456789012345678901234567890"];

    private static readonly string[] Attributes =
        ["level", "protocols", "ciphers", "exclude", "match", "tafile", "servername", "connection_reuse", "enable_rpk", "policy_ttl", "bogus"];

    /// <summary>One attribute value in some YAML shape (scalar, flow list, block list, mapping, nested list).</summary>
    private static readonly Gen<Func<string, string>> Value =
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, Scalars.Length - 1].Array[0, 3]).Select<int, int[], Func<string, string>>((shape, items) => indent =>
        {
            var words = items.Select(i => Scalars[i]).ToArray();
            var first = words.Length > 0 ? words[0] : "yes";
            return shape switch
            {
                0 or 1 => " " + first + "\n",
                2 => " [" + string.Join(", ", words) + "]\n",
                3 => "\n" + string.Concat(words.Select(w => indent + "  - " + w + "\n")) + (words.Length == 0 ? indent + "  - x\n" : ""),
                4 => " {a: " + first + "}\n",
                5 => " [[" + first + "]]\n",
                _ => "\n" + indent + "  - {x: " + first + "}\n",
            };
        });

    private static readonly Gen<string> Entry =
        Gen.Select(Gen.Int[0, Keys.Length - 1], Gen.Int[0, 5], Gen.Select(Gen.Int[0, Attributes.Length - 1], Value).Array[0, 5], Gen.Int[0, Scalars.Length - 1])
            .Select((key, shape, attributes, scalar) =>
            {
                var sb = new StringBuilder("  ").Append(Keys[key]).Append(':');
                switch (shape)
                {
                    case 0 or 1:
                        sb.Append(' ').Append(Scalars[scalar]).Append('\n');
                        break;
                    case 2:
                        sb.Append(" {").AppendJoin(", ", attributes.Select(a => Attributes[a.Item1] + ": " + Scalars[scalar])).Append("}\n");
                        break;
                    case 3:
                        sb.Append(" [a, b]\n");
                        break;
                    default:
                        sb.Append('\n');
                        foreach (var (name, value) in attributes)
                        {
                            sb.Append("    ").Append(Attributes[name]).Append(':').Append(value("    "));
                        }

                        if (attributes.Length == 0)
                        {
                            sb.Append("    level: may\n");
                        }

                        break;
                }

                return sb.ToString();
            });

    private static readonly Gen<LoadOptions> Options = Gen.Int[0, 4].Select(i => i switch
    {
        0 => LoadOptions.Default with { MaxPolicyEntries = 3 },
        1 => LoadOptions.Default with { MaxValueLength = 12 },
        2 => LoadOptions.Default with { MaxDepth = 1 },
        _ => LoadOptions.Default,
    });

    private static readonly Gen<string> Documents = Entry.Array[0, 12].Select(entries =>
        "postfix_version: \"3.9\"\nmain:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n" + string.Concat(entries));

    private static readonly string[] Words = ["encrypt", "True", "null", "\"\"", "'may'", "~", "\"a: b\"", "\">=TLSv1.2\"", "FALSE", "x.example"];

    /// <summary>Tables without reader errors (unique keys, a level in every entry), so that the models are compared too.</summary>
    private static readonly Gen<string> ValidDocuments =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, Words.Length - 1], Gen.Select(Gen.Int[1, Attributes.Length - 1], Gen.Int[0, 3], Gen.Int[0, Words.Length - 1].Array[1, 3]).Array[0, 4])
            .Array[0, 10]
            .Select(entries =>
            {
                var sb = new StringBuilder("main:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n");
                for (var i = 0; i < entries.Length; i++)
                {
                    var (keyShape, level, attributes) = entries[i];
                    var key = keyShape switch { 0 => $"k{i}.example", 1 => $".k{i}.example", 2 => $"\"[mx{i}.example]:25\"", _ => $"'k{i}.example'" };
                    if (attributes.Length == 0)
                    {
                        sb.Append("  ").Append(key).Append(": ").Append(Words[level]).Append('\n');
                        continue;
                    }

                    sb.Append("  ").Append(key).Append(":\n    level: ").Append(Words[level]).Append('\n');
                    foreach (var (name, shape, items) in attributes.DistinctBy(a => a.Item1))
                    {
                        var attribute = Attributes[name];
                        var words = items.Select(w => attribute is "connection_reuse" or "enable_rpk" ? (w % 2 == 0 ? "yes" : "False") : Words[w]).ToArray();
                        var single = attribute is "ciphers" or "servername" or "connection_reuse" or "enable_rpk" or "policy_ttl" or "bogus";
                        sb.Append("    ").Append(attribute).Append(':');
                        sb.Append((single ? 0 : shape) switch
                        {
                            0 or 1 => " " + words[0] + "\n",
                            2 => " [" + string.Join(", ", words) + "]\n",
                            _ => "\n" + string.Concat(words.Select(w => "      - " + w + "\n")),
                        });
                    }
                }

                return sb.ToString();
            });

    [Fact]
    public void Read_GeneratedValidTables_FastReaderEqualsGeneralReader() =>
        ValidDocuments.Sample(yaml =>
        {
            Assert.False(PostfixTls.LoadYaml(yaml, "t.yaml").HasErrors, yaml);
            AssertSameResult(yaml, LoadOptions.Default);
        }, iter: 500);

    private static void AssertSameResult(string yaml, LoadOptions options)
    {
        var fast = PostfixTls.LoadYaml(yaml, "t.yaml", options with { GeneralPolicyReader = false });
        var general = PostfixTls.LoadYaml(yaml, "t.yaml", options with { GeneralPolicyReader = true });
        Assert.Equal(Lines(general.Diagnostics), Lines(fast.Diagnostics));
        Assert.Equal(general.Value is null, fast.Value is null);
        if (general.Value is null)
        {
            return;
        }

        Assert.Equal(general.Value, fast.Value);
        var pairs = general.Value.TlsPolicy.Zip(fast.Value!.TlsPolicy);
        foreach (var (g, f) in pairs)
        {
            Assert.Equal(Spans(g), Spans(f));
            Assert.Equal(g.RenderValue(), f.RenderValue());
        }
    }

    private static string[] Lines(DiagnosticList list) => [.. list.Select(d => d.ToString() + " @" + d.Span)];

    private static string[] Spans(TlsPolicyEntry e) => [.. e.Spans.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")];

    [Fact]
    public void Read_GeneratedTables_FastReaderEqualsGeneralReader() =>
        Gen.Select(Documents, Options).Sample((yaml, options) => AssertSameResult(yaml, options), iter: 500);

    [Theory]
    [InlineData("tls_policy:\n")]
    [InlineData("tls_policy: ~\n")]
    [InlineData("tls_policy: [a, b]\n")]
    [InlineData("tls_policy: encrypt\n")]
    [InlineData("tls_policy:\n  a.example:\n")]
    [InlineData("tls_policy:\n  a.example: {}\n  a.example: may\n")]
    [InlineData("tls_policy: &p\n  a.example: may\nmain: *p\n")]
    [InlineData("tls_policy:\n  a.example: &l encrypt\n  b.example: *l\n  c.example: {level: *l, match: &m [x, y]}\n  d.example: {level: may, exclude: *m}\n")]
    [InlineData("tls_policy:\n  !!str a.example: may\n  !!str a.example: encrypt\n  !custom b.example: may\n")]
    [InlineData("tls_policy:\n  <<: {a.example: may}\n  \"<<\": encrypt\n")]
    [InlineData("tls_policy:\n  a.example: !!str encrypt\n  b.example: {level: !!str verify, !!str match: !!seq [x, !!str y]}\n")]
    [InlineData("tls_policy:\n  a.example: {level: verify, match: [x, [y], {z: 1}, ~, true]}\n  b.example: {level: verify, match: !custom [x]}\n")]
    [InlineData("tls_policy:\n  a.example: {level: verify, match: [x, y], level: may, match: z}\n  b.example: {match: x}\n  b.example: may\n")]
    [InlineData("tls_policy:\n  ? [a, b]\n  : may\n  c.example: {? [x]\n  : y, level: may}\n")]
    public void Read_EdgeCases_FastReaderEqualsGeneralReader(string yaml) => AssertSameResult(yaml, LoadOptions.Default);

    [Fact]
    public void Read_ListsAtTheLengthLimit_FastReaderEqualsGeneralReader()
    {
        var options = LoadOptions.Default with { MaxValueLength = 12 };
        AssertSameResult("tls_policy:\n  a.example: {level: verify, match: [abcd, efgh, ijkl]}\n  b.example: {level: verify, match: [abcdefghijklmnop]}\n  c.example: {level: verify, match: [ab, cd]}\n", options);
    }

    [Fact]
    public void Read_ShortAndLongForms_RecordPartPositions()
    {
        // Positions counted by hand: 1-based line and column of the key and of each value.
        var yaml = "tls_policy:\n  a.example: encrypt\n  b.example:\n    level: secure\n    match: [x, y]\n";
        var table = PostfixTls.LoadYaml(yaml, "t.yaml").GetValueOrThrow().TlsPolicy;
        Assert.Equal(new SourceSpan("t.yaml", 2, 3), table[0].SpanOf(string.Empty));
        Assert.Equal(new SourceSpan("t.yaml", 2, 14), table[0].SpanOf("level"));
        Assert.Equal(new SourceSpan("t.yaml", 2, 3), table[0].SpanOf("match")); // not written: falls back to the key
        Assert.Equal(new SourceSpan("t.yaml", 3, 3), table[1].SpanOf(string.Empty));
        Assert.Equal(new SourceSpan("t.yaml", 4, 12), table[1].SpanOf("level"));
        Assert.Equal(new SourceSpan("t.yaml", 5, 12), table[1].SpanOf("match"));
    }
}

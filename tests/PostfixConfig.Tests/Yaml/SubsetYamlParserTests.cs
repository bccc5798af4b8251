using System.Text;
using CsCheck;
using PostfixConfig.Tests.Support;
using PostfixConfig.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Tests.Yaml;

/// <summary>
/// The fast parser must give exactly YamlDotNet's events (values, styles, positions) for every
/// input it accepts, and must refuse (so that YamlDotNet reads it) whatever it cannot give exactly.
/// </summary>
public class SubsetYamlParserTests
{
    private static readonly string[] Keys = ["a", "b.c", ".d.example", "x-y", "k1", "level", "\"q k\"", "'s k'", "\"[mx.example]:25\"", "a b", "t:u"];

    private static readonly string[] Values =
    [
        "v", "y z", "hash:/etc/postfix/x", "a#b", "1", "~", "null", "true", "it's", "a, b", "x  ", "\"x\"", "'y'", "\"a: b\"", "\"\"", "''",
        "[a, b]", "[]", "{}", "{k: v, l: [1, 2]}", "[a:b, \"c\"]", "[ a , b ]", "{ level: x }", "[[a], {b: c}]", "\">=TLSv1.2\"", "btree:${data_directory}/x", "a[1]", "x}", "f(a)", "a:b:c",
    ];

    // Outside the subset, or invalid YAML.
    private static readonly string[] Odd =
    [
        ">=TLSv1.2", "a: b", "-x", "[a,]", "\"esc\\n\"", "'it''s'", "&a x", "*a", "!t x", "|", "[a", "{a}", "{a:b}", "%x", "@x", "x\ty", "é", "a\rb", "[a, b] c",
    ];

    private static readonly string[] Comments = ["", " # c", "  #c", "#c", "   "];

    private static string Document(int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        if (random.Next(4) == 0)
        {
            sb.Append("# leading comment\n\n");
        }

        Mapping(sb, random, 0, 0);
        var text = sb.ToString();
        return random.Next(5) == 0 ? text.TrimEnd('\n') : text;
    }

    private static string Value(Random random) =>
        random.Next(40) == 0 ? Odd[random.Next(Odd.Length)] : Values[random.Next(Values.Length)];

    private static void Mapping(StringBuilder sb, Random random, int indent, int depth)
    {
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var pad = new string(' ', indent);
            sb.Append(pad).Append(Keys[random.Next(Keys.Length)]).Append(':');
            var shape = depth > 2 ? 0 : random.Next(4);
            var child = indent + (random.Next(20) == 0 ? 1 : 2 + (random.Next(2) * 2));
            switch (shape)
            {
                case 0 or 1:
                    sb.Append(' ').Append(Value(random)).Append(Comments[random.Next(Comments.Length)]).Append('\n');
                    break;
                case 2:
                    sb.Append(Comments[random.Next(Comments.Length)]).Append('\n');
                    Mapping(sb, random, child, depth + 1);
                    break;
                default:
                    sb.Append('\n');
                    for (var j = random.Next(0, 4); j >= 0; j--)
                    {
                        sb.Append(new string(' ', random.Next(30) == 0 ? indent : child)).Append("- ").Append(Value(random)).Append('\n');
                    }

                    break;
            }

            if (random.Next(8) == 0)
            {
                sb.Append(random.Next(2) == 0 ? "\n" : pad + "# comment\n");
            }

            if (random.Next(30) == 0)
            {
                sb.Append(pad).Append("  continued\n"); // a continuation line
            }
        }
    }

    private static List<string> YamlDotNetEvents(string yaml)
    {
        var events = new List<string>();
        var parser = new Parser(new Scanner(new StringReader(yaml), skipComments: true));
        while (parser.MoveNext())
        {
            events.Add(Describe(parser.Current!));
        }

        return events;
    }

    private static List<string>? SubsetEvents(string yaml)
    {
        var events = new List<string>();
        var parser = new SubsetYamlParser(new StringReader(yaml), expectedLength: 1); // smallest buffer: refills and growth are exercised
        try
        {
            while (parser.MoveNext())
            {
                events.Add(Describe(parser.Current!));
            }
        }
        catch (NotInSubsetException)
        {
            return null;
        }

        return events;
    }

    private static string Describe(ParsingEvent e)
    {
        static string M(Mark m) => $"{m.Line}:{m.Column}@{m.Index}";
        var extra = e switch
        {
            Scalar s => $" '{s.Value}' {s.Style} key={s.IsKey} pi={s.IsPlainImplicit} qi={s.IsQuotedImplicit} tag={s.Tag.IsEmpty} anchor={s.Anchor.IsEmpty}",
            MappingStart m => $" {m.Style} implicit={m.IsImplicit} tag={m.Tag.IsEmpty} anchor={m.Anchor.IsEmpty}",
            SequenceStart q => $" {q.Style} implicit={q.IsImplicit} tag={q.Tag.IsEmpty} anchor={q.Anchor.IsEmpty}",
            DocumentStart d => $" implicit={d.IsImplicit}",
            DocumentEnd d => $" implicit={d.IsImplicit}",
            _ => string.Empty,
        };
        return $"{e.GetType().Name} {M(e.Start)}-{M(e.End)}{extra}";
    }

    [Fact]
    public void MoveNext_GeneratedDocuments_SameEventsAsYamlDotNetOrRefuses()
    {
        var accepted = 0;
        var total = 0;
        Gen.Int.Sample(seed =>
        {
            var yaml = Document(seed);
            var subset = SubsetEvents(yaml);
            Interlocked.Increment(ref total);
            if (subset is null)
            {
                return;
            }

            Interlocked.Increment(ref accepted);
            List<string> expected;
            try
            {
                expected = YamlDotNetEvents(yaml);
            }
            catch (YamlException e)
            {
                Assert.Fail($"accepted YAML that YamlDotNet rejects ({e.Message}):\n{yaml}");
                return;
            }

            Assert.True(expected.SequenceEqual(subset), $"events differ for:\n{yaml}\nYamlDotNet:\n{string.Join('\n', expected)}\nsubset:\n{string.Join('\n', subset)}");
        }, iter: 5000);
        Assert.True(accepted > total / 5, $"only {accepted} of {total} generated documents were in the subset; the test checks too little");
    }

    [Theory]
    [InlineData("newsletter.yaml")]
    [InlineData("legacy-postfix-2.yaml")]
    [InlineData("submission-server.yaml")]
    public void MoveNext_Examples_SameEventsAsYamlDotNet(string example)
    {
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Examples, example));
        Assert.Equal(YamlDotNetEvents(yaml), SubsetEvents(yaml));
    }

    [Fact]
    public void MoveNext_LinesLongerThanTheBuffer_SameEventsAsYamlDotNet()
    {
        var yaml = "a: " + new string('x', 1000) + "\nb:\n  - " + new string('y', 700) + "\n  - [" + string.Join(", ", Enumerable.Repeat("zz", 300)) + "]\n";
        Assert.Equal(YamlDotNetEvents(yaml), SubsetEvents(yaml));
    }

    [Fact]
    public void LoadYaml_OutsideTheSubset_ReadByYamlDotNetWithTheSameResult()
    {
        // An anchor and an alias: outside the subset, so the whole text is read again by YamlDotNet.
        const string yaml = "main:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n  a.example: &l encrypt\n  b.example: *l\n";
        var result = PostfixTls.LoadYaml(yaml).GetValueOrThrow();
        Assert.Equal("encrypt", result.TlsPolicy.Find("b.example")!.Level);
        Assert.Equal(PostfixTls.LoadYaml(yaml, options: LoadOptions.Default with { YamlDotNetOnly = true }).Value, result);
    }

    [Fact]
    public void LoadYaml_SyntaxError_SameDiagnosticsAsYamlDotNet()
    {
        const string yaml = "main:\n  a: [b\n";
        Assert.Equal(
            PostfixTls.LoadYaml(yaml, "x.yaml", LoadOptions.Default with { YamlDotNetOnly = true }).Diagnostics,
            PostfixTls.LoadYaml(yaml, "x.yaml").Diagnostics);
    }
}

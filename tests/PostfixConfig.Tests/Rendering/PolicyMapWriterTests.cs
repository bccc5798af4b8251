using CsCheck;
using PostfixConfig.Catalog;
using PostfixConfig.Rendering;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

/// <summary>
/// The streamed policy map (built-in template, no Scriban) must be byte for byte what Scriban
/// renders from the same template. The Scriban path is forced with a user template folder holding
/// a copy of the built-in <c>templates/tls_policy.sbn</c>.
/// </summary>
public sealed class PolicyMapWriterTests : IDisposable
{
    private static readonly TargetRelease Release = TargetRelease.For(PostfixVersion.Parse("3.7.11"));

    private readonly TempDir _templates = new();

    public PolicyMapWriterTests()
    {
        File.Copy(Path.Combine(RepoPaths.Root, "templates", "tls_policy.sbn"), _templates.File("tls_policy.sbn"));
    }

    public void Dispose() => _templates.Dispose();

    // Characters that matter to the map format and to Normalize: separators, tab, non-ASCII.
    private static readonly Gen<string> Text = Gen.String[Gen.Char["aZ09.:|=-_[] \té{}#"], 0, 8];

    // The same with CR, LF and other control characters, which both paths must refuse.
    private static readonly Gen<string> ControlText = Gen.String[Gen.Char["aZ09.:|=-_[] \r\n\t\u0001\u007fé{}#"], 0, 8];

    private static readonly Gen<bool?> Flag = Gen.OneOf<bool?>(null, true, false);

    private static Gen<TlsPolicyEntry> EntryOf(Gen<string> text)
    {
        var level = Gen.OneOf(Gen.OneOf("may", "encrypt", "dane", "fingerprint", "FingerPrint", "secure", "none", ""), text);
        var list = text.Array[0, 3].Select(a => ValueList.From(a));
        return Gen.Select(text, level, list, text.Null(), list, list, list, text.Null(), Flag, Flag,
            (dest, level, protocols, ciphers, exclude, match, tafile, servername, reuse, rpk) =>
                new TlsPolicyEntry(dest, level)
                {
                    Protocols = protocols,
                    Ciphers = ciphers,
                    Exclude = exclude,
                    Match = match,
                    TaFile = tafile,
                    ServerName = servername,
                    ConnectionReuse = reuse,
                    EnableRpk = rpk,
                })
            .Select(Gen.Select(text, text).Array[0, 2], (e, others) =>
                e with { OtherAttributes = ValueList.From(others.Select(o => new TlsPolicyAttributeValue("x" + o.Item1, o.Item2))) });
    }

    private static readonly Gen<TlsPolicyEntry> Entry = EntryOf(Text);

    // Nine tables in ten are printable (so they reach the byte comparison); one in ten mixes in
    // entries whose text may hold control characters.
    private static readonly Gen<TlsPolicyTable> Tables = Gen.Frequency(
        (9, Entry.Array[1, 12]),
        (1, Gen.Select(Entry.Array[0, 6], EntryOf(ControlText).Array[1, 3], (a, b) => a.Concat(b).ToArray())))
        .Select(entries => TlsPolicyTable.Create(entries.DistinctBy(e => e.Destination)));

    private static TlsConfiguration Config(TlsPolicyTable table, string maps = "hash:/etc/postfix/tls_policy") =>
        new TlsConfiguration { TlsPolicy = table }.Set("smtp_tls_policy_maps", maps);

    private string ViaScriban(TlsConfiguration config) =>
        ConfigurationRenderer.Render(config, Release, RenderOptions.Default with { TemplateDirectory = _templates.Path })
            .Files.Single(f => f.Kind == RenderedFileKind.Map).Content;

    private static string Streamed(TlsConfiguration config)
    {
        var file = ConfigurationRenderer.Render(config, Release, RenderOptions.Default).Files.Single(f => f.Kind == RenderedFileKind.Map);
        using var writer = new StringWriter { NewLine = "\n" };
        file.WriteTo(writer);
        return writer.ToString();
    }

    [Fact]
    public void Write_RandomTables_EqualsScribanOutputByteForByte()
    {
        int compared = 0, refused = 0;
        Tables.Sample(table =>
        {
            var config = Config(table);
            static bool Bad(string s) => s.Any(c => (c < ' ' && c != '\t') || c == '\u007f');
            var unwritable = table.Any(e => Bad(e.Destination) || Bad(e.RenderValue()));
            if (unwritable)
            {
                // Both paths refuse a line break or control character (the renderer's last guard).
                Assert.Throws<InvalidOperationException>(() => ViaScriban(config));
                Assert.Throws<InvalidOperationException>(() => Streamed(config));
                Interlocked.Increment(ref refused);
                return;
            }

            Assert.Equal(ViaScriban(config), Streamed(config));
            Interlocked.Increment(ref compared);
        }, iter: 300);

        // About 270 of 300 are expected to be compared and 30 refused (binomial, sd ~5): the bounds
        // are far enough out never to fail by chance, and fail when the generator drifts into one branch.
        Assert.True(compared >= 200, $"only {compared} of 300 samples reached the byte comparison ({refused} refused)");
        Assert.True(refused >= 5, $"only {refused} of 300 samples held a control character ({compared} compared)");
    }

    // Tables read from YAML keep "dest: level" entries in compact form, which the writer reads directly.
    private static readonly Gen<string> YamlTables =
        Gen.Select(Gen.OneOf("may", "encrypt", "'dane'", "FINGERPRINT", "\"x y\"", "true"), Gen.Int[0, 2]).Array[1, 20].Select(rows =>
            "tls_policy:\n" + string.Concat(rows.Select((r, i) => r.Item2 switch
            {
                0 => $"  d{i}.example: {r.Item1}\n",
                1 => $"  \"[mx{i}.example]:25\": {{level: {r.Item1}, match: [a, b]}}\n",
                _ => $"  .d{i}.example:\n    level: {r.Item1}\n    protocols: TLSv1.3\n",
            })));

    [Fact]
    public void Write_TablesReadFromYaml_EqualsScribanOutputByteForByte() =>
        YamlTables.Sample(yaml =>
        {
            var config = PostfixTls.LoadYaml(yaml).GetValueOrThrow().Set("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy");
            Assert.Equal(ViaScriban(config), Streamed(config));
        }, iter: 200);

    [Theory]
    [InlineData("lmdb:/etc/postfix/tls_policy")]
    [InlineData("cdb:/var/lib/postfix/policy, hash:/etc/postfix/other")]
    public void Write_OtherMapTypes_EqualsScribanOutput(string maps)
    {
        var config = Config(TlsPolicyTable.Create([new TlsPolicyEntry("example.com", "encrypt")]), maps);
        Assert.Equal(ViaScriban(config), Streamed(config));
    }

    [Fact]
    public void Write_KnownEntries_MatchHandWrittenMap()
    {
        // Expected text written by hand from the map format in policy-table.md (one "key level attr=value" line each).
        var table = TlsPolicyTable.Create(
        [
            new TlsPolicyEntry("example.com", "encrypt") { Protocols = ["TLSv1.2", "TLSv1.3"] },
            new TlsPolicyEntry("[relay.example.org]:587", "fingerprint") { Match = ["AA:BB", "CC:DD"] },
            new TlsPolicyEntry(".example.net", "secure") { Match = ["nexthop", "dot-nexthop"], TaFile = ["/a.pem", "/b.pem"], ConnectionReuse = true },
        ]);
        Assert.Equal(
            "# TLS policy table for smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n"
            + "# Generated by postfix-config. Install it as /etc/postfix/tls_policy, then run: postmap hash:/etc/postfix/tls_policy\n"
            + "example.com encrypt protocols=TLSv1.2:TLSv1.3\n"
            + "[relay.example.org]:587 fingerprint match=AA:BB|CC:DD\n"
            + ".example.net secure match=nexthop:dot-nexthop tafile=/a.pem tafile=/b.pem connection_reuse=yes\n",
            Streamed(Config(table)));
    }

    [Fact]
    public void Content_BuiltInTemplate_EqualsStreamedText()
    {
        var config = Config(TlsPolicyTable.Create([new TlsPolicyEntry("a.example", "dane"), new TlsPolicyEntry("b.example", "may")]));
        var file = ConfigurationRenderer.Render(config, Release, RenderOptions.Default).Find("tls_policy")!;
        Assert.Equal(Streamed(config), file.Content);
        Assert.EndsWith("a.example dane\nb.example may\n", file.Content, StringComparison.Ordinal);
    }

    private static TlsPolicyTable Compact(string destination, string level)
    {
        PolicyRow[] rows = [new PolicyRow("ok.example", "may", default, default), new PolicyRow(destination, level, default, default)];
        return TlsPolicyTable.FromRows(rows, rows.Length, PolicyIndex.Build(rows, rows.Length), null);
    }

    public static TheoryData<string, TlsPolicyTable> UnwritableTables => new()
    {
        { "compact destination", Compact("bad\n.example", "may") },
        { "compact level", Compact("bad.example", "may\u0001") },
        { "entry destination", TlsPolicyTable.Create([new TlsPolicyEntry("ok.example", "may"), new TlsPolicyEntry("bad\r.example", "encrypt") { Protocols = ["TLSv1.2"] }]) },
        { "entry attribute", TlsPolicyTable.Create([new TlsPolicyEntry("ok.example", "may"), new TlsPolicyEntry("bad.example", "secure") { Match = ["nexthop", "x\ny"] }]) },
    };

    [Theory]
    [MemberData(nameof(UnwritableTables))]
    public void Render_ControlCharacterInAnyEntry_RefusedBeforeAnythingIsWritten(string what, TlsPolicyTable table)
    {
        // EnsureWritable runs when the file is rendered, so a bad entry in the middle never leaves a half-written map.
        var e = Assert.Throws<InvalidOperationException>(() =>
            ConfigurationRenderer.Render(Config(table), Release, RenderOptions.Default));
        Assert.Contains("line break or control character", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(what);
    }

    // Pieces of text as the writer receives them: words, runs of CR and LF, and pieces that mix both.
    private static readonly Gen<string[]> Pieces = Gen.String[Gen.Char["ab \r\n"], 0, 6].Array[0, 8];

    [Fact]
    public void NormalizingOutput_AnyPieces_SameAsNormalizeOfTheWhole()
    {
        // The streamed writer applies Normalize piece by piece; whatever the cut, the result must be Normalize of the whole text.
        var withText = 0;
        Pieces.Sample(pieces =>
        {
            using var writer = new StringWriter { NewLine = "\n" };
            var output = new PolicyMapWriter.NormalizingOutput(writer);
            foreach (var piece in pieces)
            {
                output.Write(piece);
            }

            output.Finish();
            var whole = string.Concat(pieces);
            Assert.Equal(ConfigurationRenderer.Normalize(whole), writer.ToString());
            if (pieces.Any(p => p.TrimStart('\r', '\n').Length > 0 && p.AsSpan().IndexOfAny('\r', '\n') > 0))
            {
                Interlocked.Increment(ref withText);
            }
        }, iter: 500);
        Assert.True(withText >= 50, $"only {withText} of 500 samples held a piece with text before a line break");
    }
}

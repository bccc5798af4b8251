using CsCheck;
using PostfixConfig.Catalog;
using PostfixConfig.MainCf;
using PostfixConfig.Rendering;
using PostfixConfig.Tests.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Import;

/// <summary>
/// import: YAML in the project's shape (lists for list parameters, the policy table from the map), and
/// the round trip import → YAML → render → <c>postconf -n</c> gives the original's values.
/// </summary>
public class ImportTests
{
    private static string ImportDir => Path.Combine(RealWorldFiles.Golden, "import");

    [Fact]
    public void Import_MainCfWithPolicyMapNextToIt_MatchesGolden()
    {
        var doc = PostfixTls.ReadMainCfFile(Path.Combine(ImportDir, "main.cf")).GetValueOrThrow();
        var imported = PostfixTls.Import(doc, ImportOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") });
        Assert.False(imported.HasErrors, imported.Diagnostics.ToString());
        Golden.Match(Path.Combine(ImportDir, "expected.yaml"), PostfixTls.ToYaml(imported.Value));
        var chain = imported.Value.Main["smtpd_tls_chain_files"];
        Assert.True(chain.IsList);
        Assert.Equal(["/etc/ssl/private/mail.key", "/etc/ssl/certs/mail.pem"], chain.Items.ToArray());
        Assert.False(imported.Value.Main["smtp_tls_mandatory_protocols"].IsList); // "!SSLv2,!SSLv3" would print differently as a list
        var entry = imported.Value.TlsPolicy.Find("[mx.example.net]:25")!;
        Assert.Equal("verify", entry.Level);
        Assert.Equal("high", entry.Ciphers);
        Assert.Equal(["/etc/postfix/ta.pem"], entry.TaFile.ToArray());
        Assert.Equal(new PostfixConfig.Diagnostics.SourceSpan(Path.Combine(ImportDir, "tls_policy"), 6, 5), entry.SpanOf("level"));
        Assert.Equal(new PostfixConfig.Diagnostics.SourceSpan(Path.Combine(ImportDir, "tls_policy"), 6, 12), entry.SpanOf("ciphers"));
        Assert.Equal(new PostfixConfig.Diagnostics.SourceSpan(Path.Combine(ImportDir, "tls_policy"), 5, 1), entry.SpanOf(string.Empty));
    }

    [Fact]
    public void Import_CarriageReturnInContinuedValue_BecomesSpaceWithInformation()
    {
        var doc = PostfixTls.ReadMainCf("mynetworks = 127.0.0.0/8,\r\n  10.0.0.0/8\r\n", "main.cf").GetValueOrThrow();
        var imported = PostfixTls.Import(doc);
        Assert.Equal("127.0.0.0/8,   10.0.0.0/8", imported.Value!.Main.GetText("mynetworks"));
        Assert.Equal(PostfixConfig.Diagnostics.DiagnosticCodes.ImportValueAdjusted, Assert.Single(imported.Diagnostics).Code);
    }

    [PostfixFact]
    public void Import_PolicyMap_RenderedMapGivesSamePostmapAnswers()
    {
        var doc = PostfixTls.ReadMainCfFile(Path.Combine(ImportDir, "main.cf")).GetValueOrThrow();
        var imported = PostfixTls.Import(doc).GetValueOrThrow();
        var rendered = PostfixTls.Render(PostfixTls.LoadYaml(PostfixTls.ToYaml(imported)).GetValueOrThrow() with { PostfixVersion = PostfixVersion.Parse("3.7") });
        Assert.False(rendered.HasErrors, rendered.Diagnostics.ToString());
        using var clean = Postconf.Folder(string.Empty);
        var original = clean.File("original");
        File.Copy(Path.Combine(ImportDir, "tls_policy"), original);
        var copy = clean.Write("tls_policy", rendered.Value.Find("tls_policy")!.Content);
        PostfixTools.CompileMap(clean.Path, "hash", original);
        PostfixTools.CompileMap(clean.Path, "hash", copy);
        foreach (var key in new[] { "example.com", ".example.com", "[mx.example.net]:25", "gmail.com", "other.example" })
        {
            var expected = PostfixTools.Query(clean.Path, "hash", original, key);
            var actual = PostfixTools.Query(clean.Path, "hash", copy, key);
            Assert.Equal(expected is null ? null : Postconf.Printed(expected), actual);
        }
    }

    [Trait("Category", "Slow")]
    [PostfixFact]
    public void Import_GeneratedFiles_RenderedYamlGivesSamePostconfN()
    {
        MainCfGenerators.Text(MainCfGenerators.Lines).Sample(text =>
        {
            var (doc, _) = MainCfDocument.Parse(text, "main.cf");
            var imported = PostfixTls.Import(doc);
            Assert.False(imported.HasErrors, imported.Diagnostics.ToString());
            var yaml = PostfixTls.ToYaml(imported.Value);
            var reloaded = PostfixTls.LoadYaml(yaml);
            Assert.False(reloaded.HasErrors, reloaded.Diagnostics + "\n" + yaml);
            Assert.Equal(imported.Value.Main, reloaded.Value.Main);

            // Render without validation: generated values are often invalid for their parameter,
            // which is not what this property is about. Control characters (a form feed inside a
            // value, which Postfix keeps) are the exception: the renderer refuses them by design.
            if (reloaded.Value.Main.Values.Any(v => PostfixConfig.Validation.Rules.TextSafetyRules.Unwritable(v.Text) is not null))
            {
                return;
            }

            var rendered = ConfigurationRenderer.Render(reloaded.Value, TargetRelease.For(PostfixVersion.Parse("3.7")), RenderOptions.Default);
            var before = Postconf.N(text);
            var after = Postconf.N(rendered.MainCf.Content);
            Assert.Equal(before.ExitCode == 0, after.ExitCode == 0);
            Assert.Equal(before.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal), after.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        }, iter: 150, threads: 1);
    }
}

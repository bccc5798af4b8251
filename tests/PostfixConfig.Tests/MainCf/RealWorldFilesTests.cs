using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// Postfix's own heavily commented sample (main.cf.dist) and Debian's default main.cf, from the
/// installed package: read exactly, merged into without losing a comment (postconf -n shows only the
/// intended changes), linted (golden text), and imported so that rendering gives the same postconf -n.
/// </summary>
public class RealWorldFilesTests
{
    private static readonly MergeOptions Merge37 = MergeOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } };

    [PostfixTheory]
    [MemberData(nameof(RealWorldFiles.Names), MemberType = typeof(RealWorldFiles))]
    public void ReadMainCf_RealFile_BytesIdenticalAndValuesAsPostconfN(string name)
    {
        var text = RealWorldFiles.Get(name);
        var read = PostfixTls.ReadMainCf(text, "main.cf");
        Assert.False(read.HasErrors, read.Diagnostics.ToString());
        Assert.Equal(Encoding.UTF8.GetBytes(text), read.Value.ToBytes());
        var run = Postconf.N(text);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            run.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            read.Value.Values.Select(kv => KeyValuePair.Create(kv.Key, Postconf.Printed(kv.Value))).OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [PostfixTheory]
    [MemberData(nameof(RealWorldFiles.Names), MemberType = typeof(RealWorldFiles))]
    public void Merge_RealFile_KeepsEveryCommentAndPostconfShowsOnlyTheIntendedChanges(string name)
    {
        var original = RealWorldFiles.Get(name);
        var yaml = PostfixTls.LoadYamlFile(Path.Combine(RealWorldFiles.Golden, "merge.yaml")).GetValueOrThrow();
        using var dir = Postconf.Folder(original);
        var merged = PostfixTls.Merge(yaml, PostfixTls.ReadMainCfFile(dir.File("main.cf")).GetValueOrThrow(), Merge37);
        Assert.False(merged.HasErrors, merged.Diagnostics.ToString());
        var before = Postconf.N(dir);
        merged.Value.Files.WriteTo(dir.Path);
        Postconf.Cool(dir);
        var after = Postconf.N(dir);
        var text = File.ReadAllText(dir.File("main.cf"));

        // Every comment and blank line, and every line of a parameter the YAML does not set, is still
        // there, in the same order.
        var changed = yaml.Main.Keys.ToHashSet(StringComparer.Ordinal);
        var kept = KeptLines(original, changed);
        AssertSubsequence(kept, text.Split('\n'));

        // postconf -n: the old values with the YAML's laid over them, nothing else.
        var expected = new Dictionary<string, string>(before.Values, StringComparer.Ordinal);
        foreach (var (key, value) in yaml.Main)
        {
            expected[key] = Postconf.Printed(value.Text);
        }

        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), after.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // The policy map was written next to main.cf and compiles as main.cf names it (postmap runs
        // with a clean config folder: main.cf.dist leaves setgid_group empty, which postmap refuses).
        var map = dir.File("tls_policy");
        using var clean = Postconf.Folder(string.Empty);
        PostfixTools.CompileMap(clean.Path, "hash", map);
        Assert.Equal("encrypt protocols=>=TLSv1.2", PostfixTools.Query(clean.Path, "hash", map, "gmail.com"));
        Assert.Equal("secure", PostfixTools.Query(clean.Path, "hash", map, "[relay.example.net]:587"));

        // Merging again changes nothing in main.cf.
        var again = PostfixTls.Merge(yaml, PostfixTls.ReadMainCf(text, dir.File("main.cf")).GetValueOrThrow(), Merge37);
        Assert.False(again.Value!.MainCfChanged);
    }

    [PostfixFact]
    public void Merge_DebianLegacyWithMigrate_ReplacesSmtpdUseTlsByMayAndKeepsItAsComment()
    {
        var original = RealWorldFiles.DebianLegacy();
        var yaml = PostfixTls.LoadYaml("main:\n  smtp_tls_security_level: may\n").GetValueOrThrow();
        var merged = PostfixTls.Merge(yaml, PostfixTls.ReadMainCf(original, "main.cf").GetValueOrThrow(), Merge37 with { Migrate = true });
        Assert.False(merged.HasErrors, merged.Diagnostics.ToString());
        var text = merged.Value.MainCf.Text;
        Assert.Contains("\n#smtpd_use_tls=yes\nsmtpd_tls_security_level = may\n", text, StringComparison.Ordinal);
        Assert.Contains(merged.Diagnostics, d => d.Code == DiagnosticCodes.MergeMigrated);
        var before = Postconf.N(original);
        var after = Postconf.N(text);
        Assert.Equal("yes", before.Values["smtpd_use_tls"]);
        Assert.False(after.Values.ContainsKey("smtpd_use_tls"));
        Assert.Equal("may", after.Values["smtpd_tls_security_level"]);
        Assert.Equal("may", after.Values["smtp_tls_security_level"]);
        Assert.Equal(before.Values.Count + 1, after.Values.Count);
        AssertSubsequence(KeptLines(original, new HashSet<string>(StringComparer.Ordinal) { "smtp_tls_security_level" }).Where(l => !l.StartsWith("smtpd_use_tls", StringComparison.Ordinal)).ToList(), text.Split('\n'));
    }

    [PostfixFact]
    public void Merge_DebianDefaultWithChainFilesAndMigrate_SnakeoilFilesCommentedOut()
    {
        var original = RealWorldFiles.DebianDefault();
        var yaml = PostfixTls.LoadYamlFile(Path.Combine(RealWorldFiles.Golden, "merge.yaml")).GetValueOrThrow();
        var merged = PostfixTls.Merge(yaml, PostfixTls.ReadMainCf(original, "main.cf").GetValueOrThrow(), Merge37 with { Migrate = true });
        Assert.False(merged.HasErrors, merged.Diagnostics.ToString());
        var before = Postconf.N(original);
        var after = Postconf.N(merged.Value.MainCf.Text);
        var expected = new Dictionary<string, string>(before.Values, StringComparer.Ordinal);
        expected.Remove("smtpd_tls_cert_file");
        expected.Remove("smtpd_tls_key_file");
        foreach (var (key, value) in yaml.Main)
        {
            expected[key] = Postconf.Printed(value.Text);
        }

        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), after.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Contains("\n#smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\n#smtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\n", merged.Value.MainCf.Text, StringComparison.Ordinal);
    }

    [PostfixTheory]
    [InlineData("debian", "debian-default.lint.txt")]
    [InlineData("debian-legacy", "debian-legacy.lint.txt")]
    public void Lint_DebianDefault_MatchesGolden(string name, string golden)
    {
        var diagnostics = PostfixTls.LintMainCf(RealWorldFiles.Get(name), "main.cf",
            LintOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } });
        Golden.Match(Path.Combine(RealWorldFiles.Golden, golden), diagnostics + "\n");
    }

    [PostfixTheory]
    [MemberData(nameof(RealWorldFiles.Names), MemberType = typeof(RealWorldFiles))]
    public void Import_RealFile_RenderedYamlGivesSamePostconfN(string name)
    {
        var original = RealWorldFiles.Get(name);
        var imported = PostfixTls.Import(PostfixTls.ReadMainCf(original, "main.cf").GetValueOrThrow(), ImportOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") });
        Assert.False(imported.HasErrors, imported.Diagnostics.ToString());
        var reloaded = PostfixTls.LoadYaml(PostfixTls.ToYaml(imported.Value));
        Assert.False(reloaded.HasErrors, reloaded.Diagnostics.ToString());
        var rendered = PostfixTls.Render(reloaded.Value);
        Assert.False(rendered.HasErrors, rendered.Diagnostics.ToString());
        Assert.Equal(Postconf.N(original).Values.OrderBy(kv => kv.Key, StringComparer.Ordinal), Postconf.N(rendered.Value.MainCf.Content).Values.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    /// <summary>The lines of <paramref name="text"/> that a merge setting <paramref name="changed"/> must keep: all but those parameters' definitions.</summary>
    internal static List<string> KeptLines(string text, IReadOnlySet<string> changed)
    {
        var (doc, _) = MainCfDocument.Parse(text, "main.cf");
        var drop = doc.Parameters.Where(p => changed.Contains(p.Name)).SelectMany(p => Enumerable.Range(p.FirstLine, p.LastLine - p.FirstLine + 1)).ToHashSet();
        var lines = text.Split('\n');
        return [.. lines.Where((l, i) => !drop.Contains(i + 1) || l.TrimStart().StartsWith('#') || l.Trim().Length == 0)];
    }

    internal static void AssertSubsequence(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var j = 0;
        foreach (var line in expected)
        {
            while (j < actual.Count && actual[j] != line)
            {
                j++;
            }

            Assert.True(j < actual.Count, $"line lost or moved: \"{line}\"");
            j++;
        }
    }
}

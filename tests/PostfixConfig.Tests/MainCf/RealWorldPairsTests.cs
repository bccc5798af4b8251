using System.Globalization;
using PostfixConfig.Tests.Support;
using PostfixConfig.Tests.Usage;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// The round trip of issue 21 on real main.cf/master.cf pairs (<c>Data/RealWorld/</c>: Debian's and
/// upstream Postfix's own files, and configurations written in the style of mail server projects), each
/// judged by Debian's postconf 3.7 with the master.cf beside it: lint reports no error and calls exactly
/// the names unused or undefined that postconf does; import, then render, gives a main.cf that
/// <c>postconf -n</c> reads with the original's values and warnings (the original master.cf beside both);
/// merge keeps every comment and changes only what the YAML says. <c>POSTFIXCONFIG_REALWORLD_DIRS</c>
/// (folders separated by colons, each holding such pair folders) adds pairs kept outside the repository.
/// </summary>
public class RealWorldPairsTests
{
    private static readonly PostfixVersion Installed = PostfixVersion.Parse("3.7");

    public static TheoryData<string> Pairs() => [.. Folders()];

    /// <summary>Every pair folder: the committed ones, then those under <c>POSTFIXCONFIG_REALWORLD_DIRS</c>.</summary>
    internal static List<string> Folders()
    {
        var roots = new List<string> { Path.Combine(RepoPaths.TestProject, "Data", "RealWorld") };
        roots.AddRange((Environment.GetEnvironmentVariable("POSTFIXCONFIG_REALWORLD_DIRS") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries));
        var data = new List<string>();
        foreach (var root in roots)
        {
            Assert.True(Directory.Exists(root), $"no folder {root}");
            foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(dir, "main.cf")) && File.Exists(Path.Combine(dir, "master.cf")))
                {
                    data.Add(dir);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Pairs_TheCommittedFolders_AreAllThere()
    {
        var names = Folders().Select(f => Path.GetFileName(f)).ToList();
        string[] expected =
        [
            "debian-3.7-dist", "debian-3.7-internet-site", "upstream-3.4.29", "upstream-3.8.20", "upstream-3.12-20260821",
            "style-container-suite", "style-hardened", "style-hosting-panel", "style-installer",
        ];
        foreach (var name in expected)
        {
            Assert.Contains(name, names);
        }
    }

    [PostfixTheory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(Pairs))]
    public void Lint_RealPair_NoErrorAndTheNamesPostconfWarnsAbout(string folder)
    {
        using var dir = Copy(folder);
        var n = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-n");
        var m = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-M");
        Assert.True(n.ExitCode == 0 && m.ExitCode == 0, n.StdErr + m.StdErr);

        // The recorded warnings are what this postconf says today.
        var recorded = Path.Combine(folder, "postconf-warnings.txt");
        if (File.Exists(recorded))
        {
            Assert.Equal(
                File.ReadAllLines(recorded).Where(l => l.Length > 0).Order(StringComparer.Ordinal),
                Lines(n.StdErr).Select(l => Normalize(l, dir.Path)).Order(StringComparer.Ordinal));
        }

        var lint = PostfixTls.LintMainCfFile(dir.File("main.cf"), LintOptions.Default with
        {
            Validation = ValidationOptions.Default with { PostfixVersion = Installed },
        });
        Assert.False(lint.Errors.Any(), $"lint reports errors on {Path.GetFileName(folder)}:\n{string.Join("\n", lint.Errors)}");

        var theirs = PostconfVerdictTests.Verdict(n.StdErr, dir.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var mine = PostconfVerdictTests.Verdict(lint, dir.File("main.cf"), dir.File("master.cf")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        Assert.Equal(theirs, mine);
    }

    [PostfixTheory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(Pairs))]
    public void Import_RealPair_RenderedBesideTheSameMasterCfReadsBackIdentically(string folder)
    {
        using var original = Copy(folder);
        var policy = original.File("tls_policy");
        var read = PostfixTls.ReadMainCfFile(original.File("main.cf"));
        Assert.False(read.HasErrors, read.Diagnostics.ToString());
        var imported = PostfixTls.Import(read.Value, ImportOptions.Default with
        {
            PostfixVersion = Installed,
            PolicyMapPath = File.Exists(policy) ? policy : null,
        });
        Assert.False(imported.HasErrors, imported.Diagnostics.ToString());

        var yaml = PostfixTls.ToYaml(imported.Value);
        var reloaded = PostfixTls.LoadYaml(yaml);
        Assert.False(reloaded.HasErrors, reloaded.Diagnostics.ToString());
        var rendered = PostfixTls.Render(reloaded.Value);
        Assert.False(rendered.HasErrors, $"{rendered.Diagnostics}\n--- imported YAML\n{yaml}");

        using var copy = new TempDir();
        File.WriteAllText(copy.File("main.cf"), rendered.Value.MainCf.Content);
        File.Copy(original.File("master.cf"), copy.File("master.cf"));
        Postconf.Cool(copy);
        var before = Postconf.N(original);
        var after = Postconf.N(copy);
        Assert.Equal(0, after.ExitCode);
        Assert.Equal(before.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal), after.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(
            Lines(before.StdErr).Select(l => Normalize(l, original.Path)).Order(StringComparer.Ordinal),
            Lines(after.StdErr).Select(l => Normalize(l, copy.Path)).Order(StringComparer.Ordinal));

        if (File.Exists(policy))
        {
            var theirs = PostfixTls.ReadPolicyMap(File.ReadAllText(policy)).GetValueOrThrow();
            var file = rendered.Value.Find("tls_policy");
            Assert.NotNull(file);
            var ours = PostfixTls.ReadPolicyMap(file.Content).GetValueOrThrow();
            Assert.Equal(theirs.Select(Describe), ours.Select(Describe));
        }
    }

    [PostfixTheory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(Pairs))]
    public void Merge_RealPair_KeepsEveryCommentAndPostconfShowsOnlyTheIntendedChanges(string folder)
    {
        using var dir = Copy(folder);
        var originalText = File.ReadAllText(dir.File("main.cf"));
        var yaml = PostfixTls.LoadYamlFile(Path.Combine(RealWorldFiles.Golden, "merge.yaml")).GetValueOrThrow();
        var merged = PostfixTls.Merge(yaml, PostfixTls.ReadMainCfFile(dir.File("main.cf")).GetValueOrThrow(),
            MergeOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = Installed } });
        Assert.False(merged.HasErrors, merged.Diagnostics.ToString());
        var before = Postconf.N(dir);
        merged.Value.Files.WriteTo(dir.Path);
        Postconf.Cool(dir);
        var after = Postconf.N(dir);
        Assert.Equal(0, after.ExitCode);

        var changed = yaml.Main.Keys.ToHashSet(StringComparer.Ordinal);
        RealWorldFilesTests.AssertSubsequence(RealWorldFilesTests.KeptLines(originalText, changed), File.ReadAllText(dir.File("main.cf")).Split('\n'));

        var expected = new Dictionary<string, string>(before.Values, StringComparer.Ordinal);
        foreach (var (key, value) in yaml.Main)
        {
            expected[key] = Postconf.Printed(value.Text);
        }

        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), after.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // master.cf is not touched by a merge without services.
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "master.cf")), File.ReadAllBytes(dir.File("master.cf")));
    }

    /// <summary>A scratch copy of the pair (and the policy table beside it), dated back so that postconf does not wait.</summary>
    private static TempDir Copy(string folder)
    {
        var dir = new TempDir();
        foreach (var name in new[] { "main.cf", "master.cf", "tls_policy" })
        {
            if (File.Exists(Path.Combine(folder, name)))
            {
                File.Copy(Path.Combine(folder, name), dir.File(name));
            }
        }

        Postconf.Cool(dir);
        return dir;
    }

    private static string[] Lines(string stderr) => stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A warning line as <c>record-warnings.sh</c> writes it: the folder as DIR, the program as "postconf:".</summary>
    private static string Normalize(string line, string dir)
    {
        var text = line.Replace(dir, "DIR", StringComparison.Ordinal);
        var at = text.IndexOf("postconf: ", StringComparison.Ordinal);
        return at > 0 ? text[at..] : text;
    }

    private static string Describe(TlsPolicyEntry e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Destination} {e.Level} {string.Join(' ', e.RenderedAttributes().Select(a => $"{a.Key}={a.Value}"))}");
}

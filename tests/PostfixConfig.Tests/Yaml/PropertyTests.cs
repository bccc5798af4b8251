using CsCheck;
using PostfixConfig.Catalog;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Yaml;

/// <summary>
/// Property tests: no input crashes the reader, the validator or the CLI; and every configuration
/// that validates renders to files that read back (as Postfix reads them) to the same configuration.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class PropertyTests
{
    private static readonly string[] Seeds = [.. Directory.GetFiles(RepoPaths.Examples, "*.yaml")
        .Concat(Directory.GetFiles(Path.Combine(RepoPaths.TestProject, "Golden"), "input.yaml", SearchOption.AllDirectories))
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllText)];

    /// <summary>Characters that mean something to YAML, to Postfix or to a text file.</summary>
    private static readonly char[] Interesting =
        " \t\n\r:-[]{}\"'&*!|>#%@`,?=$\\/.é日\u0000\u0001\u0085\u2028\uFEFF\u200B".ToCharArray();

    private static readonly Gen<char> AnyChar = Gen.Frequency((3, Gen.Char["abcxyz_0123456789.: \n-"]), (2, Gen.OneOf(Interesting)), (1, Gen.Char));

    /// <summary>One edit of a text: delete, insert or duplicate a character, or delete, duplicate or move a line.</summary>
    private static Gen<Func<string, string>> Mutation =>
        Gen.Frequency<Func<string, string>>(
            (3, Gen.Select(Gen.Double.Unit, s => (Func<string, string>)(t => t.Length == 0 ? t : t.Remove(At(t, s), 1)))),
            (3, Gen.Select(Gen.Double.Unit, AnyChar, (s, c) => (Func<string, string>)(t => t.Insert(At(t, s, 1), c.ToString())))),
            (2, Gen.Select(Gen.Double.Unit, s => (Func<string, string>)(t => t.Length == 0 ? t : t.Insert(At(t, s), t[At(t, s)].ToString())))),
            (2, Gen.Select(Gen.Double.Unit, s => (Func<string, string>)(t => Lines(t, (l, i) => l.RemoveAt(i), s)))),
            (2, Gen.Select(Gen.Double.Unit, s => (Func<string, string>)(t => Lines(t, (l, i) => l.Insert(i, l[i]), s)))),
            (1, Gen.Select(Gen.Double.Unit, Gen.Double.Unit, (s, u) => (Func<string, string>)(t => Lines(t, (l, i) =>
            {
                var line = l[i];
                l.RemoveAt(i);
                l.Insert((int)(u * l.Count), line);
            }, s)))));

    private static Gen<string> MutatedSeed =>
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Mutation.Array[1, 8], (i, edits) => edits.Aggregate(Seeds[i], (t, f) => f(t)));

    /// <summary>Lines that look like main.cf (name = value, comments, continuation lines) with odd characters.</summary>
    private static Gen<string> MainCfLike =>
        Gen.Frequency(
            (4, Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyz_"].Array[1, 30], AnyChar.Array[0, 40], (n, v) => new string(n) + " = " + new string(v))),
            (1, AnyChar.Array[0, 40].Select(v => "# " + new string(v))),
            (1, AnyChar.Array[0, 40].Select(v => "    " + new string(v))),
            (1, Gen.Const(string.Empty)))
        .Array[0, 30].Select(lines => string.Join('\n', lines));

    private static int At(string t, double s, int extra = 0) => Math.Min(t.Length - 1 + extra, (int)(s * (t.Length + extra)));

    private static string Lines(string t, Action<List<string>, int> edit, double s)
    {
        var lines = t.Split('\n').ToList();
        edit(lines, Math.Min(lines.Count - 1, (int)(s * lines.Count)));
        return string.Join('\n', lines);
    }

    /// <summary>Reads, validates and renders; any exception escapes (which fails the property).</summary>
    private static void ReadValidateRender(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "m.yaml");
        foreach (var d in loaded.Diagnostics.Where(d => d.Code.StartsWith("PFX0", StringComparison.Ordinal)))
        {
            Assert.True(d.Span is { Line: >= 1, Column: >= 1 }, $"no position: {d}");
        }

        if (loaded.HasErrors)
        {
            return;
        }

        var rendered = PostfixTls.Render(loaded.Value);
        if (!rendered.HasErrors)
        {
            _ = rendered.Value.Files.Select(f => f.Content).ToList();
        }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void LoadYaml_MutatedExamples_NeverThrow() => MutatedSeed.Sample(ReadValidateRender, iter: 3000, threads: 1);

    [Fact]
    public void LoadYaml_RandomText_NeverThrows() => AnyChar.Array[0, 300].Select(c => new string(c)).Sample(ReadValidateRender, iter: 2000, threads: 1);

    [Fact]
    public void LoadYaml_ArbitraryUnicode_NeverThrows() => Gen.String.Sample(ReadValidateRender, iter: 1000, threads: 1);

    [Fact]
    public void LoadYaml_MainCfLikeText_NeverThrows() => MainCfLike.Sample(ReadValidateRender, iter: 1000, threads: 1);

    [Fact]
    public void Cli_MutatedExamples_NeverPrintAStackTrace()
    {
        using var dir = new TempDir();
        Gen.Select(MutatedSeed, Gen.Bool).Sample((yaml, render) =>
        {
            var config = dir.Write("m.yaml", yaml);
            var r = render
                ? CliRunner.Run("render", config, "--out", dir.File("out"))
                : CliRunner.Run("validate", config, "--format", "json");
            Assert.True(r.ExitCode is 0 or 1, $"exit {r.ExitCode}: {r.StdErr}");
            Assert.DoesNotContain("   at ", r.StdErr + r.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", r.StdErr, StringComparison.Ordinal);
        }, iter: 150, threads: 1);
    }

    // ---- round trip: validates => renders => reads back the same ----

    private static readonly Gen<string> Word = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[1, 10].Select(c => new string(c));

    /// <summary>Text that is mostly fine and sometimes has something Postfix would read differently.</summary>
    private static Gen<string> Spiced(Gen<string> good) =>
        Gen.Frequency(
            (4, good),
            (1, Gen.Select(good, Gen.OneOf(Interesting).Array[1, 3], Gen.Double.Unit, (g, bad, s) => g.Insert(Math.Min(g.Length, (int)(s * (g.Length + 1))), new string(bad)))));

    private static Gen<PostfixValue> Single(Gen<string> text) => Spiced(text).Select(t => PostfixValue.Of(t));

    private static Gen<PostfixValue> List(Gen<string> item) =>
        Gen.Frequency(
            (3, Spiced(item).Array[1, 4].Select(items => PostfixValue.OfList(items))),
            (1, Spiced(item).Array[1, 3].Select(items => PostfixValue.Of(string.Join(", ", items)))));

    private static readonly (string Name, Gen<PostfixValue> Value)[] MainParameters =
    [
        ("smtpd_tls_security_level", Single(Gen.OneOf("none", "may", "encrypt"))),
        ("smtp_tls_security_level", Single(Gen.OneOf("none", "may", "encrypt", "verify", "secure"))),
        ("smtpd_tls_auth_only", Single(Gen.OneOf("yes", "no"))),
        ("smtp_tls_loglevel", Single(Gen.Int[0, 4].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        ("smtp_tls_session_cache_timeout", Single(Gen.OneOf("3600s", "1h", "30m"))),
        ("smtpd_tls_cert_file", Single(Word.Select(w => "/etc/ssl/" + w + ".pem"))),
        ("smtpd_tls_chain_files", List(Word.Select(w => "/etc/ssl/" + w + ".pem"))),
        ("smtpd_tls_protocols", List(Gen.OneOf("!SSLv2", "!SSLv3", "!TLSv1", ">=TLSv1.2"))),
        ("smtpd_tls_exclude_ciphers", List(Gen.OneOf("aNULL", "MD5", "RC4", "3DES"))),
        ("smtpd_tls_mandatory_ciphers", Single(Gen.OneOf("high", "medium"))),
        ("smtp_tls_fingerprint_digest", Single(Gen.OneOf("sha256", "sha1"))),
        ("smtp_tls_verify_cert_match", List(Gen.OneOf("hostname", "nexthop", "dot-nexthop"))),
        ("myhostname", Single(Word.Select(w => w + ".example.com"))),
        ("smtpd_banner", Single(Gen.Select(Word, Word, (a, b) => $"$myhostname ESMTP {a} # {{{{ {b} }}}} Grüße"))),
        ("smtpd_recipient_restrictions", List(Gen.OneOf("permit_mynetworks", "reject_unauth_destination", "check_policy_service inet:127.0.0.1:10023"))),
    ];

    private static Gen<TlsPolicyEntry> PolicyEntry =>
        Gen.Select(
            Spiced(Word.Select(w => w + ".example.com")),
            Gen.OneOf("may", "encrypt", "verify", "secure", "fingerprint"),
            Spiced(Gen.OneOf("TLSv1.2", "!SSLv3", ">=TLSv1.2")).Array[0, 3],
            Gen.OneOf<string?>(null, "high", "medium").Select(c => c),
            Spiced(Gen.OneOf("nexthop", "hostname", "3D:95:34:51:24:66")).Array[0, 3],
            Spiced(Word.Select(w => "/etc/ssl/ta-" + w + ".pem")).Array[0, 2],
            (destination, level, protocols, ciphers, match, tafile) => new TlsPolicyEntry(destination, level)
            {
                Protocols = [.. protocols],
                Ciphers = ciphers,
                Match = level is "verify" or "secure" or "fingerprint" ? [.. match] : default,
                TaFile = level is "verify" or "secure" ? [.. tafile] : default,
            });

    private static Gen<TlsConfiguration> Configuration =>
        Gen.Select(
            Gen.Int[0, MainParameters.Length - 1].Array[1, 6],
            PolicyEntry.Array[0, 4],
            (picks, entries) => (picks, entries))
        .SelectMany(x => Gen.Select(x.picks.Distinct().Select(i => MainParameters[i].Value.Select(v => (MainParameters[i].Name, v))).ToArray().Aggregate(
                Gen.Const(new List<(string, PostfixValue)>()),
                (acc, g) => Gen.Select(acc, g, (l, p) => new List<(string, PostfixValue)>(l) { p })),
            list =>
            {
                var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") };
                foreach (var (name, value) in list)
                {
                    config = config with { Main = config.Main.Set(name, value) };
                }

                var destinations = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var unique = x.entries.Where(e => destinations.Add(e.Destination)).ToList();
                if (unique.Count > 0)
                {
                    config = config.Set("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy") with { TlsPolicy = TlsPolicyTable.Create(unique) };
                }

                return config;
            }));

    /// <summary>Lists Postfix also splits at ':' (checked in tls_misc.c and smtp_tls_policy.c).</summary>
    private static bool SplitsAtColon(string name) =>
        name.EndsWith("_protocols", StringComparison.Ordinal) || name.EndsWith("_exclude_ciphers", StringComparison.Ordinal)
        || name.EndsWith("_verify_cert_match", StringComparison.Ordinal) || name.EndsWith("_secure_cert_match", StringComparison.Ordinal);

    /// <summary>Checks that the rendered files, read as Postfix reads them, say what the configuration says.</summary>
    private static void AssertReadsBack(TlsConfiguration config, PostfixConfig.Rendering.RenderedConfiguration rendered)
    {
        var main = PostfixTextReader.MainCf(rendered.MainCf.Content);
        Assert.Equal(config.Main.Keys.Order(StringComparer.Ordinal), main.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in config.Main)
        {
            Assert.Equal(value.Text, main[name]);
            var kind = ParameterCatalog.Default.Find(name)?.Kind;
            if (value.IsList && kind is ParameterKind.List or ParameterKind.FileList or ParameterKind.MapList or ParameterKind.ProtocolList)
            {
                Assert.Equal(value.Items, PostfixTextReader.SplitList(main[name], SplitsAtColon(name)));
            }
        }

        if (config.TlsPolicy.Count == 0)
        {
            Assert.Single(rendered.Files);
            return;
        }

        var map = PostfixTextReader.Map(rendered.Find("tls_policy")!.Content);
        var back = TlsPolicyTable.Create(map.Select(kv => PostfixTextReader.PolicyEntry(kv.Key, kv.Value)));
        Assert.Equal(config.TlsPolicy, back);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Render_AnyConfigurationThatValidates_ReadsBackTheSame()
    {
        int accepted = 0, rejected = 0;
        Configuration.Sample(config =>
        {
            var diagnostics = PostfixTls.Validate(config);
            if (diagnostics.HasErrors)
            {
                rejected++;
                return;
            }

            accepted++;
            var rendered = PostfixTls.Render(config);
            Assert.False(rendered.HasErrors, rendered.Diagnostics.ToString());
            AssertReadsBack(config, rendered.Value);
        }, iter: 1500, threads: 1);

        // Both sides of the property are exercised: plenty validate, plenty are refused.
        Assert.True(accepted >= 150, $"only {accepted} of {accepted + rejected} generated configurations validate");
        Assert.True(rejected >= 150, $"only {rejected} of {accepted + rejected} generated configurations were refused");
    }

    [Fact]
    public void ToYaml_AnyConfigurationThatValidates_LoadsBackTheSame()
    {
        Configuration.Sample(config =>
        {
            if (PostfixTls.Validate(config).HasErrors)
            {
                return;
            }

            var back = PostfixTls.LoadYaml(PostfixTls.ToYaml(config));
            Assert.False(back.HasErrors, back.Diagnostics.ToString());
            Assert.Equal(config, back.Value);
        }, iter: 500, threads: 1);
    }

    [Trait("Category", "Slow")]
    [PostfixFact]
    public void TextReader_AgreesWithPostconfAndPostmap()
    {
        // The test-only reader is only as good as its agreement with the real Postfix.
        var checkedCount = 0;
        Configuration.Sample(config =>
        {
            var rendered = PostfixTls.Render(config);
            if (rendered.HasErrors || checkedCount >= 12)
            {
                return;
            }

            checkedCount++;
            using var dir = PostfixTools.ConfigDir(rendered.Value);
            var (values, _) = PostfixTools.PostconfN(dir.Path);
            var ours = PostfixTextReader.MainCf(rendered.Value.MainCf.Content);

            // postconf prints a value word by word (it folds long lines), so a tab or a run of blanks inside
            // a value shows as one space (seen with 3.7.11, also for -h: "a   b  { c }" prints as "a b { c }"):
            // compare with every run of blanks as one space.
            static string Shown(string v) => System.Text.RegularExpressions.Regex.Replace(v, "[ \t]+", " ");
            Assert.Equal(
                ours.Select(kv => (kv.Key, Shown(kv.Value))).OrderBy(kv => kv.Key, StringComparer.Ordinal),
                values.Select(kv => (kv.Key, Shown(kv.Value))).OrderBy(kv => kv.Key, StringComparer.Ordinal));
            if (rendered.Value.Find("tls_policy") is { } map)
            {
                var file = Path.Combine(dir.Path, "tls_policy");
                PostfixTools.CompileMap(dir.Path, "hash", file);
                foreach (var (key, value) in PostfixTextReader.Map(map.Content))
                {
                    Assert.Equal(value, PostfixTools.Query(dir.Path, "hash", file, key));
                }
            }
        }, iter: 400, threads: 1);
        Assert.True(checkedCount >= 8, $"only {checkedCount} configurations compared with postconf");
    }
}

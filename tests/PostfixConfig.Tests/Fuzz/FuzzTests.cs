using PostfixConfig.Diagnostics;
using PostfixConfig.Fuzz;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Fuzz;

/// <summary>
/// The fuzzing harness in CI: a fixed-seed sample of each entry point (the full runs of 100 000 inputs
/// each are in tools/PostfixConfig.Fuzz, README "Fuzzing"), and every input a run found a problem with,
/// replayed (<c>Fuzz/Cases/TARGET/*.bin</c>), plus the same problems written as plain tests.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Slow")]
public class FuzzTests
{
    /// <summary>A hang guard only (the harness's own limit is 2 s); a slow shared machine must not fail the sample.</summary>
    private static readonly FuzzRunner Runner = new(TimeSpan.FromSeconds(30));

    private static readonly Lazy<IReadOnlyList<FuzzTarget>> Targets = new(() => FuzzTargets.Create(RepoPaths.Root));

    public static TheoryData<string> TargetNames => [.. FuzzTargets.Names];

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.TestProject, "Fuzz", "Cases"), "*.bin", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(Path.GetDirectoryName(file)!), Path.GetFileName(file));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void FixedSeedSample_EveryInputEndsInAResult(string target)
    {
        using var ws = new Workspace();
        var summary = Runner.Run(Targets.Value.Single(t => t.Name == target), count: 500, seed: 20261203, ws);
        Assert.Equal(500, summary.Inputs);
        Assert.True(summary.Findings.Count == 0, string.Join("\n\n", summary.Findings.Select(f => $"input {f.Index}: {f.Kind}: {f.Detail}")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FoundByFuzzing_EndsInAResult(string target, string file)
    {
        using var ws = new Workspace();
        var input = File.ReadAllBytes(Path.Combine(RepoPaths.TestProject, "Fuzz", "Cases", target, file));
        var finding = Runner.RunOne(Targets.Value.Single(t => t.Name == target), input, ws, 0, out _);
        Assert.True(finding is null, finding?.Detail);
    }

    [Fact]
    public void Mutator_SameSeed_SameInputs()
    {
        var seeds = new[] { "main:\n  myhostname: mail.example.com\n"u8.ToArray() };
        var a = new Mutator(new Random(7), seeds, ["$"]);
        var b = new Mutator(new Random(7), seeds, ["$"]);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(a.Next(), b.Next());
        }
    }

    [Fact]
    public void Workspace_FileWrittenBesideOut_IsReported()
    {
        using var ws = new Workspace();
        ws.Reset();
        ws.Write("main.cf", "a = b\n"u8.ToArray());
        Assert.Null(ws.Check());
        File.WriteAllText(Path.Combine(ws.In, "main.cf.bak"), "x");
        Assert.Contains("main.cf.bak", ws.Check(), StringComparison.Ordinal);
        ws.Reset();
        File.WriteAllText(Path.Combine(ws.Canary, "x"), "x");
        Assert.Contains("canary", ws.Check(), StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_ExceptionFromTheTarget_IsAFindingWithItsSignature()
    {
        using var ws = new Workspace();
        var target = new FuzzTarget("t", [], [], (_, _) => throw new FormatException("boom"));
        var finding = Runner.RunOne(target, [1, 2, 3], ws, 5, out _);
        Assert.NotNull(finding);
        Assert.Equal("exception", finding.Kind);
        Assert.StartsWith("FormatException", finding.Signature, StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_InputOverTheTimeout_IsAHang()
    {
        using var ws = new Workspace();
        var target = new FuzzTarget("t", [], [], (_, _) => Thread.Sleep(300));
        var finding = new FuzzRunner(TimeSpan.FromMilliseconds(50)).RunOne(target, [1], ws, 0, out _);
        Assert.Equal("hang", finding?.Kind);
    }

    // The findings as plain tests, independent of the harness's seeds and option choices.

    [Fact]
    public void Merge_MainCfWithAControlCharacterInASettingItKeeps_GivesAResult()
    {
        // Found: merge rendered the whole merged main.cf to get the policy map, and the renderer's last
        // check threw on a setting main.cf already had (merge leaves such settings as they are).
        var document = PostfixTls.ReadMainCf("smtp_tls_s\u007Fcurity_level = may\nsmtpd_tls_ciphers = !RC4\rx\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n", "main.cf").Value!;
        var config = PostfixTls.LoadYaml("tls_policy:\n  example.com: encrypt\n").GetValueOrThrow();
        var merged = PostfixTls.Merge(config, document);
        Assert.False(merged.HasErrors, merged.Diagnostics.ToString());
        Assert.Contains("example.com", merged.Value.Files.Find("tls_policy")!.Content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hash:/etc/postfix/tls\\\\policy")]
    [InlineData("hash:/etc/postfix/tls_policy_with_a_name_of_more_than_two_hundred_bytes_that_no_file_system_can_hold_with_the_temporary_name_around_it_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Validate_PolicyMapNameTheWriterRefuses_IsAnError(string maps)
    {
        // Found: such a name passed validation, then writing the map failed (an IOException, not a diagnostic).
        var config = PostfixTls.LoadYaml($"main:\n  smtp_tls_policy_maps: \"{maps.Replace("\\", "\\\\", StringComparison.Ordinal)}\"\ntls_policy:\n  example.com: encrypt\n").GetValueOrThrow();
        var result = PostfixTls.Render(config);
        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnsafeMapPath);
    }

    [Fact]
    public void CheckFiles_SniMapWithoutAFileName_IsNotCheckedNotAnException()
    {
        // Found: tls_server_sni_maps = hash: made the SNI check call new FileInfo("") (ArgumentException).
        using var dir = new TempDir();
        var path = dir.Write("main.cf", "tls_server_sni_maps = hash:\n");
        var diagnostics = PostfixTls.LintMainCfFile(path, LintOptions.Default with
        {
            CheckFiles = PostfixConfig.Certificates.CertificateCheckOptions.Default with { ConfigDirectory = dir.Path },
        });
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.NotChecked && d.Message.Contains("no file name", StringComparison.Ordinal));
    }
}

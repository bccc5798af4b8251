using BenchmarkDotNet.Attributes;
using PostfixConfig.Catalog;
using PostfixConfig.Rendering;

namespace PostfixConfig.Benchmarks;

/// <summary>
/// Rendering main.cf and the policy map into a writer that discards the text: the streamed map
/// (built-in template) against the same template run by Scriban (a user template folder holding a
/// copy of it). Validation is left out (see <see cref="ValidateBenchmarks"/>).
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private static readonly PostfixVersion Version = PostfixVersion.Parse("3.7.11");
    private TlsConfiguration _config = new();
    private string _templates = string.Empty;

    [Params(BenchmarkInputs.Small, BenchmarkInputs.Typical, BenchmarkInputs.Large)]
    public string Size { get; set; } = BenchmarkInputs.Small;

    [GlobalSetup]
    public void Setup()
    {
        _config = BenchmarkInputs.Config(Size);
        _templates = Directory.CreateTempSubdirectory("pfc-bench-").FullName;
        using var stream = typeof(PostfixTls).Assembly.GetManifestResourceStream("PostfixConfig.Templates.tls_policy.sbn")!;
        using var file = File.Create(Path.Combine(_templates, "tls_policy.sbn"));
        stream.CopyTo(file);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_templates, recursive: true);

    [Benchmark(Baseline = true)]
    public void RenderStreamed() => Write(RenderOptions.Default);

    [Benchmark]
    public void RenderWithScribanPolicyTemplate() => Write(RenderOptions.Default with { TemplateDirectory = _templates });

    private void Write(RenderOptions options)
    {
        foreach (var file in ConfigurationRenderer.Render(_config, TargetRelease.For(Version), options).Files)
        {
            file.WriteTo(TextWriter.Null);
        }
    }
}

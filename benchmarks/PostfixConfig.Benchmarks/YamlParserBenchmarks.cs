using BenchmarkDotNet.Attributes;

namespace PostfixConfig.Benchmarks;

/// <summary>
/// Whether the subset YAML parser earns its place: a whole render (read the YAML, validate, render
/// main.cf and the policy map into a writer that discards the text) of 20 000- and 100 000-entry
/// policy tables, read with the subset parser (the default) against YamlDotNet's parser alone (the
/// same reader over YamlDotNet's events). docs/performance.md quotes the ratio; results live in
/// <c>benchmarks/results/</c>.
/// </summary>
[MemoryDiagnoser]
public class YamlParserBenchmarks
{
    private string _yaml = string.Empty;

    [Params(20_000, 100_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup() => _yaml = BenchmarkInputs.PolicyYaml(Entries);

    [Benchmark(Baseline = true)]
    public void RenderWithYamlDotNetParser() => Render(LoadOptions.Default with { YamlDotNetOnly = true });

    [Benchmark]
    public void RenderWithSubsetParser() => Render(LoadOptions.Default);

    private void Render(LoadOptions options)
    {
        var config = PostfixTls.LoadYaml(_yaml, options: options).GetValueOrThrow();
        foreach (var file in PostfixTls.Render(config).GetValueOrThrow().Files)
        {
            file.WriteTo(TextWriter.Null);
        }
    }
}

using BenchmarkDotNet.Attributes;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;

namespace PostfixConfig.Benchmarks;

/// <summary>Reading and linting main.cf text (no files: the policy map and master.cf next to it are left out).</summary>
[MemoryDiagnoser]
public class MainCfBenchmarks
{
    private string _text = string.Empty;

    [Params(BenchmarkInputs.Small, BenchmarkInputs.Typical, BenchmarkInputs.Large)]
    public string Size { get; set; } = BenchmarkInputs.Small;

    [GlobalSetup]
    public void Setup() => _text = BenchmarkInputs.MainCf(Size);

    [Benchmark]
    public MainCfDocument Parse() => PostfixTls.ReadMainCf(_text).GetValueOrThrow();

    [Benchmark]
    public DiagnosticList Lint() => PostfixTls.LintMainCf(_text);
}

using BenchmarkDotNet.Attributes;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Benchmarks;

/// <summary>Validation of an already loaded configuration (catalog and validator already built).</summary>
[MemoryDiagnoser]
public class ValidateBenchmarks
{
    private TlsConfiguration _config = new();

    [Params(BenchmarkInputs.Small, BenchmarkInputs.Typical, BenchmarkInputs.Large)]
    public string Size { get; set; } = BenchmarkInputs.Small;

    [GlobalSetup]
    public void Setup() => _config = BenchmarkInputs.Config(Size);

    [Benchmark]
    public DiagnosticList Validate() => PostfixTls.Validate(_config);
}

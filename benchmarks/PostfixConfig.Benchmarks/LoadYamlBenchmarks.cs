using BenchmarkDotNet.Attributes;
using YamlDotNet.Core;

namespace PostfixConfig.Benchmarks;

/// <summary>
/// Reading YAML into the model. <see cref="YamlDotNetEventsOnly"/> is the floor: YamlDotNet's
/// scanner and parser with nothing done with the events.
/// </summary>
[MemoryDiagnoser]
public class LoadYamlBenchmarks
{
    private string _yaml = string.Empty;

    [Params(BenchmarkInputs.Small, BenchmarkInputs.Typical, BenchmarkInputs.Large)]
    public string Size { get; set; } = BenchmarkInputs.Small;

    [GlobalSetup]
    public void Setup() => _yaml = BenchmarkInputs.Yaml(Size);

    [Benchmark(Baseline = true)]
    public int YamlDotNetEventsOnly()
    {
        var parser = new Parser(new Scanner(new StringReader(_yaml), skipComments: true));
        var n = 0;
        while (parser.MoveNext())
        {
            n++;
        }

        return n;
    }

    [Benchmark]
    public TlsConfiguration? LoadYaml() => PostfixTls.LoadYaml(_yaml).Value;

    [Benchmark]
    public TlsConfiguration? LoadYamlGeneralPolicyReader() =>
        PostfixTls.LoadYaml(_yaml, options: LoadOptions.Default with { GeneralPolicyReader = true }).Value;
}

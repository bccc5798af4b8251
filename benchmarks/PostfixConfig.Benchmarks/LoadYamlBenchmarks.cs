using BenchmarkDotNet.Attributes;
using YamlDotNet.Core;

namespace PostfixConfig.Benchmarks;

/// <summary>
/// Reading YAML into the model: with the fast subset parser (the default), with YamlDotNet's
/// parser, and with the general policy reader. <see cref="YamlDotNetEventsOnly"/> is YamlDotNet's
/// scanner and parser with nothing done with the events: the floor of any reader built on it.
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
    public TlsConfiguration? LoadYamlWithYamlDotNetParser() =>
        PostfixTls.LoadYaml(_yaml, options: LoadOptions.Default with { YamlDotNetOnly = true }).Value;

    [Benchmark]
    public TlsConfiguration? LoadYamlGeneralPolicyReader() =>
        PostfixTls.LoadYaml(_yaml, options: LoadOptions.Default with { GeneralPolicyReader = true, YamlDotNetOnly = true }).Value;
}

using BenchmarkDotNet.Attributes;
using PostfixConfig.Catalog;
using PostfixConfig.Validation;
using Scriban;
using Scriban.Runtime;

namespace PostfixConfig.Benchmarks;

/// <summary>
/// What a fresh process pays once before its first render: each piece measured on its own, built
/// from scratch every time (the library caches them per process). The native CLI's start-up is
/// measured against postconf by benchmarks/compare.sh.
/// </summary>
[MemoryDiagnoser]
public class ColdStartBenchmarks
{
    private static readonly string TlsParameters = Resource("PostfixConfig.Catalog.tls-parameters.txt");
    private static readonly string AllNames = Resource("PostfixConfig.Catalog.postfix-parameters.txt");
    private static readonly string MainCfTemplate = Resource("PostfixConfig.Templates.main.cf.sbn");

    [Benchmark]
    public ParameterCatalog CatalogLoad() => ParameterCatalog.Load(TlsParameters, AllNames);

    [Benchmark]
    public object ValidatorConstruction() => new TlsConfigurationValidator();

    [Benchmark]
    public Template TemplateParse() => Template.Parse(MainCfTemplate, "main.cf.sbn");

    [Benchmark]
    public TemplateContext TemplateContextWithoutBuiltins() => new(new ScriptObject());

    [Benchmark]
    public object CommandLineSetup() => Cli.CliApp.BuildRoot(new Cli.CliIo(TextWriter.Null, TextWriter.Null));

    private static string Resource(string name)
    {
        using var stream = typeof(PostfixTls).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

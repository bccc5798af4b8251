using PostfixConfig.Cli.Commands;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Probe;

/// <summary>
/// <c>schema/probe-report.schema.json</c> documents <c>probe --format json</c> exactly (no member
/// left out: the schema forbids others); checked with python3-jsonschema, an independent validator.
/// </summary>
public class ProbeSchemaTests
{
    internal static string SchemaPath => Path.Combine(RepoPaths.Root, "schema", "probe-report.schema.json");

    /// <summary>The validator's complaints about <paramref name="json"/> (empty when it is valid).</summary>
    internal static string Validate(string json)
    {
        using var dir = new TempDir();
        var file = dir.Write("report.json", json);
        var r = PostfixTools.Run("/usr/bin/python3", "-c",
            "import json, sys, jsonschema\n"
            + "schema = json.load(open(sys.argv[1]))\n"
            + "jsonschema.Draft202012Validator.check_schema(schema)\n"
            + "errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)\n"
            + "print('\\n'.join(f'{list(e.absolute_path)}: {e.message}' for e in errors))\n"
            + "sys.exit(1 if errors else 0)\n",
            SchemaPath, file);
        return r.ExitCode == 0 ? string.Empty : r.StdOut + r.StdErr;
    }

    [SchemaFact]
    public void Schema_SampleReport_IsValid()
    {
        var json = ProbeOutput.ToJson(ProbeCliTests.Sample(), DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WeakProtocol, null, "m", new SourceSpan("f", 1, 2))]));

        Assert.Equal(string.Empty, Validate(json));
    }

    [SchemaFact]
    public void Schema_ReportWithoutTlsOrDane_IsValid()
    {
        var json = ProbeOutput.ToJson(ProbeCliTests.Sample() with { Tls = null, Dane = null, Protocols = [] }, DiagnosticList.Empty);

        Assert.Equal(string.Empty, Validate(json));
    }

    [SchemaFact]
    public void Schema_UndocumentedMemberOrValue_IsRejected()
    {
        var json = ProbeOutput.ToJson(ProbeCliTests.Sample(), DiagnosticList.Empty);

        Assert.NotEqual(string.Empty, Validate(json.Replace("\"tls_mode\": \"starttls\"", "\"tls_mode\": \"starttls\", \"extra\": 1", StringComparison.Ordinal)));
        Assert.NotEqual(string.Empty, Validate(json.Replace("\"verdict\": \"authenticated\"", "\"verdict\": \"maybe\"", StringComparison.Ordinal)));
    }
}

/// <summary>A fact that needs python3 with the jsonschema module (Debian's python3-jsonschema): skipped without it, unless CI is set (then it fails).</summary>
public sealed class SchemaFactAttribute : FactAttribute
{
    public SchemaFactAttribute()
    {
        if (!PostfixTools.IsCi && !Available.Value)
        {
            Skip = "python3 with the jsonschema module is not installed here (apt-get install python3-jsonschema; .ci/run installs it); with CI set this test fails instead of skipping.";
        }
    }

    private static readonly Lazy<bool> Available = new(() =>
        File.Exists("/usr/bin/python3") && PostfixTools.Run("/usr/bin/python3", "-c", "import jsonschema").ExitCode == 0);
}

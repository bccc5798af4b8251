using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PostfixConfig.Tests.Support;

/// <summary>
/// Validates YAML documents against a JSON Schema with a real validator: Debian's python3-jsonschema
/// (Draft202012Validator; .ci/run installs it). YAML is turned into JSON here with YAML 1.2's core
/// schema, as the YAML language server reads it (<c>yes</c> is text, <c>true</c> a boolean), so the
/// test sees what an editor sees. All documents go to one python process.
/// </summary>
internal static partial class SchemaValidator
{
    private const string Script = """
        import json, sys
        import jsonschema
        results = []
        for job in json.load(sys.stdin):
            jsonschema.Draft202012Validator.check_schema(job["schema"])
            validator = jsonschema.Draft202012Validator(job["schema"])
            results.append({name: ["/".join(str(p) for p in e.absolute_path) + ": " + e.message[:300] for e in validator.iter_errors(doc)]
                            for name, doc in job["documents"].items()})
        json.dump(results, sys.stdout)
        """;

    /// <summary>The schema errors of each document (by name); an empty list means it validates.</summary>
    public static Dictionary<string, List<string>> Validate(string schemaJson, IReadOnlyDictionary<string, string> yamlDocuments) =>
        Validate([(schemaJson, yamlDocuments)])[0];

    /// <summary>Several schemas with their documents, in one python process (it takes about a second to start and read a schema).</summary>
    public static List<Dictionary<string, List<string>>> Validate(IEnumerable<(string Schema, IReadOnlyDictionary<string, string> Documents)> jobs)
    {
        var request = new JsonArray([.. jobs.Select(job => new JsonObject
        {
            ["schema"] = JsonNode.Parse(job.Schema),
            ["documents"] = new JsonObject(job.Documents.Select(kv => KeyValuePair.Create(kv.Key, YamlToJson(kv.Value)))),
        })]);
        var psi = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start python3");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(request.ToJsonString());
        p.StandardInput.Close();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("python3 jsonschema did not finish in 300 s");
        }

        Assert.True(p.ExitCode == 0, $"python3 jsonschema failed ({p.ExitCode}; apt-get install python3-jsonschema): {stderr.Result}");
        return JsonSerializer.Deserialize<List<Dictionary<string, List<string>>>>(stdout.Result)!;
    }

    /// <summary>One document's errors.</summary>
    public static List<string> Validate(string schemaJson, string yaml) =>
        Validate(schemaJson, new Dictionary<string, string> { ["doc"] = yaml })["doc"];

    /// <summary>A YAML document as JSON, with YAML 1.2 core schema scalars (null, booleans, integers, floats, else text).</summary>
    public static JsonNode? YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? string.Empty),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? string.Empty),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonValue? Plain(string v)
    {
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(v[0] is 't' or 'T');
        }

        if (IntegerPattern().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return JsonValue.Create(n);
        }

        if (FloatPattern().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(v);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+\z")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex FloatPattern();
}

using System.Text.Json;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Ansible;

/// <summary>
/// The documentation of <c>postfixconfig.postfix.postfix_config</c> against the module itself: ansible-doc
/// parses it; each documented option has the type, default, requirement and choices of the
/// <c>argument_spec</c> that the module really gives <c>AnsibleModule</c> (recorded by importing the module
/// file in Ansible's Python with <c>AnsibleModule</c> replaced); EXAMPLES and RETURN parse as YAML; every
/// example gives only real options in a combination the module accepts; RETURN documents what a real run
/// returns. <c>ansible-test sanity --test validate-modules</c> would check much of this, but it installs its
/// requirements from the network, which tests do not use.
/// </summary>
public class ModuleDocumentationTests
{
    private const string Module = "postfixconfig.postfix.postfix_config";

    private static readonly string ModuleFile = Path.Combine(RepoPaths.Root, "ansible", "ansible_collections", "postfixconfig", "postfix", "plugins", "modules", "postfix_config.py");

    /// <summary>
    /// Imports the module file with <c>AnsibleModule</c> replaced by a recorder of its keyword arguments, runs
    /// <c>main()</c> up to that call, and prints them with DOCUMENTATION, EXAMPLES and RETURN parsed by PyYAML.
    /// </summary>
    private const string RecordScript = """
        import importlib.util, json, sys, yaml
        import ansible.module_utils.basic as basic
        recorded = {}
        class Recorded(Exception):
            pass
        def record(**kwargs):
            recorded.update(kwargs)
            raise Recorded()
        basic.AnsibleModule = record
        spec = importlib.util.spec_from_file_location('postfix_config', sys.argv[1])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        try:
            module.main()
        except Recorded:
            pass
        json.dump({
            'argument_spec': recorded['argument_spec'],
            'mutually_exclusive': recorded.get('mutually_exclusive', []),
            'required_one_of': recorded.get('required_one_of', []),
            'supports_check_mode': recorded.get('supports_check_mode', False),
            'documentation': yaml.safe_load(module.DOCUMENTATION),
            'examples': yaml.safe_load(module.EXAMPLES),
            'return': yaml.safe_load(module.RETURN),
        }, sys.stdout)
        """;

    private static readonly string[] OptionFields = ["type", "elements", "default", "required", "choices", "aliases"];

    private static readonly string[] ReturnFields = ["description", "returned", "type"];

    /// <summary>What Ansible adds to every module result.</summary>
    private static readonly string[] AnsibleOwn = ["invocation", "warnings", "deprecations", "diff", "failed", "stderr_lines", "stdout_lines", "_ansible_no_log"];

    /// <summary>A field of an option as compact JSON, with Ansible's meaning of an absent field (type str, not required).</summary>
    private static string? Field(JsonElement option, string name) =>
        option.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? JsonSerializer.Serialize(value)
            : name switch { "type" => "\"str\"", "required" => "false", _ => null };

    private static List<string> Names(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static List<string> Group(JsonElement group) => [.. group.EnumerateArray().Select(e => e.GetString()!)];

    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void AnsibleDoc_DocumentsTheModulesRealArgumentSpec_ExamplesAndReturnAreYamlThatFitsTheModule()
    {
        using var ws = new AnsibleWorkspace();
        var text = ws.Run(AnsibleTools.Doc, [Module]);
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains("postfix-config apply --format json", text.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", text.StdErr, StringComparison.Ordinal);

        var json = ws.Run(AnsibleTools.Doc, ["--json", Module]);
        Assert.True(json.ExitCode == 0, json.StdErr);
        using var doc = JsonDocument.Parse(json.StdOut);
        var documented = doc.RootElement.GetProperty(Module);
        var options = documented.GetProperty("doc").GetProperty("options");

        var recorded = ws.Run(AnsibleTools.Python, ["-c", RecordScript, ModuleFile]);
        Assert.True(recorded.ExitCode == 0, recorded.StdErr);
        using var real = JsonDocument.Parse(recorded.StdOut);
        var spec = real.RootElement.GetProperty("argument_spec");

        // ansible-doc shows exactly the options the module accepts, each as the module takes it.
        Assert.Equal(Names(spec), Names(options));
        Assert.Contains("config_dir", Names(spec)); // not two empty lists
        foreach (var option in spec.EnumerateObject())
        {
            foreach (var field in OptionFields)
            {
                Assert.True(Field(option.Value, field) == Field(options.GetProperty(option.Name), field),
                    $"{option.Name}.{field}: the module has {Field(option.Value, field) ?? "none"}, the documentation {Field(options.GetProperty(option.Name), field) ?? "none"}");
            }
        }

        // Options that the module wants exactly one of say so in their description.
        var exclusive = real.RootElement.GetProperty("mutually_exclusive").EnumerateArray().Select(Group).ToList();
        foreach (var group in real.RootElement.GetProperty("required_one_of").EnumerateArray().Select(Group).Where(g => exclusive.Any(e => e.SequenceEqual(g))))
        {
            var sentence = $"Exactly one of {string.Join(" and ", group.Select(o => $"I({o})"))} is required.";
            Assert.All(group, o => Assert.Contains(sentence, options.GetProperty(o).GetProperty("description").EnumerateArray().Select(d => d.GetString())));
        }

        var attributes = documented.GetProperty("doc").GetProperty("attributes");
        Assert.Equal(real.RootElement.GetProperty("supports_check_mode").GetBoolean() ? "full" : "none", attributes.GetProperty("check_mode").GetProperty("support").GetString());
        Assert.Equal("full", attributes.GetProperty("diff_mode").GetProperty("support").GetString());

        // EXAMPLES: a YAML list of named tasks; each use of the module gives only its options, one of config and src, and a quoted release.
        var examples = real.RootElement.GetProperty("examples");
        Assert.Equal(JsonValueKind.Array, examples.ValueKind);
        Assert.All(examples.EnumerateArray(), task => Assert.False(string.IsNullOrWhiteSpace(task.GetProperty("name").GetString())));
        var uses = examples.EnumerateArray().Where(t => t.TryGetProperty(Module, out _)).Select(t => t.GetProperty(Module)).ToList();
        Assert.True(uses.Count >= 3, $"{uses.Count} examples use the module");
        foreach (var args in uses)
        {
            Assert.Empty(Names(args).Except(Names(spec)));
            foreach (var group in exclusive)
            {
                Assert.True(group.Count(o => args.TryGetProperty(o, out _)) <= 1, string.Join(", ", group));
            }

            foreach (var group in real.RootElement.GetProperty("required_one_of").EnumerateArray().Select(Group))
            {
                Assert.Contains(group, o => args.TryGetProperty(o, out _));
            }

            if (args.TryGetProperty("config", out var config))
            {
                Assert.Equal(JsonValueKind.String, config.GetProperty("postfix_version").ValueKind);
            }
        }

        // RETURN: YAML (the same keys ansible-doc shows), every value with description, returned and type.
        var returns = real.RootElement.GetProperty("return");
        Assert.Equal(Names(returns), Names(documented.GetProperty("return")));
        foreach (var value in returns.EnumerateObject())
        {
            Assert.All(ReturnFields, f => Assert.True(value.Value.TryGetProperty(f, out _), $"{value.Name} has no {f}"));
        }

        // ... and it documents what a real run returns (a check-mode run against a scratch folder).
        var etc = ws.ConfigFolder("mx");
        var run = ws.Playbook($$"""
            - hosts: all
              gather_facts: false
              tasks:
                - {{Module}}:
                    config:
                      postfix_version: "3.7"
                      main:
                        smtp_tls_policy_maps: hash:${config_directory}/tls_policy
                      tls_policy:
                        example.net: encrypt
                    config_dir: {{etc}}
                    executable: {{AnsibleWorkspace.Cli}}
            """, "--check");
        Assert.True(run.ExitCode == 0, run.StdOut);
        var result = ws.Result();
        Assert.Empty(Names(result).Except(AnsibleOwn).Except(Names(returns)));
        Assert.Empty(Names(result.GetProperty("plan")).Except(Names(returns.GetProperty("plan").GetProperty("contains"))));
        var diagnostic = result.GetProperty("diagnostics").EnumerateArray().First(); // PFX3008: no server certificate
        Assert.Empty(Names(diagnostic).Except(Names(returns.GetProperty("diagnostics").GetProperty("contains"))));

        var role = ws.Run(AnsibleTools.Doc, ["-t", "role", "postfixconfig.postfix.install"]);
        Assert.True(role.ExitCode == 0, role.StdErr);
        Assert.Contains("postfixconfig_feed", role.StdOut, StringComparison.Ordinal);
    }
}

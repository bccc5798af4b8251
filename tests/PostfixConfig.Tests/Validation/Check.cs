using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>Validates YAML snippets for a given release.</summary>
internal static class Check
{
    /// <summary>Loads <paramref name="yaml"/> (without postfix_version) and validates it for <paramref name="version"/>.</summary>
    public static DiagnosticList Validate(string yaml, string version)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "t.yaml");
        Assert.False(loaded.HasErrors, $"the test YAML does not load: {string.Join("; ", loaded.Diagnostics)}");
        return PostfixTls.Validate(loaded.Value!, ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse(version) });
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => d.ToString()));
}

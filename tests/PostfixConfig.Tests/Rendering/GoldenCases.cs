using PostfixConfig.Rendering;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

/// <summary>
/// The golden cases in <c>Golden/NNN-name/</c>: each has an <c>input.yaml</c>, the expected
/// <c>diagnostics.txt</c> (empty when there are none) and, when it renders, the expected files
/// (<c>main.cf</c> and the map files).
/// </summary>
internal static class GoldenCases
{
    public static string Root => Path.Combine(RepoPaths.TestProject, "Golden");

    public static IEnumerable<string> All() =>
        Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static string Input(string name) => Path.Combine(Root, name, "input.yaml");

    /// <summary>Loads and renders a case; diagnostics name the file "input.yaml".</summary>
    public static (Result<TlsConfiguration> Loaded, Result<RenderedConfiguration>? Rendered) Run(string name)
    {
        var loaded = PostfixTls.LoadYaml(File.ReadAllText(Input(name)), "input.yaml");
        return (loaded, loaded.HasErrors ? null : PostfixTls.Render(loaded.Value));
    }
}

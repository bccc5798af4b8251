using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

/// <summary>Each golden case renders to exactly its expected files and diagnostics (UPDATE_GOLDEN=1 rewrites them).</summary>
public class GoldenTests
{
    public static TheoryData<string> Cases() => [.. GoldenCases.All()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_MatchesExpectedFiles(string name)
    {
        var dir = Path.Combine(GoldenCases.Root, name);
        var (loaded, rendered) = GoldenCases.Run(name);
        var diagnostics = rendered is null ? loaded.Diagnostics : loaded.Diagnostics.Concat(rendered.Diagnostics);
        Golden.Match(Path.Combine(dir, "diagnostics.txt"), string.Concat(diagnostics.Select(d => d + "\n")));

        var expectedFiles = Directory.GetFiles(dir).Select(Path.GetFileName)
            .Where(f => f is not ("input.yaml" or "diagnostics.txt")).ToHashSet(StringComparer.Ordinal);
        if (rendered?.Value is { } output)
        {
            foreach (var file in output.Files)
            {
                Golden.Match(Path.Combine(dir, file.FileName), file.Content);
                expectedFiles.Remove(file.FileName);
            }
        }

        Assert.True(Golden.Updating || expectedFiles.Count == 0, $"{name}: expected files not rendered: {string.Join(", ", expectedFiles)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Twice_GivesIdenticalBytes(string name)
    {
        var first = GoldenCases.Run(name).Rendered?.Value;
        var second = GoldenCases.Run(name).Rendered?.Value;
        Assert.Equal(first?.Files.Select(f => (f.FileName, f.Content)), second?.Files.Select(f => (f.FileName, f.Content)));
    }
}

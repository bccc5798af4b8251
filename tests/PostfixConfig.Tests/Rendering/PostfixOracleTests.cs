using PostfixConfig.Rendering;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

/// <summary>
/// The real Postfix judges every rendered file: <c>postconf -c DIR -n</c> reads every parameter
/// with exactly the intended value and prints no warning; <c>postmap</c> compiles each map with the
/// type main.cf names and <c>postmap -q</c> returns every entry as written.
/// </summary>
public class PostfixOracleTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(RepoPaths.Examples, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add("examples/" + Path.GetFileName(f));
        }

        foreach (var c in GoldenCases.All())
        {
            data.Add("golden/" + c);
        }

        return data;
    }

    private static string PathOf(string input) => input.StartsWith("examples/", StringComparison.Ordinal)
        ? Path.Combine(RepoPaths.Root, input)
        : GoldenCases.Input(input["golden/".Length..]);

    [PostfixTheory]
    [MemberData(nameof(Inputs))]
    public void Rendered_ReadByPostconfAndPostmap_AsIntended(string input)
    {
        var loaded = PostfixTls.LoadYamlFile(PathOf(input));
        if (loaded.HasErrors)
        {
            Assert.StartsWith("golden/", input, StringComparison.Ordinal); // examples must load; error cases have nothing to render
            return;
        }

        var rendered = PostfixTls.Render(loaded.Value);
        if (rendered.HasErrors)
        {
            Assert.StartsWith("golden/", input, StringComparison.Ordinal);
            return;
        }

        using var dir = PostfixTools.ConfigDir(rendered.Value);
        var (values, stderr) = PostfixTools.PostconfN(dir.Path);
        Assert.True(stderr.Length == 0, $"postconf warned: {stderr}");
        var intended = loaded.Value.Main.ToDictionary(kv => kv.Key, kv => kv.Value.Text, StringComparer.Ordinal);
        Assert.Equal(intended.OrderBy(kv => kv.Key, StringComparer.Ordinal), values.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        foreach (var map in rendered.Value.Files.Where(f => f.Kind == RenderedFileKind.Map))
        {
            var file = dir.File(map.FileName);
            if (map.MapType != "texthash")
            {
                PostfixTools.CompileMap(dir.Path, map.MapType!, file);
            }

            foreach (var entry in loaded.Value.TlsPolicy)
            {
                Assert.Equal(entry.RenderValue(), PostfixTools.Query(dir.Path, map.MapType!, file, entry.Destination));
            }
        }
    }
}

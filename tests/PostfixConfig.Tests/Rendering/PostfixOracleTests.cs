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
        // What the YAML says, with its profile and the services' defaults filled in.
        var effective = PostfixTls.Expand(loaded.Value).GetValueOrThrow().Configuration;
        var intended = effective.Main.ToDictionary(kv => kv.Key, kv => kv.Value.Text, StringComparer.Ordinal);
        Assert.Equal(intended.OrderBy(kv => kv.Key, StringComparer.Ordinal), values.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        if (effective.Services.Count > 0)
        {
            // postconf -P reads every override of master.cf (and -M every service) without a warning.
            var (overrides, masterStderr) = PostfixTools.PostconfP(dir.Path);
            Assert.True(masterStderr.Length == 0, $"postconf -P warned: {masterStderr}");
            var (services, _) = PostfixTools.PostconfM(dir.Path);
            foreach (var service in effective.Services)
            {
                var field = service.Listen ?? service.Name;
                Assert.Contains($"{field}/inet", services.Keys);
                var expected = service.Overrides.ToDictionary(kv => $"{field}/inet/{kv.Key}", kv => string.Join(',', kv.Value.AsList()), StringComparer.Ordinal);
                var actual = overrides.Where(kv => kv.Key.StartsWith(field + "/inet/", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
                Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.OrderBy(kv => kv.Key, StringComparer.Ordinal));
            }
        }

        foreach (var map in rendered.Value.Files.Where(f => f.Kind == RenderedFileKind.Map))
        {
            // The table is the one main.cf names, as postconf read it.
            Assert.Contains($"{map.MapType}:{map.MapPath}", PostfixTools.Collapse(values["smtp_tls_policy_maps"]).Split(' '));

            var file = dir.File(map.FileName);
            if (map.MapType != "texthash")
            {
                PostfixTools.CompileMap(dir.Path, map.MapType!, file);
            }

            foreach (var entry in loaded.Value.TlsPolicy)
            {
                Assert.Equal(entry.RenderValue(), PostfixTools.Query(dir.Path, map.MapType!, file, entry.Destination));
            }

            // Nothing else became an entry (comment lines, stray text). cdb tables cannot be listed.
            if (Dump(dir.Path, map.MapType!, file) is { } all)
            {
                Assert.Equal(
                    loaded.Value.TlsPolicy.Select(e => e.Destination.ToLowerInvariant()).Order(StringComparer.Ordinal),
                    all.Keys.Order(StringComparer.Ordinal));
            }
        }
    }

    /// <summary><c>postmap -s TYPE:FILE</c> as key to value; null for a table type that cannot be listed (cdb).</summary>
    private static Dictionary<string, string>? Dump(string configDir, string type, string file)
    {
        var r = PostfixTools.Run(PostfixTools.Postmap, "-c", configDir, "-s", $"{type}:{file}");
        if (r.ExitCode != 0 && r.StdErr.Contains("sequence operation is not supported", StringComparison.Ordinal))
        {
            return null;
        }

        Assert.True(r.ExitCode == 0, $"postmap -s {type}:{file} failed ({r.ExitCode}): {r.StdErr}");
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty, StringComparer.Ordinal);
    }
}

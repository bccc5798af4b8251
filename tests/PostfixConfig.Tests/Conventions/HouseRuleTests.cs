using System.Text.RegularExpressions;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Conventions;

/// <summary>
/// The house rules of docs/contributing.md that the sources can prove: no folder of the library imports a
/// folder that imports it back (the layering stays a tree a newcomer can read bottom-up), no hand-written
/// source file over 700 lines, and test folders that mirror the library's.
/// </summary>
public partial class HouseRuleTests
{
    private const int MaxLines = 700;

    private static readonly string[] SourceRoots = ["src", "tools", "benchmarks"];

    private static string Library => Path.Combine(RepoPaths.Root, "src", "PostfixConfig");

    /// <summary>The library's folders (each its own namespace under PostfixConfig, Model/ aside: it is the root namespace).</summary>
    private static IEnumerable<string> Folders() =>
        Directory.EnumerateDirectories(Library)
            .Select(Path.GetFileName)
            .Where(d => d is not ("bin" or "obj" or "Properties"))
            .Select(d => d!);

    /// <summary>Which folders each folder uses: a <c>using PostfixConfig.X</c> or a qualified <c>PostfixConfig.X.</c> name in any of its files.</summary>
    internal static Dictionary<string, Dictionary<string, List<string>>> FolderGraph()
    {
        var folders = Folders().ToHashSet(StringComparer.Ordinal);
        var graph = folders.ToDictionary(f => f, _ => new Dictionary<string, List<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Library, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match m in NamespaceReference().Matches(File.ReadAllText(file)))
                {
                    var used = m.Groups[1].Value;
                    if (used != folder && folders.Contains(used))
                    {
                        if (!graph[folder].TryGetValue(used, out var files))
                        {
                            graph[folder][used] = files = [];
                        }

                        files.Add(Path.GetRelativePath(Library, file));
                    }
                }
            }
        }

        return graph;
    }

    [Fact]
    public void LibraryFolders_NeverImportEachOther()
    {
        var graph = FolderGraph();
        var cycles = new List<string>();
        foreach (var (folder, uses) in graph)
        {
            foreach (var (used, files) in uses)
            {
                if (string.CompareOrdinal(folder, used) < 0 && graph[used].TryGetValue(folder, out var back))
                {
                    cycles.Add($"{folder} -> {used} ({string.Join(", ", files.Distinct().Take(3))}) and {used} -> {folder} ({string.Join(", ", back.Distinct().Take(3))})");
                }
            }
        }

        Assert.True(cycles.Count == 0, "folders that import each other:\n" + string.Join('\n', cycles));
        Assert.Null(FindCycle(graph)); // and no longer cycle either
    }

    [Fact]
    public void FolderGraph_SeesAKnownDependency()
    {
        // Guards the test above from passing on an empty graph: Validation reads the catalog.
        Assert.Contains("Catalog", FolderGraph()["Validation"].Keys);
    }

    [Fact]
    public void TextAndDiagnostics_AreTheBottomLayer()
    {
        var graph = FolderGraph();
        Assert.Empty(graph["Text"].Keys);
        Assert.Empty(graph["Diagnostics"].Keys);
    }

    [Fact]
    public void HandWrittenSources_AreAtMost700Lines()
    {
        var roots = SourceRoots.Select(r => Path.Combine(RepoPaths.Root, r));
        var tooLong = roots
            .SelectMany(r => Directory.EnumerateFiles(r, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith(".Generated.cs", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(RepoPaths.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(x => x.Lines > MaxLines)
            .Select(x => $"{x.File}: {x.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, $"hand-written files over {MaxLines} lines (split them by job):\n" + string.Join('\n', tooLong));
    }

    [Fact]
    public void UnitTestFolders_MirrorLibraryFolders()
    {
        // Test folders named like no library folder are allowed only for what spans the whole product.
        string[] crossCutting = ["Ansible", "Cli", "Testing", "Conventions", "Data", "Fuzz", "Golden", "Packaging", "Support", "Docs"];
        var tests = Path.Combine(RepoPaths.Root, "tests", "PostfixConfig.Tests");
        var library = Folders().ToHashSet(StringComparer.Ordinal);
        var strays = Directory.EnumerateDirectories(tests)
            .Select(Path.GetFileName)
            .Where(d => d is not ("bin" or "obj") && !library.Contains(d!) && !crossCutting.Contains(d))
            .ToList();
        Assert.True(strays.Count == 0, "test folders that mirror no src/PostfixConfig folder: " + string.Join(", ", strays));
    }

    private static string? FindCycle(Dictionary<string, Dictionary<string, List<string>>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new Stack<string>();

        string? Visit(string node)
        {
            state[node] = 1;
            path.Push(node);
            foreach (var next in graph[node].Keys.Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return string.Join(" <- ", path.TakeWhile(n => n != next).Append(next).Reverse().Append(next));
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.Pop();
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\bPostfixConfig\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex NamespaceReference();
}

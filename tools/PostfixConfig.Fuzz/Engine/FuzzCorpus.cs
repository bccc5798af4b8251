namespace PostfixConfig.Fuzz;

/// <summary>
/// The seed inputs, read from the repository: the examples, the golden inputs and outputs of the
/// tests, Debian's master.cf, and the certificates and keys in <c>tools/PostfixConfig.Fuzz/Corpus/pem/</c>
/// (a throw-away PKI made with openssl for fuzzing only).
/// </summary>
internal sealed class FuzzCorpus
{
    public FuzzCorpus(string repoRoot)
    {
        var tests = Path.Combine(repoRoot, "tests", "PostfixConfig.Tests");
        Yaml = Read(Files(Path.Combine(repoRoot, "examples"), "*.yaml")
            .Concat(Files(tests, "*.yaml", recursive: true)));
        Configurations = Read(Files(Path.Combine(repoRoot, "examples"), "*.yaml"));
        MainCf = Read(Files(Path.Combine(repoRoot, "examples"), "*.cf")
            .Concat(Files(tests, "main.cf", recursive: true))
            .Concat(Files(Path.Combine(tests, "MainCf"), "*.cf", recursive: true)));
        PolicyMaps = Read(Files(tests, "tls_policy", recursive: true));
        MasterCf = Read(Files(Path.Combine(tests, "Data"), "master.cf*")
            .Concat(Files(tests, "master.cf", recursive: true)));
        Pem = Read(Files(Path.Combine(repoRoot, "tools", "PostfixConfig.Fuzz", "Corpus", "pem"), "*"));
        foreach (var (name, seeds) in new[] { ("yaml", Yaml), ("main.cf", MainCf), ("master.cf", MasterCf), ("pem", Pem), ("policy map", PolicyMaps) })
        {
            if (seeds.Count == 0)
            {
                throw new InvalidOperationException($"No {name} seeds found under {repoRoot}.");
            }
        }
    }

    public IReadOnlyList<byte[]> Yaml { get; }

    /// <summary>Valid configurations to merge into fuzzed main.cf files.</summary>
    public IReadOnlyList<byte[]> Configurations { get; }

    public IReadOnlyList<byte[]> MainCf { get; }

    public IReadOnlyList<byte[]> PolicyMaps { get; }

    public IReadOnlyList<byte[]> MasterCf { get; }

    public IReadOnlyList<byte[]> Pem { get; }

    /// <summary>The repository root: the nearest folder above <paramref name="start"/> holding PostfixConfig.sln.</summary>
    public static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PostfixConfig.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No PostfixConfig.sln above {start}.");
    }

    private static IEnumerable<string> Files(string folder, string pattern, bool recursive = false) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            : [];

    private static List<byte[]> Read(IEnumerable<string> files) =>
        [.. files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).Where(b => b.Length <= Mutator.MaxInputBytes)];
}

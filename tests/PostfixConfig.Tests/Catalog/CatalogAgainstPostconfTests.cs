using PostfixConfig.Catalog;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// The catalog against `postconf -d`: the installed Postfix, and the reference output of every
/// release line kept in Data/postconf-d (facts: names and defaults).
/// </summary>
public class CatalogAgainstPostconfTests
{
    /// <summary>
    /// Reviewed patch-level differences between a reference file and the catalog at that version.
    /// Empty: every reference file matches exactly.
    /// </summary>
    private static readonly HashSet<(string File, string Name)> KnownDifferences = [];

    public static TheoryData<string> ReferenceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(RepoPaths.Data, "postconf-d"), "postconf-d-*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void Params_ReferenceRelease_MatchesPostconfD(string file)
    {
        var version = VersionOf(file);
        var expected = ParsePostconfD(File.ReadAllText(Path.Combine(RepoPaths.Data, "postconf-d", file)));
        var differences = Compare(version, expected)
            .Where(d => !KnownDifferences.Contains((file, d.Name)))
            .Select(d => d.Text)
            .ToList();
        Assert.True(differences.Count == 0, $"{file} (catalog at {version}):\n" + string.Join('\n', differences));
    }

    /// <summary>
    /// Through the CLI, as a user runs it: <c>params --postfix-version V</c> prints, line for line,
    /// what that release's <c>postconf -d</c> prints for every name containing "tls" (and for the
    /// other catalog names it lists). Releases before 2.9 print "name = " with a trailing blank for
    /// an empty value; the CLI prints "name =", so trailing blanks are not compared.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void ParamsCli_ReferenceRelease_PrintsPostconfDLines(string file)
    {
        var version = VersionOf(file);
        var reference = File.ReadAllText(Path.Combine(RepoPaths.Data, "postconf-d", file));
        var fromPostconf = Lines(reference).ToDictionary(Name, StringComparer.Ordinal);

        var cli = CliRunner.Run("params", "--postfix-version", version.ToString());
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        var printed = Lines(cli.StdOut).ToList();

        var tlsFromPostconf = fromPostconf.Values.Where(l => Name(l).Contains("tls", StringComparison.Ordinal)).ToList();
        var tlsPrinted = printed.Where(l => Name(l).Contains("tls", StringComparison.Ordinal)).ToList();
        Assert.Equal(tlsFromPostconf, tlsPrinted);

        var otherDifferences = printed
            .Where(l => !fromPostconf.TryGetValue(Name(l), out var expected) || expected != l)
            .Select(l => $"CLI '{l}', postconf '{(fromPostconf.TryGetValue(Name(l), out var e) ? e : "(not listed)")}'")
            .ToList();
        Assert.True(otherDifferences.Count == 0, $"{file}:\n" + string.Join('\n', otherDifferences));

        // "X.Y" means the newest patch release of the line, which is what the reference files hold.
        if (ParameterCatalog.Default.Releases.Resolve(version.Line) == version)
        {
            var byLine = CliRunner.Run("params", "--postfix-version", version.Line.ToString());
            Assert.Equal(cli.StdOut, byLine.StdOut);
        }
    }

    /// <summary>The parameter lines of postconf -d output or CLI output, trailing blanks removed.</summary>
    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n')
            .Select(l => l.TrimEnd(' ', '\r'))
            .Where(l => l.Length > 0 && l[0] != '#');

    [PostfixFact]
    public void Params_InstalledPostfix_MatchesPostconfDExactly()
    {
        var installed = PostfixTools.Run(PostfixTools.Postconf, "-d");
        Assert.Equal(0, installed.ExitCode);
        var expected = ParsePostconfD(installed.StdOut);
        var version = PostfixVersion.Parse(expected["mail_version"]);

        // Through the CLI, as a user would run it: the output must be line for line what postconf prints.
        var cli = CliRunner.Run("params", "--postfix-version", version.ToString());
        Assert.Equal(0, cli.ExitCode);
        var printed = cli.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => Name(l).Contains("tls", StringComparison.Ordinal)).ToList();
        var fromPostconf = installed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => Name(l).Contains("tls", StringComparison.Ordinal)).ToList();
        Assert.Equal(fromPostconf, printed);

        var differences = Compare(version, expected).Select(d => d.Text).ToList();
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    private static string Name(string line) => line.Split(" =")[0];

    private static PostfixVersion VersionOf(string file)
    {
        // postconf-d-3.7.22.txt, postconf-d-3.12-20260821.txt, postconf-d-3.7.11-debian.txt
        var core = Path.GetFileNameWithoutExtension(file)["postconf-d-".Length..];
        if (core.EndsWith("-debian", StringComparison.Ordinal))
        {
            core = core[..^"-debian".Length];
        }

        return PostfixVersion.Parse(core);
    }

    internal static Dictionary<string, string> ParsePostconfD(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var eq = line.IndexOf(" =", StringComparison.Ordinal);
            values[line[..eq]] = line.Length > eq + 2 ? line[(eq + 3)..] : string.Empty;
        }

        return values;
    }

    private static IEnumerable<(string Name, string Text)> Compare(PostfixVersion version, Dictionary<string, string> expected)
    {
        var catalog = ParameterCatalog.Default;
        var known = catalog.ParametersIn(version).ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, value) in expected)
        {
            var isCatalogName = name.Contains("tls", StringComparison.Ordinal) || catalog.Find(name) is not null;
            if (!isCatalogName)
            {
                continue;
            }

            if (!known.TryGetValue(name, out var p))
            {
                yield return (name, $"missing from catalog: {name} = {value}");
                continue;
            }

            var actual = p.DefaultIn(version)!;
            if (PostfixTools.Collapse(actual) != PostfixTools.Collapse(value))
            {
                yield return (name, $"default differs: {name}: postconf '{value}', catalog '{actual}'");
            }
        }

        foreach (var name in known.Keys.Where(n => !expected.ContainsKey(n)))
        {
            yield return (name, $"not in postconf -d {version}: {name}");
        }
    }
}

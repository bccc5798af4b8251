using System.Text.RegularExpressions;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Docs;

/// <summary>
/// The shape of the documentation (issue 30): a README a newcomer reads to the end, whose test command is
/// the one CI runs; topic pages under docs/ that each start with the question they answer; links that lead
/// somewhere; and the house rules that docs/contributing.md states.
/// </summary>
public partial class DocsStructureTests
{
    /// <summary>Pages that other branches write at the same time (the README links to them already).</summary>
    private static readonly string[] PagesWrittenElsewhere =
        ["existing-files.md", "probing.md", "apply.md", "mta-sts.md", "testing.md"];

    private static readonly string[] SourceFolders = ["src", "tests", "tools", "benchmarks"];

    private static string Readme => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    internal static IEnumerable<string> DocFiles() =>
        new[] { Path.Combine(RepoPaths.Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    [Fact]
    public void Readme_IsAtMost250Lines()
    {
        var lines = Readme.TrimEnd('\n').Split('\n').Length;
        Assert.True(lines <= 250, $"README.md has {lines} lines; move detail to a page under docs/ and link to it");
    }

    [Fact]
    public void CiRunsExactlyTheReadmesTestCommand_AndTheReadmeShowsTheFastRun()
    {
        var ci = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".ci", "run"));
        var last = ci.Last(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        Assert.Equal("dotnet test PostfixConfig.sln", last);
        Assert.Contains("\n" + last + "\n", Readme, StringComparison.Ordinal);
        Assert.Contains("\ndotnet test PostfixConfig.sln --filter \"Category!=Slow\"\n", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDocsPage_StartsWithATitleAndTheQuestionItAnswers()
    {
        var pages = Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md", SearchOption.AllDirectories);
        Assert.True(pages.Length >= 14, $"only {pages.Length} pages under docs/");
        var bad = pages.Where(p =>
        {
            var lines = File.ReadAllLines(p);
            return lines.Length < 3 || !lines[0].StartsWith("# ", StringComparison.Ordinal) || lines[1].Length != 0
                || !Question().IsMatch(lines[2]);
        }).Select(p => Path.GetRelativePath(RepoPaths.Root, p)).ToList();
        Assert.True(bad.Count == 0, "pages that do not start with '# Title', a blank line and '**The question?**': " + string.Join(", ", bad));
    }

    [Fact]
    public void EveryRelativeLink_LeadsToAFile()
    {
        var broken = new List<string>();
        foreach (var file in DocFiles())
        {
            foreach (Match m in Link().Matches(File.ReadAllText(file)))
            {
                var target = m.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target));
                if (!File.Exists(path) && !Directory.Exists(path) && !PagesWrittenElsewhere.Contains(Path.GetFileName(path)))
                {
                    broken.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: {target}");
                }
            }
        }

        Assert.True(broken.Count == 0, "links to nothing: " + string.Join(", ", broken));
    }

    [Fact]
    public void NoHandWrittenSourceFile_IsOver700Lines()
    {
        var tooLong = SourceFolders
            .SelectMany(d => Directory.GetFiles(Path.Combine(RepoPaths.Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".Generated.cs", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(RepoPaths.Root, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 700)
            .Select(f => $"{f.File} ({f.Lines})")
            .ToList();
        Assert.True(tooLong.Count == 0, "hand-written files over 700 lines: " + string.Join(", ", tooLong));
    }

    [GeneratedRegex(@"^\*\*[^*].*\?\*\*$")]
    private static partial Regex Question();

    [GeneratedRegex(@"\]\(([^)\s]+?)(?:#[^)]*)?\)")]
    private static partial Regex Link();
}

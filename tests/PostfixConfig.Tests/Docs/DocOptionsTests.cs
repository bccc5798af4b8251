using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Docs;

/// <summary>
/// docs/commands.md and <c>--help</c> say the same about every option: the page's option tables are what
/// <see cref="DocOptions"/> writes from the CLI's commands (UPDATE_GOLDEN=1 rewrites them), and the help
/// text of a command shows each of those descriptions.
/// </summary>
public class DocOptionsTests
{
    private static string PageFile => Path.Combine(RepoPaths.Root, DocOptions.PagePath);

    [Fact]
    public void DocOptions_TheOptionTablesAreTheClisDescriptions()
    {
        var page = File.ReadAllText(PageFile).Replace("\r\n", "\n", StringComparison.Ordinal);
        var begin = page.IndexOf(DocOptions.Begin, StringComparison.Ordinal);
        var end = page.IndexOf(DocOptions.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{DocOptions.PagePath} has no '{DocOptions.Begin}' ... '{DocOptions.End}' region");
        var committed = page[begin..(end + DocOptions.End.Length)];
        var generated = DocOptions.Generate();
        if (Golden.Updating)
        {
            File.WriteAllText(PageFile, page[..begin] + generated + page[(end + DocOptions.End.Length)..]);
            return;
        }

        Assert.True(committed == generated, $"{DocOptions.PagePath}'s option tables differ from the CLI's option descriptions (run with UPDATE_GOLDEN=1 to accept):\n{PostfixConfig.Text.UnifiedDiff.Create(committed, generated, "committed", "generated")}");
    }

    [Theory]
    [InlineData("render")]
    [InlineData("lint")]
    [InlineData("tlsa")]
    public void Help_ShowsTheWordingOfTheDocsTable(string command)
    {
        var page = File.ReadAllText(PageFile);
        var section = page[page.IndexOf("\n### " + command + "\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n\n", section.IndexOf("| --- |", StringComparison.Ordinal), StringComparison.Ordinal)];
        var rows = section.Split('\n').Where(l => l.StartsWith("| `--", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        var help = string.Join(' ', CliRunner.Run(command, "--help").StdOut.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        foreach (var row in rows)
        {
            var description = row[(row.LastIndexOf("` | ", StringComparison.Ordinal) + 4)..^2].Replace("\\|", "|", StringComparison.Ordinal);
            Assert.Contains(description, help, StringComparison.Ordinal);
        }
    }
}

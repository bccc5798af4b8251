using System.Globalization;
using System.Text.RegularExpressions;
using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests.Harness;

/// <summary>
/// The release table of docs/conformance.md (made by tools/postfix-releases/table.sh from a run's
/// summary) against the suite as it is now: it counts the inputs the render test renders today, and
/// each release's rendered and refused inputs add up to that count.
/// </summary>
public partial class ReleaseTableTests
{
    [Fact]
    public void Table_CountsTheInputsTheSuiteRenders()
    {
        var text = File.ReadAllText(Path.Combine(Releases.RepoRoot, "docs", "conformance.md"));
        var start = text.IndexOf("<!-- release-table:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- release-table:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/conformance.md has no release table (tools/postfix-releases/table.sh makes it)");
        var table = text[start..end];

        var header = InputsHeader().Match(table);
        Assert.True(header.Success, "the table's header names no input count");
        Assert.Equal(RenderInputs.Count, int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture));
        var rows = RenderCell().Matches(table);
        Assert.NotEmpty(rows);
        Assert.All(rows, m => Assert.Equal(RenderInputs.Count, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"renders read \(of (\d+) inputs\)")]
    private static partial Regex InputsHeader();

    [GeneratedRegex(@"\| (\d+) rendered, \d+ read as intended, (\d+) refused")]
    private static partial Regex RenderCell();
}

using PostfixConfig.Cli;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Cli;

/// <summary>
/// Help reads in a pipe and in a terminal: every line of every command's --help fits 100 columns
/// when standard output is not a terminal, and follows the terminal's width when it is; usage lines
/// name arguments (explain's PARAMETER), never enumerate their completions.
/// </summary>
public class HelpWidthTests
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string> { string.Empty };
        foreach (var c in CliApp.BuildRoot(new CliIo(TextWriter.Null, TextWriter.Null)).Subcommands)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_InAPipe_EveryLineFitsOneHundredColumns(string command)
    {
        var r = CliRunner.Run(command.Length == 0 ? ["--help"] : [command, "--help"]);

        Assert.Equal(0, r.ExitCode);
        var tooLong = r.StdOut.Split('\n').Where(l => l.Length > CliApp.PipeWidth).ToList();
        Assert.True(tooLong.Count == 0, $"postfix-config {command} --help: {tooLong.Count} line(s) over {CliApp.PipeWidth} columns, the longest {tooLong.Select(l => l.Length).DefaultIfEmpty().Max()}:\n{string.Join('\n', tooLong.Take(3))}");
    }

    [Theory]
    [InlineData(60)]
    [InlineData(140)]
    public void Help_OnATerminal_WrapsToItsWidth(int width)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        Assert.Equal(0, CliApp.Run(["render", "--help"], stdout, TextWriter.Null, width));

        var lines = stdout.ToString().Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Contains(lines, l => l.Length > width - 25); // the width is used, not a fixed narrower one
    }

    [Fact]
    public void Help_Root_ListsExplainWithItsArgumentName_NotEveryParameter()
    {
        var help = CliRunner.Run("--help").StdOut;

        Assert.Contains("explain <PARAMETER>", help, StringComparison.Ordinal);
        Assert.DoesNotContain("smtpd_tls_security_level", help, StringComparison.Ordinal);
    }
}

using PostfixConfig.Tests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.Tests.Docs;

/// <summary>
/// Every command example in README.md and docs/ is either run here or skipped by name with its reason:
/// runnable ones run in-process through the CLI's entry point (as the other CLI tests do) on a scratch
/// copy of examples/, and their exit code and the lines they show are checked; nothing is read from or
/// written to any other place, and nothing talks to the network.
/// </summary>
public class DocExampleTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryCommandBlock_IsMarkedRunnableOrIllustrativeWithAReason()
    {
        var blocks = DocBlocks.WithCommands();
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} command blocks found");
        var unmarked = blocks.Where(b => !b.Runnable && string.IsNullOrWhiteSpace(b.IllustrativeReason)).Select(b => $"{b} ```{b.Info}").ToList();
        Assert.True(unmarked.Count == 0, "command blocks marked neither 'sh runnable' nor 'sh illustrative: REASON': " + string.Join(", ", unmarked));
        foreach (var block in blocks.Where(b => !b.Runnable))
        {
            output.WriteLine($"skipped {block}: {block.IllustrativeReason}");
        }

        Assert.True(blocks.Count(b => b.Runnable) >= 4, "fewer than four runnable blocks");
    }

    public static TheoryData<string> RunnableBlocks()
    {
        var data = new TheoryData<string>();
        foreach (var block in DocBlocks.WithCommands().Where(b => b.Runnable))
        {
            data.Add(block.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RunnableBlocks))]
    public void RunnableBlock_ExitsAndShowsWhatTheDocSays(string where)
    {
        var block = DocBlocks.WithCommands().Single(b => b.ToString() == where);
        var notRun = new List<string>();
        var examples = DocBlocks.Examples(block, notRun);
        Assert.NotEmpty(examples);
        notRun.ForEach(output.WriteLine);

        using var scratch = new TempDir();
        CopyFolder(RepoPaths.Examples, scratch.File("examples"));
        foreach (var example in examples)
        {
            var words = DocBlocks.Words(example.Command);
            Assert.Equal("postfix-config", words[0]);
            var args = words.Skip(1).Select(w => InScratch(w, scratch, example.Command)).ToArray();
            var r = CliRunner.Run(args);
            var shown = (r.StdOut + r.StdErr).Replace(scratch.Path + "/", string.Empty, StringComparison.Ordinal)
                .Replace(scratch.Path, ".", StringComparison.Ordinal).Split('\n');
            output.WriteLine($"$ {example.Command}  (exit {r.ExitCode})");
            Assert.True(r.ExitCode == block.ExpectedExitCode, $"{block}: '{example.Command}' exited {r.ExitCode}, the doc says {block.ExpectedExitCode}:\n{string.Join('\n', shown)}");
            var at = 0;
            foreach (var expected in example.Expected)
            {
                var prefix = expected.EndsWith("...", StringComparison.Ordinal) ? expected[..^3] : null;
                var found = Array.FindIndex(shown, at, l => prefix is null ? l == expected : l.StartsWith(prefix, StringComparison.Ordinal));
                Assert.True(found >= 0, $"{block}: '{example.Command}' does not show (in this order) the line\n  {expected}\nIt showed:\n{string.Join('\n', shown)}");
                at = found + 1;
            }
        }
    }

    [Fact]
    public void Words_SplitsAsShDoes()
    {
        Assert.Equal(["probe", "mail.example.com", "--tlsa", "3 1 1 0c72"], DocBlocks.Words("probe mail.example.com --tlsa \"3 1 1 0c72\"   # a comment"));
        Assert.Equal(["a#b", "c d"], DocBlocks.Words("a#b 'c d'"));
    }

    /// <summary>Only files of the scratch copy: examples/... and out/...; anything else fails the test.</summary>
    private static string InScratch(string word, TempDir scratch, string command)
    {
        if (word.StartsWith("examples/", StringComparison.Ordinal) || word == "out" || word.StartsWith("out/", StringComparison.Ordinal))
        {
            return scratch.File(word);
        }

        Assert.False(word.StartsWith('/') || word.StartsWith("..", StringComparison.Ordinal) || word.StartsWith('~'),
            $"runnable example '{command}' names '{word}': runnable examples may name only examples/... and out/... (mark it illustrative)");
        Assert.False(word is "probe" or "apply" or "--dns" or "--check-dns" or "--mx",
            $"runnable example '{command}' would talk to the network or a live Postfix: mark it illustrative");
        return word;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyFolder(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}

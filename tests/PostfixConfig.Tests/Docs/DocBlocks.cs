using System.Text.RegularExpressions;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Docs;

/// <summary>
/// The fenced blocks of README.md and docs/ that show <c>postfix-config</c> commands. A block is marked
/// <c>```sh runnable</c> (optionally <c>exit=N</c>) or <c>```sh illustrative: REASON</c>.
/// In a runnable block, <c>$ postfix-config ...</c> (or a bare <c>postfix-config ...</c>) is a command,
/// the lines under a <c>$</c> command are lines its output must show in that order (a line ending in
/// <c>...</c> is a prefix), <c>#</c> lines are comments, and any other command (<c>dotnet tool install</c>)
/// is reported as not run.
/// </summary>
internal static partial class DocBlocks
{
    public sealed record Block(string File, int Line, string Info, IReadOnlyList<string> Lines)
    {
        public bool Runnable => Info == "sh runnable" || Info.StartsWith("sh runnable ", StringComparison.Ordinal);

        public string? IllustrativeReason => Info.StartsWith("sh illustrative:", StringComparison.Ordinal) ? Info["sh illustrative:".Length..].Trim() : null;

        public int ExpectedExitCode => ExitMark().Match(Info) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

        public override string ToString() => $"{File}:{Line}";
    }

    public sealed record Example(string Command, IReadOnlyList<string> Expected);

    /// <summary>Every fenced block with a postfix-config command line, in file order.</summary>
    public static IReadOnlyList<Block> WithCommands()
    {
        var blocks = new List<Block>();
        foreach (var file in DocsStructureTests.DocFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var open = lines[i].TrimStart();
                if (!open.StartsWith("```", StringComparison.Ordinal))
                {
                    continue;
                }

                var indent = lines[i].Length - open.Length;
                var end = i + 1;
                while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    end++;
                }

                var body = lines[(i + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()).ToList();
                if (body.Any(l => CommandLine().IsMatch(l)))
                {
                    blocks.Add(new Block(Path.GetRelativePath(RepoPaths.Root, file), i + 1, open[3..].Trim(), body));
                }

                i = end;
            }
        }

        return blocks;
    }

    /// <summary>The commands of a runnable block with the lines each must show; other command lines go to <paramref name="notRun"/>.</summary>
    public static IReadOnlyList<Example> Examples(Block block, List<string> notRun)
    {
        var examples = new List<Example>();
        List<string>? expected = null;
        foreach (var line in block.Lines)
        {
            if (line.StartsWith("$ postfix-config ", StringComparison.Ordinal))
            {
                expected = [];
                examples.Add(new Example(line[2..], expected));
            }
            else if (line.StartsWith("postfix-config ", StringComparison.Ordinal))
            {
                examples.Add(new Example(line, []));
                expected = null;
            }
            else if (line.Length == 0 || line.StartsWith('#'))
            {
                expected = null;
            }
            else if (expected is not null)
            {
                expected.Add(line);
            }
            else
            {
                notRun.Add($"{block}: '{line}' is not a postfix-config command: not run");
            }
        }

        return examples;
    }

    /// <summary>Splits a command line as sh does for plain words and single or double quotes; a # word starts a comment.</summary>
    public static IReadOnlyList<string> Words(string command)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        char quote = '\0';
        foreach (var c in command)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        Assert.True(quote == '\0', $"unclosed quote in: {command}");
        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [GeneratedRegex(@"^\s*(\$ )?postfix-config\s")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"\bexit=([0-9])\b")]
    private static partial Regex ExitMark();
}

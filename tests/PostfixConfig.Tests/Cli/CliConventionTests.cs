using System.CommandLine;
using System.CommandLine.Parsing;
using PostfixConfig.Cli;
using PostfixConfig.Cli.Commands;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Cli;

/// <summary>
/// Command-line conventions: examples in every command's --help (from the one table in CliHelp),
/// a man page for explain, --version, colour only on a terminal and never with NO_COLOR, and shell
/// completion scripts run in real bash, zsh and fish.
/// </summary>
public class CliConventionTests
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "postfix-config");

    private static List<Command> AllCommands()
    {
        var all = new List<Command>();
        void Walk(Command c)
        {
            all.Add(c);
            foreach (var sub in c.Subcommands)
            {
                Walk(sub);
            }
        }

        Walk(CliApp.BuildRoot(new CliIo(TextWriter.Null, TextWriter.Null)));
        return all;
    }

    [Fact]
    public void EveryCommand_HasExamplesThatParse_AndTheTableHasNoStaleEntries()
    {
        var commands = AllCommands();
        Assert.True(commands.Count > 10);
        var names = commands.Select(CliHelp.NameOf).ToList();
        var missing = names.Where(n => !CliHelp.Examples.TryGetValue(n, out var e) || e.Length == 0).ToList();
        Assert.True(missing.Count == 0, $"commands without examples in CliHelp.Examples: {string.Join(", ", missing.Select(n => n.Length == 0 ? "(root)" : n))}");
        Assert.Empty(CliHelp.Examples.Keys.Except(names));
        foreach (var (name, examples) in CliHelp.Examples)
        {
            foreach (var example in examples)
            {
                var prefix = name.Length == 0 ? "postfix-config " : $"postfix-config {name} ";
                Assert.StartsWith(name.Length == 0 ? "postfix-config " : prefix, example.CommandLine, StringComparison.Ordinal);
                var words = CommandLineParser.SplitCommandLine(example.CommandLine).Skip(1).TakeWhile(w => w != ">").ToArray();
                var parse = CliApp.BuildRoot(new CliIo(TextWriter.Null, TextWriter.Null)).Parse(words);
                Assert.True(parse.Errors.Count == 0, $"'{example.CommandLine}': {string.Join("; ", parse.Errors.Select(e => e.Message))}");
                if (name.Length > 0)
                {
                    Assert.Equal(name, CliHelp.NameOf(parse.CommandResult.Command));
                }
            }
        }
    }

    [Fact]
    public void Help_OfEveryCommand_GivesDefaultWaitsInSeconds_NotAsTimeSpans()
    {
        // System.CommandLine prints a TimeSpan default as "[default: 00:00:10]"; the options say their default in seconds.
        foreach (var command in AllCommands())
        {
            var name = CliHelp.NameOf(command);
            var r = CliRunner.Run([.. name.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
            Assert.DoesNotMatch(@"\d\d:\d\d:\d\d", r.StdOut);
        }

        Assert.Contains("(default 10)", CliRunner.Run("probe", "--help").StdOut, StringComparison.Ordinal);
        Assert.Contains("(default 5)", CliRunner.Run("status", "--help").StdOut, StringComparison.Ordinal);
        Assert.Contains("default 30)", CliRunner.Run("render", "--help").StdOut.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_OfEveryCommand_ShowsItsExamples()
    {
        foreach (var command in AllCommands())
        {
            var name = CliHelp.NameOf(command);
            var r = CliRunner.Run([.. name.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
            Assert.True(r.ExitCode == 0, $"{name} --help: {r.StdErr}");
            Assert.Empty(r.StdErr);
            Assert.Contains(CliHelp.ManPages.ContainsKey(name) ? "EXAMPLES\n" : "Examples:\n", r.StdOut, StringComparison.Ordinal);
            // Long lines wrap: comments onto further "# " lines, commands with a shell continuation (they still paste).
            var unwrapped = System.Text.RegularExpressions.Regex.Replace(r.StdOut, @" \\\n +", " ");
            for (var joined = string.Empty; joined != unwrapped;)
            {
                joined = unwrapped;
                unwrapped = System.Text.RegularExpressions.Regex.Replace(unwrapped, @"(\n +# [^\n]*)\n +# ", "$1 ");
            }

            foreach (var example in CliHelp.Examples[name])
            {
                Assert.Contains($"# {example.Comment}\n", unwrapped, StringComparison.Ordinal);
                Assert.Contains($"{example.CommandLine}\n", unwrapped, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Help_OfExplain_IsAManPage()
    {
        var r = CliRunner.Run("explain", "--help");
        Assert.Equal(0, r.ExitCode);
        string[] sections = ["NAME", "SYNOPSIS", "DESCRIPTION", "ARGUMENTS", "OPTIONS", "EXAMPLES", "EXIT STATUS", "SEE ALSO"];
        var lines = r.StdOut.Split('\n');
        var at = sections.Select(s => Array.IndexOf(lines, s)).ToList();
        Assert.True(at.All(i => i >= 0), r.StdOut);
        Assert.Equal(at.Order(), at); // in man-page order
        Assert.Contains("    postfix-config explain PARAMETER [--postfix-version X.Y]", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("    --postfix-version X.Y\n", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("    1  unknown parameter", r.StdOut, StringComparison.Ordinal);
        Assert.All(lines, l => Assert.True(l.Length <= 100, $"line longer than 100 columns: {l}"));
        // -h is the same; the other commands keep System.CommandLine's layout.
        Assert.Equal(r.StdOut, CliRunner.Run("explain", "-h").StdOut);
        Assert.StartsWith("Description:", CliRunner.Run("params", "--help").StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_IsThePackageVersionFromDirectoryBuildProps()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        var props = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        var prefix = System.Text.RegularExpressions.Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;
        Assert.Matches(@"^\d+\.\d+\.\d+$", prefix);
        Assert.Equal(prefix + "\n", r.StdOut); // a plain build: no suffix, no +commit
        Assert.DoesNotContain("+", CliHelp.PackageVersion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, null, "xterm", true)]
    [InlineData(false, "", "xterm-256color", true)]
    [InlineData(false, "1", "xterm", false)]
    [InlineData(false, "0", "xterm", false)] // any non-empty NO_COLOR
    [InlineData(true, null, "xterm", false)]
    [InlineData(false, null, "dumb", false)]
    [InlineData(false, null, null, true)]
    public void Colour_OnlyOnATerminalWithoutNoColor(bool redirected, string? noColor, string? term, bool expected) =>
        Assert.Equal(expected, Terminal.ShouldColour(redirected, noColor, term));

    [Fact]
    public void Diagnostics_AreColouredForATerminalWriterOnly()
    {
        using var dir = new TempDir();
        var config = dir.Write("bad.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: mya\n  smtpd_tls_chainfiles: x\n  smtp_use_tls: yes\n");
        using var plain = new StringWriter { NewLine = "\n" };
        var screen = new StringWriter { NewLine = "\n" };
        using var terminal = new ColourWriter(screen);
        Assert.Equal(1, CliApp.Run(["validate", config], plain, TextWriter.Null));
        Assert.Equal(1, CliApp.Run(["validate", config], terminal, TextWriter.Null));
        var coloured = screen.ToString();
        Assert.DoesNotContain("\u001b", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains(": \u001b[1;31merror\u001b[0m PFX2005: ", coloured, StringComparison.Ordinal);
        Assert.Contains("\u001b[33mwarning\u001b[0m PFX", coloured, StringComparison.Ordinal);
        // Without the escapes the text is the same.
        Assert.Equal(plain.ToString(), coloured.Replace(ColourWriter.Red, "", StringComparison.Ordinal).Replace(ColourWriter.Yellow, "", StringComparison.Ordinal)
            .Replace(ColourWriter.Cyan, "", StringComparison.Ordinal).Replace(ColourWriter.Reset, "", StringComparison.Ordinal));
    }

    /// <summary>The built tool on a real pseudo-terminal (util-linux script): colour; with NO_COLOR, or redirected, none.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void Tool_OnARealTerminal_ColoursUnlessNoColor_AndNeverWhenRedirected()
    {
        using var dir = new TempDir();
        var config = dir.Write("bad.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: mya\n");
        var command = $"'{Tool}' validate '{config}'";
        var onTerminal = Run("script", ["-qec", command, "/dev/null"], noColor: null);
        Assert.Contains("\u001b[1;31merror\u001b[0m PFX2005", onTerminal, StringComparison.Ordinal);
        var noColor = Run("script", ["-qec", command, "/dev/null"], noColor: "1");
        Assert.Contains("error PFX2005", noColor, StringComparison.Ordinal);
        Assert.DoesNotContain(ColourWriter.Red, noColor, StringComparison.Ordinal);
        var redirected = Run(Tool, ["validate", config], noColor: null);
        Assert.Contains("error PFX2005", redirected, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", redirected, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string[]> BashCases => new()
    {
        { "postfix-config ren", "ren", ["render"] },
        { "postfix-config ", "", ["completion", "explain", "render", "schema", "validate"] },
        { "postfix-config validate x.yaml --format ", "", ["json", "text"] },
        { "postfix-config validate x.yaml --f", "--f", ["--format"] },
        { "postfix-config explain smtpd_tls_chain", "smtpd_tls_chain", ["smtpd_tls_chain_files"] },
        { "postfix-config render x.yaml --postfix-version 3.1", "3.1", ["3.1", "3.10", "3.11", "3.12"] },
        { "postfix-config completion ", "", ["bash", "fish", "zsh"] },
    };

    /// <summary>The bash script, sourced in a real bash, with the variables bash sets when Tab is pressed.</summary>
    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(BashCases))]
    public void BashCompletion_CompletesCommandsOptionsAndValues(string line, string current, string[] expected)
    {
        using var dir = new TempDir();
        var script = dir.Write("postfix-config.bash", CliRunner.Run("completion", "bash").StdOut);
        var words = line.Split(' ');
        var program = $$"""
            source '{{script}}'
            complete -p postfix-config
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}
            COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}}); COMP_CWORD={{words.Length - 1}}
            [[ "${COMP_WORDS[COMP_CWORD]}" == '{{current}}' ]] || exit 3
            _postfix_config
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var output = Run("bash", ["-c", program], noColor: null, path: AppContext.BaseDirectory).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("complete -o bashdefault -o default -F _postfix_config postfix-config", output[0]);
        var completions = output.Skip(1).ToList();
        Assert.All(expected, e => Assert.Contains(e, completions));
        Assert.All(completions, c => Assert.StartsWith(current, c, StringComparison.Ordinal));
    }

    [Fact]
    public void BashCompletion_LeavesFileArgumentsToTheShell()
    {
        using var dir = new TempDir();
        var script = dir.Write("postfix-config.bash", CliRunner.Run("completion", "bash").StdOut);
        var program = $"source '{script}'; COMP_LINE='postfix-config validate '; COMP_POINT=24; COMP_WORDS=(postfix-config validate ''); COMP_CWORD=2; _postfix_config; echo \"n=${{#COMPREPLY[@]}}\"";
        Assert.Equal("n=0\n", Run("bash", ["-c", program], noColor: null, path: AppContext.BaseDirectory)); // -o default then completes file names
    }

    /// <summary>fish answers completions for a command line without a terminal (complete -C).</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void FishCompletion_CompletesCommandsValuesAndFiles()
    {
        using var dir = new TempDir();
        var script = dir.Write("postfix-config.fish", CliRunner.Run("completion", "fish").StdOut);
        dir.Write("site.yaml", "main:\n");
        var output = Run("fish", ["-c", $"cd '{dir.Path}'; source '{script}'; complete -C 'postfix-config ren'; echo ==; complete -C 'postfix-config validate x.yaml --format '; echo ==; complete -C 'postfix-config validate s'"],
            noColor: null, path: AppContext.BaseDirectory);
        Assert.Equal("render\n==\njson\ntext\n==\nsite.yaml\n", output);
    }

    /// <summary>zsh's completion system needs a terminal; the function runs with compadd and _files standing in.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void ZshCompletion_CompletesCommandsAndValues_AndFallsBackToFiles()
    {
        using var dir = new TempDir();
        var script = dir.Write("_postfix-config", CliRunner.Run("completion", "zsh").StdOut);
        Assert.StartsWith("#compdef postfix-config\n", File.ReadAllText(script), StringComparison.Ordinal);
        var program = $$"""
            compdef() { print "compdef $*" }
            compadd() { [[ $1 == -a ]] && print -l -- ${(P)2} }
            _files() { print FILES }
            source '{{script}}'
            words=(postfix-config ren); CURRENT=2; _postfix_config
            words=(postfix-config validate x.yaml --format ''); CURRENT=5; _postfix_config
            words=(postfix-config validate ''); CURRENT=3; _postfix_config
            """;
        Assert.Equal("compdef _postfix_config postfix-config\nrender\njson\ntext\nFILES\n", Run("zsh", ["-f", "-c", program], noColor: null, path: AppContext.BaseDirectory));
    }

    [Fact]
    public void Completion_UnknownShell_IsAUsageError()
    {
        var r = CliRunner.Run("completion", "powershell");
        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.Throws<ArgumentOutOfRangeException>(() => CompletionCommand.Script("tcsh"));
    }

    private static string Run(string file, string[] args, string? noColor, string? path = null)
    {
        var r = ProcessRunner.Run(file, args, env =>
        {
            env.Remove("NO_COLOR");
            if (noColor is not null)
            {
                env["NO_COLOR"] = noColor;
            }

            env["TERM"] = "xterm";
            if (path is not null)
            {
                env["PATH"] = path + ":" + Environment.GetEnvironmentVariable("PATH");
            }
        }, timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode is 0 or 1, $"{file} {string.Join(' ', args)} exited {r.ExitCode}: {r.StdErr}");
        return r.StdOut.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}

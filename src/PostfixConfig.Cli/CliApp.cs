using System.CommandLine;
using PostfixConfig.Cli.Commands;
using PostfixConfig.Rendering;

namespace PostfixConfig.Cli;

/// <summary>
/// The command-line tool. Exit codes: 0 done, 1 the configuration is invalid (nothing written),
/// 2 usage or I/O error or an internal fault. Messages go to stderr, without stack traces.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int Failure = 2;

    /// <summary>Help wraps at this width when it is not written to a terminal (a pipe, a file, a test).</summary>
    public const int PipeWidth = 100;

    public static RootCommand BuildRoot(CliIo io)
    {
        var root = new RootCommand("postfix-config: typed Postfix TLS configuration - validate, render, lint and merge main.cf and TLS policy maps.");
        root.Options.Add(new Option<bool>("--verbose")
        {
            Description = "Print details (such as a stack trace) when an internal fault happens.",
            Recursive = true,
        });
        foreach (var command in new[]
        {
            RenderCommand.Create(io),
            ValidateCommand.Create(io),
            ParamsCommand.Create(io),
            FingerprintCommand.Create(io),
            TlsaCommand.Create(io),
            ExplainCommand.Create(io),
            LintCommand.Create(io),
            StatusCommand.Create(io),
            MergeCommand.Create(io),
            ApplyCommand.Create(io),
            ImportCommand.Create(io),
            ProbeCommand.Create(io),
            SchemaCommand.Create(io),
            CompletionCommand.Create(io),
        })
        {
            root.Subcommands.Add(command);
        }

        CliHelp.Install(root, io.Width);
        return root;
    }

    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="terminalWidth">The terminal's width when standard output is one, else <see langword="null"/> (help then wraps at <see cref="PipeWidth"/>).</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, int? terminalWidth = null)
    {
        var io = new CliIo(stdout, stderr) { Width = terminalWidth is > 0 ? Math.Max(40, terminalWidth.Value) : PipeWidth };
        var verbose = args.Contains("--verbose", StringComparer.Ordinal);
        try
        {
            var root = BuildRoot(io);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    stderr.WriteLine($"postfix-config: {error.Message}");
                }

                stderr.WriteLine("Run 'postfix-config --help' for usage.");
                return Failure;
            }

            return parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TemplateException)
        {
            // Files, folders and templates: the message says what and where (and, for output, that nothing was changed).
            stderr.WriteLine($"postfix-config: {OneLine(e.Message)}");
            if (verbose)
            {
                stderr.WriteLine(e.ToString());
            }

            return Failure;
        }
#pragma warning disable CA1031 // The tool must never end with a stack trace: every fault becomes one line and exit code 2.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"postfix-config: internal error: {e.GetType().Name}: {OneLine(FirstLine(e.Message))} (run with --verbose for details)");
            if (verbose)
            {
                stderr.WriteLine(e.ToString());
            }

            return Failure;
        }
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }

    /// <summary>Whether <paramref name="text"/> has nothing that <see cref="OneLine"/> would escape (checked with vectorised scans).</summary>
    internal static bool IsOneLine(ReadOnlySpan<char> text) =>
        text.IndexOfAnyExceptInRange(' ', '~') < 0 // printable ASCII only: the usual message, one scan
        || (text.IndexOfAnyInRange('\0', '\u001f') < 0 && text.IndexOfAnyInRange('\u007f', '\u009f') < 0
            && text.IndexOfAnyInRange('\ud800', '\udfff') < 0 && text.IndexOfAny('\u2028', '\u2029') < 0);

    /// <summary>A message as one line: control characters (from file names or values) escaped, so output cannot be forged.</summary>
    internal static string OneLine(string s)
    {
        if (IsOneLine(s))
        {
            return s; // the usual case
        }

        var sb = new System.Text.StringBuilder(s.Length + 16);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}

/// <summary>Where a command writes: stdout for results, stderr for messages.</summary>
internal sealed record CliIo(TextWriter Out, TextWriter Error)
{
    /// <summary>The columns help text wraps at: the terminal's width, or <see cref="CliApp.PipeWidth"/>.</summary>
    public int Width { get; init; } = CliApp.PipeWidth;
}

using PostfixConfig.Cli;

namespace PostfixConfig.Tests.Support;

/// <summary>Runs the CLI in-process and captures its output.</summary>
internal static class CliRunner
{
    public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

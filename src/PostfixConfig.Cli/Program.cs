namespace PostfixConfig.Cli;

/// <summary>The process entry point; all work is in <see cref="CliApp"/>.</summary>
internal static class Program
{
    private static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}

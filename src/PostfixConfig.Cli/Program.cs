using System.Text;

namespace PostfixConfig.Cli;

/// <summary>The process entry point; all work is in <see cref="CliApp"/>.</summary>
internal static class Program
{
    /// <summary>
    /// A run that allocates less than this needs no garbage collection at all. A typical run
    /// allocates a few MiB, a lint of a main.cf with thousands of lines some tens of MiB, all of it
    /// alive until the end, so collecting would only copy it. A bigger run (a policy table with
    /// hundreds of thousands of entries) leaves the region on its own and is collected as usual.
    /// </summary>
    private const long NoCollectionBudget = 64L << 20;

    private static int Main(string[] args)
    {
        // Before anything loads OpenSSL: the probing commands' own OpenSSL settings.
        ProbeOpenSslPolicy.Apply(args);
        StartWithoutCollections();

        // Standard output is buffered (Console.Out flushes after every line, which costs a system
        // call per diagnostic when a lint reports thousands); it is flushed once at the end.
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16)
        {
            AutoFlush = false,
        };
        try
        {
            // Colour only on a terminal (never when redirected) and unless NO_COLOR is set.
            return CliApp.Run(args, Terminal.For(stdout, Console.IsOutputRedirected), Terminal.For(Console.Error, Console.IsErrorRedirected), Terminal.Width());
        }
        finally
        {
            try
            {
                stdout.Flush();
            }
            catch (IOException)
            {
                // The reader went away (a closed pipe); there is no one left to tell.
            }
        }
    }

    private static void StartWithoutCollections()
    {
        try
        {
            GC.TryStartNoGCRegion(NoCollectionBudget);
        }
        catch (ArgumentOutOfRangeException)
        {
            // A GC configuration with smaller segments: run with ordinary collections.
        }
        catch (InvalidOperationException)
        {
            // Already in such a region (cannot happen at start; never fatal).
        }
    }
}

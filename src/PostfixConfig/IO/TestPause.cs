using System.Diagnostics;

namespace PostfixConfig.IO;

/// <summary>
/// Named points in a write where a test can stop the process or look at the folder: the crash tests
/// kill the CLI with SIGKILL at every one of them. Off unless the environment says otherwise:
/// <list type="bullet">
/// <item><c>POSTFIX_CONFIG_TEST_TRACE=FILE</c> appends the name of every point reached to FILE;</item>
/// <item><c>POSTFIX_CONFIG_TEST_PAUSE=POINT</c> with <c>POSTFIX_CONFIG_TEST_PAUSE_FILE=FILE</c> writes
/// POINT into FILE when the point is reached the first time and waits (at most two minutes) until
/// FILE is removed.</item>
/// </list>
/// The points: <c>locked</c>, <c>read</c> (a merge read its files), <c>written:NAME</c> (a temporary
/// file is written, not yet flushed), <c>synced:NAME</c> (flushed to disk), <c>kept:NAME</c> (the previous
/// version has its second name), <c>checked</c> (every target is still the file that was read),
/// <c>renamed:NAME</c>, <c>folder-synced</c> and <c>done</c>.
/// </summary>
internal static class TestPause
{
    private static readonly string? Trace = Environment.GetEnvironmentVariable("POSTFIX_CONFIG_TEST_TRACE");
    private static readonly string? Point = Environment.GetEnvironmentVariable("POSTFIX_CONFIG_TEST_PAUSE");
    private static readonly string? Signal = Environment.GetEnvironmentVariable("POSTFIX_CONFIG_TEST_PAUSE_FILE");
    private static int _paused;

    /// <summary>Marks a point; pauses there when asked to.</summary>
    public static void At(string point)
    {
        if (Trace is null && Point is null)
        {
            return;
        }

        if (Trace is not null)
        {
            File.AppendAllText(Trace, point + "\n");
        }

        if (Signal is null || !string.Equals(Point, point, StringComparison.Ordinal) || Interlocked.Exchange(ref _paused, 1) == 1)
        {
            return;
        }

        File.WriteAllText(Signal + ".part", point);
        File.Move(Signal + ".part", Signal, overwrite: true);
        var waited = Stopwatch.StartNew();
        while (File.Exists(Signal) && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(10);
        }
    }
}

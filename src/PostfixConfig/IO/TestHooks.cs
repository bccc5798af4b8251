using System.Diagnostics;

namespace PostfixConfig.IO;

/// <summary>
/// The test seams of shipped code, all in one place, all off by default: named pause points that
/// the crash tests kill the CLI at (<see cref="Pause"/>), and injected write failures
/// (<see cref="WriteFault"/>). Nothing here changes behaviour unless a test sets it.
/// </summary>
/// <remarks>
/// Pause points are driven by the environment, so that tests can reach them in a separate CLI process:
/// <list type="bullet">
/// <item><c>POSTFIX_CONFIG_TEST_TRACE=FILE</c> appends the name of every point reached to FILE;</item>
/// <item><c>POSTFIX_CONFIG_TEST_PAUSE=POINT</c> with <c>POSTFIX_CONFIG_TEST_PAUSE_FILE=FILE</c> writes
/// POINT into FILE when the point is reached the first time and waits (at most two minutes) until
/// FILE is removed.</item>
/// </list>
/// The points: <c>locked</c>, <c>read</c> (a merge or apply read its files), <c>written:NAME</c> (a temporary
/// file is written, not yet flushed), <c>synced:NAME</c> (flushed to disk), <c>kept:NAME</c> (the previous
/// version has its second name), <c>checked</c> (every target is still the file that was read),
/// <c>renamed:NAME</c>, <c>folder-synced</c> and <c>done</c>.
/// </remarks>
internal static class TestHooks
{
    /// <summary>Where a write is, for <see cref="WriteFault"/>.</summary>
    internal enum WriteStage
    {
        /// <summary>A temporary file is complete.</summary>
        Staged,

        /// <summary>A temporary file is about to be renamed over its target.</summary>
        Replacing,
    }

    /// <summary>
    /// Tests inject write failures here (called with the stage and the file name; throw to fail). Flows
    /// with the async context, so parallel tests do not see each other's hooks.
    /// </summary>
    internal static AsyncLocal<Action<WriteStage, string>?> WriteFault { get; } = new();

    private static readonly string? Trace = Environment.GetEnvironmentVariable("POSTFIX_CONFIG_TEST_TRACE");
    private static readonly string? Point = Environment.GetEnvironmentVariable("POSTFIX_CONFIG_TEST_PAUSE");
    private static readonly string? Signal = Environment.GetEnvironmentVariable("POSTFIX_CONFIG_TEST_PAUSE_FILE");
    private static int _paused;

    /// <summary>Marks a point of a write; pauses there when the environment asks to (see the type's remarks).</summary>
    public static void Pause(string point)
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

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace PostfixConfig.Fuzz;

/// <summary>One problem found: an exception let out, a hang, or a write outside the output folder.</summary>
internal sealed record FuzzFinding(string Target, string Kind, string Signature, string Detail, byte[] Input, long Index);

/// <summary>What one run of one target did.</summary>
/// <remarks><see cref="Findings"/> keeps the first few inputs of each signature; <see cref="FindingCount"/> counts them all.</remarks>
internal sealed record FuzzSummary(string Target, long Inputs, TimeSpan Elapsed, TimeSpan Slowest, long SlowestBytes, IReadOnlyList<FuzzFinding> Findings, long FindingCount);

/// <summary>
/// Runs inputs through a target, each under a watchdog, and checks after each that nothing was written
/// outside <c>out/</c>. An input that takes longer than the timeout is timed again on its own before it
/// counts as a hang (the machines are shared, so one slow run is not proof).
/// </summary>
internal sealed class FuzzRunner
{
    private readonly TimeSpan _timeout;

    public FuzzRunner(TimeSpan timeout)
    {
        _timeout = timeout;
    }

    /// <summary>Runs one input; the finding, or <see langword="null"/> when it ended in a result.</summary>
    public FuzzFinding? RunOne(FuzzTarget target, byte[] input, Workspace ws, long index, out TimeSpan elapsed)
    {
        var finding = Attempt(target, input, ws, index, out elapsed);
        if (finding?.Kind == "hang" && elapsed < TimeSpan.FromSeconds(60))
        {
            // Timed out but ended: time it again alone before calling it a hang.
            finding = Attempt(target, input, ws, index, out elapsed);
        }

        return finding;
    }

    private FuzzFinding? Attempt(FuzzTarget target, byte[] input, Workspace ws, long index, out TimeSpan elapsed)
    {
        ws.Reset();
        Exception? thrown = null;
        var watch = Stopwatch.StartNew();
        var task = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    target.Run(input, ws);
                }
#pragma warning disable CA1031 // every exception is a finding
                catch (Exception e)
#pragma warning restore CA1031
                {
                    thrown = e;
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        if (!task.Wait(_timeout))
        {
            // Let it finish (up to a minute) so the workspace is quiet, then report the time it took.
            task.Wait(TimeSpan.FromSeconds(60));
            elapsed = watch.Elapsed;
            return new FuzzFinding(target.Name, "hang", "hang", $"took {(task.IsCompleted ? elapsed.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " s" : "over 60 s, still running")} (limit {_timeout.TotalSeconds} s) on {input.Length} bytes", input, index);
        }

        elapsed = watch.Elapsed;
        if (thrown is not null)
        {
            var frame = new StackTrace(thrown, fNeedFileInfo: false).GetFrames()
                .Select(f => f.GetMethod())
                .FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("PostfixConfig", StringComparison.Ordinal) == true && m.DeclaringType.Namespace != "PostfixConfig.Fuzz");
            var signature = $"{thrown.GetType().Name} in {frame?.DeclaringType?.Name}.{frame?.Name}";
            return new FuzzFinding(target.Name, "exception", signature, thrown.ToString(), input, index);
        }

        return ws.Check() is { } wrote ? new FuzzFinding(target.Name, "write-outside", "write outside out/", wrote, input, index) : null;
    }

    /// <summary>Runs <paramref name="count"/> inputs made from the target's seeds with <paramref name="seed"/>.</summary>
    /// <param name="target">The entry point.</param>
    /// <param name="count">How many inputs to run.</param>
    /// <param name="seed">The seed; the same seed gives the same inputs.</param>
    /// <param name="ws">The worker's folders.</param>
    /// <param name="progress">Where to report progress and findings as they come, or <see langword="null"/>.</param>
    /// <param name="findingsFolder">Where to save each kept finding as it is found, or <see langword="null"/>.</param>
    /// <param name="skip">Inputs to generate and skip first (to reach input N of a run quickly).</param>
    /// <param name="keepPerSignature">How many inputs to keep per signature.</param>
    public FuzzSummary Run(FuzzTarget target, long count, int seed, Workspace ws, TextWriter? progress = null, string? findingsFolder = null, long skip = 0, int keepPerSignature = 5)
    {
        var random = new Random(unchecked(seed * 31 + Array.IndexOf(FuzzTargets.Names, target.Name)));
        var mutator = new Mutator(random, target.Seeds, target.Tokens.Append(Path.Combine(ws.Canary, "x")));
        var findings = new List<FuzzFinding>();
        var watch = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        long slowestBytes = 0;
        var perSignature = new Dictionary<string, int>(StringComparer.Ordinal);
        long found = 0;
        for (long k = 0; k < skip; k++)
        {
            _ = mutator.Next();
        }

        long i = 0;
        for (; i < count; i++)
        {
            var input = mutator.Next();
            if (RunOne(target, input, ws, i, out var elapsed) is { } finding)
            {
                found++;
                var seen = perSignature[finding.Signature] = perSignature.GetValueOrDefault(finding.Signature) + 1;
                if (seen <= keepPerSignature)
                {
                    findings.Add(finding with { Index = skip + i });
                    if (findingsFolder is not null)
                    {
                        Save([finding with { Index = skip + i }], findingsFolder);
                    }

                    progress?.WriteLine($"{target.Name} #{skip + i}: {finding.Kind}: {finding.Signature}");
                }

                if (finding.Kind == "hang" && findings.Count(f => f.Kind == "hang") >= 3)
                {
                    i++;
                    break; // hung threads keep running; stop before they pile up
                }
            }

            if (elapsed > slowest)
            {
                slowest = elapsed;
                slowestBytes = input.Length;
            }

            if (progress is not null && (i + 1) % 10_000 == 0)
            {
                progress.WriteLine($"{target.Name}: {i + 1} inputs, {watch.Elapsed.TotalSeconds:F0} s, {found} findings");
            }
        }

        return new FuzzSummary(target.Name, i, watch.Elapsed, slowest, slowestBytes, findings, found);
    }

    /// <summary>Saves each finding's input and details into <paramref name="folder"/>; returns the distinct signatures.</summary>
    public static IReadOnlyList<string> Save(IEnumerable<FuzzFinding> findings, string folder)
    {
        Directory.CreateDirectory(folder);
        var signatures = new List<string>();
        foreach (var finding in findings)
        {
            var name = $"{finding.Target}-{finding.Kind}-{Convert.ToHexString(SHA256.HashData(finding.Input))[..12].ToLowerInvariant()}";
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), finding.Input);
            File.WriteAllText(Path.Combine(folder, name + ".txt"),
                $"target: {finding.Target}\nkind: {finding.Kind}\nsignature: {finding.Signature}\ninput index: {finding.Index}\n\n{finding.Detail}\n", Encoding.UTF8);
            signatures.Add($"{finding.Target}: {finding.Signature}");
        }

        return [.. signatures.Distinct(StringComparer.Ordinal)];
    }
}

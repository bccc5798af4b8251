using System.Globalization;
using PostfixConfig.Fuzz;

// postfix-config's fuzzing harness: see docs/safety.md, "Fuzzing".
//   dotnet run -c Release --project tools/PostfixConfig.Fuzz -- --target all --count 100000 --seed 1
//   ... --target yaml|maincf|mastercf|pem|fingerprint|tlsa[,...]  --findings DIR  --timeout-ms 2000
//   ... --replay FILE --target NAME      (run one saved input, e.g. from the findings folder)
//   ... --skip N --count 1               (input N of a run: the same seed gives the same inputs)
var targets = "all";
long count = 10_000;
var seed = 1;
var findingsFolder = "fuzz-findings";
var timeout = TimeSpan.FromSeconds(2);
string? replay = null;
long skip = 0;
for (var a = 0; a < args.Length; a++)
{
    string Value() => a + 1 < args.Length ? args[++a] : throw new ArgumentException($"{args[a]} needs a value");
    switch (args[a])
    {
        case "--target": targets = Value(); break;
        case "--count": count = long.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--findings": findingsFolder = Value(); break;
        case "--timeout-ms": timeout = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
        case "--replay": replay = Value(); break;
        case "--skip": skip = long.Parse(Value(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[a]}; use --target all|{string.Join('|', FuzzTargets.Names)} --count N --seed N [--findings DIR] [--timeout-ms MS] [--replay FILE] [--skip N]");
            return 2;
    }
}

// The seeds come from the repository: the one the tool was built in, or else the current folder's.
string repoRoot;
try
{
    repoRoot = FuzzCorpus.FindRepoRoot(AppContext.BaseDirectory);
}
catch (InvalidOperationException)
{
    repoRoot = FuzzCorpus.FindRepoRoot(Environment.CurrentDirectory);
}

var all = FuzzTargets.Create(repoRoot);
var chosen = targets == "all" ? all : [.. all.Where(t => targets.Split(',').Contains(t.Name, StringComparer.Ordinal))];
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"no target named {targets}; the targets are {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

var runner = new FuzzRunner(timeout);
var found = new List<FuzzFinding>();
using (var ws = new Workspace())
{
    if (replay is not null)
    {
        foreach (var target in chosen)
        {
            var finding = runner.RunOne(target, File.ReadAllBytes(replay), ws, 0, out var elapsed);
            Console.WriteLine($"{target.Name}: {(finding is null ? "ok" : finding.Kind + ": " + finding.Detail)} ({elapsed.TotalMilliseconds:F0} ms)");
            if (finding is not null)
            {
                found.Add(finding);
            }
        }

        return found.Count == 0 ? 0 : 1;
    }

    Console.WriteLine($"seed {seed}, {count} inputs per target, timeout {timeout.TotalSeconds} s, work folder {ws.Root}");
    Console.WriteLine("| target | inputs | wall time | inputs/s | slowest input | inputs with findings |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
    var rows = new List<string>();
    foreach (var target in chosen)
    {
        var summary = runner.Run(target, count, seed, ws, Console.Error, findingsFolder, skip);
        found.AddRange(summary.Findings);
        var row = $"| {summary.Target} | {summary.Inputs:N0} | {summary.Elapsed.TotalSeconds:F0} s | {summary.Inputs / Math.Max(0.001, summary.Elapsed.TotalSeconds):F0} | {summary.Slowest.TotalMilliseconds:F0} ms ({summary.SlowestBytes:N0} bytes) | {summary.FindingCount} |";
        Console.WriteLine(row);
    }
}

if (found.Count > 0)
{
    Console.WriteLine($"findings saved in {Path.GetFullPath(findingsFolder)}:");
    foreach (var signature in found.Select(f => $"{f.Target}: {f.Signature}").Distinct(StringComparer.Ordinal))
    {
        Console.WriteLine("  " + signature);
    }
}

return found.Count == 0 ? 0 : 1;

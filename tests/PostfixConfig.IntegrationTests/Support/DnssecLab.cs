using System.Diagnostics;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// Runs <c>tests/lab/dnssec-lab.sh</c> once, as a child process in its own network and mount
/// namespace (<c>unshare --net --mount</c>; the test process itself cannot enter one), with the
/// built <c>postfix-config</c>, and keeps its results folder for the facts to read. The script
/// stops every server it started by process id; if it overruns its deadline it gets SIGTERM (its
/// trap then stops them), and SIGKILL 30 seconds later.
/// </summary>
public sealed class DnssecLab : IDisposable
{
    /// <summary>How long the whole lab may take (it takes about half a minute).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(300);

    private static readonly string[] Tools =
    [
        "/usr/bin/unshare", "/usr/sbin/ip", "/usr/sbin/nsd", "/usr/sbin/unbound", "/usr/bin/ldns-keygen", "/usr/bin/ldns-signzone",
        "/usr/bin/dig", "/usr/sbin/posttls-finger", "/usr/bin/script",
    ];

    public DnssecLab()
    {
        Root = Directory.CreateTempSubdirectory("pfc-dnssec-lab-").FullName;
        if (SkipReason is not null)
        {
            Output = SkipReason;
            return;
        }

        Assert.True(Missing.Count == 0, $"The DNSSEC lab cannot run here: missing {string.Join(", ", Missing)}.");
        var psi = new ProcessStartInfo("/usr/bin/unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--net", "--mount", "--", "/bin/bash", Script, "--cli", Path.Combine(AppContext.BaseDirectory, "postfix-config"), "--out", Root })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start unshare");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Deadline))
        {
            using (var term = Process.Start("/bin/kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                term.WaitForExit(10_000);
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(30_000);
            }

            TimedOut = true;
        }

        ExitCode = process.ExitCode;
        Output = stdout.Result + stderr.Result;
    }

    /// <summary>The lab's folder (zones, configurations, logs; <c>results/</c> holds what the facts read).</summary>
    public string Root { get; }

    public string Results => Path.Combine(Root, "results");

    public int ExitCode { get; }

    public bool TimedOut { get; }

    /// <summary>What the script printed (its progress lines and any failure).</summary>
    public string Output { get; }

    public static string Script => Path.Combine(RepoRoot, "tests", "lab", "dnssec-lab.sh");

    /// <summary>Why the lab cannot run here (not root, a tool missing), or null; never skipped with CI set.</summary>
    public static string? SkipReason => Missing.Count == 0 || LiveEnvironment.IsCi
        ? null
        : $"The DNSSEC lab needs {string.Join(", ", Missing)} (as root, with 'apt-get install nsd unbound ldnsutils bind9-dnsutils iproute2 postfix'); with CI set it fails instead of skipping.";

    private static IReadOnlyList<string> Missing { get; } =
        [.. LiveEnvironment.Missing, .. Tools.Where(t => !File.Exists(t))];

    /// <summary>The text of a results file ("" when the lab did not write it).</summary>
    public string Read(string name)
    {
        var path = Path.Combine(Results, name);
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    /// <summary>For assertion messages: how the lab ended.</summary>
    public string Describe(params string[] files) =>
        $"lab exit code {ExitCode}{(TimedOut ? " (timed out)" : string.Empty)}; its output:\n{Output}\n"
        + string.Concat(files.Select(f => $"--- results/{f} ---\n{Read(f)}\n"));

    /// <summary>The lab ran to its end: the facts' precondition.</summary>
    public void RequireCompleted() =>
        Assert.True(ExitCode == 0 && !TimedOut, Describe("sender.maillog", "receiver.maillog"));

    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PostfixConfig.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("PostfixConfig.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("KEEP_LIVE_POSTFIX") != "1")
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // a file still held open by a process that was just killed; /tmp is cleaned anyway
            }
        }
    }
}

/// <summary>A fact that runs in the DNSSEC lab (see <see cref="DnssecLab.SkipReason"/>).</summary>
public sealed class DnssecLabFactAttribute : FactAttribute
{
    public DnssecLabFactAttribute()
    {
        if (DnssecLab.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that runs in the DNSSEC lab (see <see cref="DnssecLab.SkipReason"/>).</summary>
public sealed class DnssecLabTheoryAttribute : TheoryAttribute
{
    public DnssecLabTheoryAttribute()
    {
        if (DnssecLab.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

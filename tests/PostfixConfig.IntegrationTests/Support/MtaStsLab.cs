using System.Diagnostics;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// Runs <c>tests/lab/mta-sts-lab.sh</c> once, in the DNSSEC lab's private network and mount namespace:
/// <c>unshare --net --mount -- dnssec-lab.sh --phase dns --exec "mta-sts-lab.sh ..."</c>, with the built
/// <c>postfix-config</c>, and keeps the results folder for the facts to read. Both scripts stop every
/// process they started by process id; past the deadline the run gets SIGTERM (their traps then stop
/// them), and SIGKILL 30 seconds later.
/// </summary>
public sealed class MtaStsLab : IDisposable
{
    /// <summary>How long the whole lab may take (it takes under a minute).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(300);

    private static readonly string[] Tools =
    [
        "/usr/bin/unshare", "/usr/sbin/ip", "/usr/sbin/nsd", "/usr/sbin/unbound", "/usr/bin/ldns-keygen", "/usr/bin/ldns-signzone",
        "/usr/bin/ldns-read-zone", "/usr/bin/dig", "/usr/bin/script", "/usr/bin/mta-sts-daemon",
    ];

    public MtaStsLab()
    {
        Root = Directory.CreateTempSubdirectory("pfc-mta-sts-lab-").FullName;
        if (SkipReason is not null)
        {
            Output = SkipReason;
            return;
        }

        Assert.True(Missing.Count == 0, $"The MTA-STS lab cannot run here: missing {string.Join(", ", Missing)}.");
        var cli = Path.Combine(AppContext.BaseDirectory, "postfix-config");
        var inner = $"bash {Quote(Path.Combine(LabFolder, "mta-sts-lab.sh"))} --cli {Quote(cli)} --out {Quote(Path.Combine(Root, "mta-sts"))}";
        var psi = new ProcessStartInfo("/usr/bin/unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--net", "--mount", "--", "/bin/bash", Path.Combine(LabFolder, "dnssec-lab.sh"), "--phase", "dns", "--out", Root, "--exec", inner })
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

    /// <summary>The lab's folder; <c>mta-sts/results/</c> holds what the facts read.</summary>
    public string Root { get; }

    public string Results => Path.Combine(Root, "mta-sts", "results");

    public int ExitCode { get; }

    public bool TimedOut { get; }

    /// <summary>What the scripts printed (their progress lines and any failure).</summary>
    public string Output { get; }

    /// <summary>Why the lab cannot run here (not root, a tool missing), or null; never skipped with CI set.</summary>
    public static string? SkipReason => Missing.Count == 0 || LiveEnvironment.IsCi
        ? null
        : $"The MTA-STS lab needs {string.Join(", ", Missing)} (as root, with 'apt-get install nsd unbound ldnsutils bind9-dnsutils iproute2 postfix postfix-mta-sts-resolver'); with CI set it fails instead of skipping.";

    private static IReadOnlyList<string> Missing { get; } =
        [.. LiveEnvironment.Missing, .. Tools.Where(t => !File.Exists(t))];

    private static string LabFolder => Path.GetDirectoryName(DnssecLab.Script)!;

    /// <summary>The text of a results file ("" when the lab did not write it).</summary>
    public string Read(string name)
    {
        var path = Path.Combine(Results, name);
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    /// <summary>The bytes of a results file (empty when the lab did not write it).</summary>
    public byte[] ReadBytes(string name)
    {
        var path = Path.Combine(Results, name);
        return File.Exists(path) ? File.ReadAllBytes(path) : [];
    }

    /// <summary>For assertion messages: how the lab ended.</summary>
    public string Describe(params string[] files) =>
        $"lab exit code {ExitCode}{(TimedOut ? " (timed out)" : string.Empty)}; its output:\n{Output}\n"
        + string.Concat(files.Select(f => $"--- results/{f} ---\n{Read(f)}\n"));

    /// <summary>The lab ran to its end: the facts' precondition (the inner script's status is in results/exit-status.txt).</summary>
    public void RequireCompleted() =>
        Assert.True(ExitCode == 0 && !TimedOut && Read("exit-status.txt") == "0\n", Describe("progress.txt", "sender.maillog", "mta-sts-daemon.log"));

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

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

/// <summary>A fact that runs in the MTA-STS lab (see <see cref="MtaStsLab.SkipReason"/>).</summary>
public sealed class MtaStsLabFactAttribute : FactAttribute
{
    public MtaStsLabFactAttribute()
    {
        if (MtaStsLab.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that runs in the MTA-STS lab (see <see cref="MtaStsLab.SkipReason"/>).</summary>
public sealed class MtaStsLabTheoryAttribute : TheoryAttribute
{
    public MtaStsLabTheoryAttribute()
    {
        if (MtaStsLab.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

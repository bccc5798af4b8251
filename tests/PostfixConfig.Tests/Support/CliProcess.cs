using System.Diagnostics;

namespace PostfixConfig.Tests.Support;

/// <summary>
/// Runs the built CLI (the <c>postfix-config</c> apphost next to the tests) as its own process, for
/// tests that need real processes: concurrent writers, and SIGKILL at a named pause point.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private CliProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "postfix-config");

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        return new CliProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start the CLI"));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end (bounded); returns exit code and output.</summary>
    public PostfixTools.ProcessResult Wait(int timeoutMs = 180_000)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the CLI did not finish in {timeoutMs / 1000} s");
        }

        return new PostfixTools.ProcessResult(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would end it, and wait until it is gone.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }

        _process.Dispose();
    }
}

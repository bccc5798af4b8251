using System.Diagnostics;

namespace PostfixConfig.Tests.Support;

/// <summary>Runs a program to its end, bounded by a timeout, with its output captured (one place for every test that starts a tool).</summary>
internal static class ProcessRunner
{
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments, passed as they are (no shell).</param>
    /// <param name="environment">Changes to the inherited environment (set or remove variables), or null.</param>
    /// <param name="workingDirectory">Where it runs, or null for here.</param>
    /// <param name="timeout">How long it may take (default 120 s); then it is killed and the test fails.</param>
    public static PostfixTools.ProcessResult Run(
        string file,
        IEnumerable<string> args,
        Action<IDictionary<string, string?>>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var list = args.ToList();
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        list.ForEach(psi.ArgumentList.Add);
        environment?.Invoke(psi.Environment);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', list)} did not finish in {limit.TotalSeconds:0} s");
        }

        return new PostfixTools.ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a program that must succeed: the test fails, with the command and its error output, unless it exits 0.</summary>
    public static PostfixTools.ProcessResult RunChecked(string file, params string[] args)
    {
        var r = Run(file, args);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)}: {r.StdErr}");
        return r;
    }
}

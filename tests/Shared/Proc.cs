using System.Diagnostics;

namespace PostfixConfig.Tests.Shared;

/// <summary>
/// Runs a program to its end with a bounded wait and captures its output. One file for the integration and
/// release test projects (each links it: <c>&lt;Compile Include="../Shared/*.cs" /&gt;</c>).
/// </summary>
internal static class Proc
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Output => StdOut + StdErr;
    }

    /// <summary>Runs <paramref name="file"/> (no shell); <paramref name="stdin"/>, if any, is written and the input closed.</summary>
    /// <exception cref="TimeoutException">It did not finish within <paramref name="timeout"/> (default 120 s); it was killed.</exception>
    public static Result Run(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var list = args.ToList();
        list.ForEach(psi.ArgumentList.Add);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                p.StandardInput.Write(stdin);
            }

            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited before reading its input; its output says why.
        }

        var limit = timeout ?? TimeSpan.FromSeconds(120);
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', list)} did not finish within {limit.TotalSeconds:0} s; output so far:\n{stdout.Result}{stderr.Result}");
        }

        p.WaitForExit(); // drains the output readers
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs <paramref name="file"/> and fails the test unless it exits with 0.</summary>
    public static Result Ok(string file, params string[] args)
    {
        var r = Run(file, args);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({r.ExitCode}): {r.Output}");
        return r;
    }
}

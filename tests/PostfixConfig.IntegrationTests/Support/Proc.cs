using System.Diagnostics;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>Runs a program to completion with a generous deadline and captures its output.</summary>
internal static class Proc
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Output => StdOut + StdErr;
    }

    /// <summary>Runs <paramref name="file"/>; <paramref name="stdin"/> (if any) is written and the input closed.</summary>
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

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

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
            // The program exited before reading its input; its output says why.
        }

        var limit = timeout ?? TimeSpan.FromSeconds(120);
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {limit.TotalSeconds:0} s; output so far:\n{stdout.Result}{stderr.Result}");
        }

        p.WaitForExit(); // drains the output readers
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}

using System.Diagnostics;
using System.Globalization;

namespace PostfixConfig.Apply;

/// <summary>What one external command did: the command line, its exit code and what it printed.</summary>
/// <param name="Command">The command line, for messages (<c>postmap -F hash:/etc/postfix/sni</c>).</param>
/// <param name="ExitCode">The exit code (-1 when it could not be started or was stopped after its time limit).</param>
/// <param name="Output">Its standard output.</param>
/// <param name="ErrorOutput">Its standard error (Postfix's warnings and errors).</param>
public sealed record CommandResult(string Command, int ExitCode, string Output, string ErrorOutput = "")
{
    /// <summary>Whether the command exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything it printed, standard error first (where Postfix says what is wrong).</summary>
    public string AllOutput => (ErrorOutput + Output).Trim();
}

/// <summary>
/// The Postfix commands that <see cref="PostfixTls.Apply(TlsConfiguration, ApplyOptions?)"/> runs,
/// behind an interface: a deployment program can plan with a stand-in that runs nothing, and tests
/// can count what ran. <see cref="PostfixCommands"/> runs the real ones.
/// </summary>
internal interface IPostfixCommands
{
    /// <summary>The lookup table types this Postfix supports (<c>postconf -m</c>).</summary>
    IReadOnlySet<string> MapTypes();

    /// <summary>Compiles <c>TYPE:FILE</c> (<c>postmap -c DIR [-F] TYPE:FILE</c>; <c>-F</c> puts the contents of the files the values name into the table).</summary>
    CommandResult Postmap(string configDirectory, string type, string file, bool fileContents);

    /// <summary>Every setting of a config folder (<c>postconf -c DIR -n</c>): a warning on its standard error is a problem.</summary>
    CommandResult Postconf(string configDirectory);

    /// <summary>Postfix's own check of a config folder (<c>postfix -c DIR check</c>).</summary>
    CommandResult Check(string configDirectory);

    /// <summary>Whether the Postfix instance of the folder is running (<c>postfix -c DIR status</c>).</summary>
    bool IsRunning(string configDirectory);

    /// <summary>Makes the running Postfix read its configuration again (<c>postfix -c DIR reload</c>).</summary>
    CommandResult Reload(string configDirectory);

    /// <summary>Stops and starts Postfix (<c>postfix -c DIR stop</c>, then <c>start</c>), for settings that a reload does not apply.</summary>
    CommandResult Restart(string configDirectory);

    /// <summary>The installed Postfix release (<c>postconf -c DIR -h mail_version</c>), or <see langword="null"/> when it cannot be told.</summary>
    string? InstalledVersion(string configDirectory) => null;
}

/// <summary>The real Postfix commands (in <c>/usr/sbin</c> unless told otherwise), each bounded by a time limit.</summary>
/// <remarks>This type is immutable and thread-safe.</remarks>
internal sealed class PostfixCommands : IPostfixCommands
{
    /// <summary>The commands in /usr/sbin, with a limit of two minutes each.</summary>
    public static PostfixCommands Default { get; } = new();

    /// <summary>Creates the commands.</summary>
    /// <param name="directory">The folder of postconf, postmap and postfix.</param>
    /// <param name="timeLimit">How long one command may run before it is stopped; <see langword="null"/> for two minutes.</param>
    public PostfixCommands(string directory = "/usr/sbin", TimeSpan? timeLimit = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory = directory;
        TimeLimit = timeLimit ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>The folder of postconf, postmap and postfix.</summary>
    public string Directory { get; }

    /// <summary>How long one command may run.</summary>
    public TimeSpan TimeLimit { get; }

    /// <inheritdoc />
    public IReadOnlySet<string> MapTypes()
    {
        // postconf -m needs some main.cf to read; one in a folder of our own will do. It names the
        // host, or Postfix would look this machine's name up in DNS (seconds without a resolver).
        var scratch = System.IO.Directory.CreateTempSubdirectory("postfix-config-m-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(scratch, "main.cf"), "myhostname = localhost.localdomain\nmydomain = localdomain\n");
            var r = Run("postconf", ["-c", scratch, "-m"]);
            if (!r.Succeeded)
            {
                throw new ApplyException(ApplyStep.Plan, $"Cannot ask Postfix which table types it supports ({r.Command} exited with {r.ExitCode}): {r.AllOutput}", r);
            }

            return r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(scratch, recursive: true);
        }
    }

    /// <inheritdoc />
    public CommandResult Postmap(string configDirectory, string type, string file, bool fileContents) =>
        Run("postmap", fileContents ? ["-c", configDirectory, "-F", $"{type}:{file}"] : ["-c", configDirectory, $"{type}:{file}"]);

    /// <inheritdoc />
    public CommandResult Postconf(string configDirectory) => Run("postconf", ["-c", configDirectory, "-n"]);

    /// <inheritdoc />
    public CommandResult Check(string configDirectory)
    {
        // postfix check reports through postlog, which writes to standard error only when that is a
        // terminal (otherwise only to the mail log): run it under script(1) to see what it says.
        var script = "/usr/bin/script";
        if (File.Exists(script))
        {
            var command = $"{Path.Combine(Directory, "postfix")} -c {Quote(configDirectory)} check";
            var r = RunProgram(script, ["-qec", command, "/dev/null"], $"postfix -c {configDirectory} check");
            return r with { Output = string.Empty, ErrorOutput = r.Output.Replace("\r\n", "\n", StringComparison.Ordinal) };
        }

        return Run("postfix", ["-c", configDirectory, "check"]);
    }

    /// <inheritdoc />
    public bool IsRunning(string configDirectory) => Run("postfix", ["-c", configDirectory, "status"]).Succeeded;

    /// <inheritdoc />
    public CommandResult Reload(string configDirectory) => Run("postfix", ["-c", configDirectory, "reload"]);

    /// <inheritdoc />
    public CommandResult Restart(string configDirectory)
    {
        var stop = Run("postfix", ["-c", configDirectory, "stop"]);
        if (!stop.Succeeded)
        {
            return stop;
        }

        var start = Run("postfix", ["-c", configDirectory, "start"]);
        return start with { Command = $"{stop.Command}; {start.Command}", Output = stop.Output + start.Output, ErrorOutput = stop.ErrorOutput + start.ErrorOutput };
    }

    /// <inheritdoc/>
    public string? InstalledVersion(string configDirectory)
    {
        var r = Run("postconf", ["-c", configDirectory, "-h", "mail_version"]);
        return r.Succeeded && r.Output.Trim() is { Length: > 0 } version ? version : null;
    }

    private CommandResult Run(string program, string[] args) =>
        RunProgram(Path.Combine(Directory, program), args, $"{program} {string.Join(' ', args)}");

    private CommandResult RunProgram(string file, string[] args, string shown)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process? p;
        try
        {
            p = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(shown, -1, string.Empty, $"cannot run {file}: {e.Message}");
        }

        using (p)
        {
            if (p is null)
            {
                return new CommandResult(shown, -1, string.Empty, $"cannot run {file}");
            }

            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeLimit))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                return new CommandResult(shown, -1, string.Empty, string.Create(CultureInfo.InvariantCulture, $"stopped after {TimeLimit.TotalSeconds:0} seconds"));
            }

            return new CommandResult(shown, p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// A scratch Postfix instance of one release, run from a temporary folder on loopback: its own config
/// directory, queue and data directories and log file, the release's programs through
/// <see cref="ReleaseTree.DirectorySettings"/>, and every service unchrooted (as the sources' README
/// describes). The test writes main.cf (<see cref="HarnessSettings"/> plus its own settings) and
/// master.cf, then <see cref="Check"/>s and <see cref="Start"/>s it. <see cref="Dispose"/> always runs
/// <c>postfix stop</c>, kills what is left of the instance by process id and removes the folder.
/// </summary>
internal sealed partial class ReleaseInstance : IDisposable
{
    /// <summary>How long to wait for anything the instance does (start, a port, a log line, its end).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The services every instance has besides its listeners (no chroot; postlog for maillog_file).</summary>
    private static readonly string[] UnixServices =
    [
        "pickup    unix  n       -       n       60      1       pickup",
        "cleanup   unix  n       -       n       -       0       cleanup",
        "qmgr      unix  n       -       n       300     1       qmgr",
        "tlsmgr    unix  -       -       n       1000?   1       tlsmgr",
        "tlsproxy  unix  -       -       n       -       0       tlsproxy",
        "rewrite   unix  -       -       n       -       -       trivial-rewrite",
        "bounce    unix  -       -       n       -       0       bounce",
        "defer     unix  -       -       n       -       0       bounce",
        "trace     unix  -       -       n       -       0       bounce",
        "verify    unix  -       -       n       -       1       verify",
        "flush     unix  n       -       n       1000?   0       flush",
        "proxymap  unix  -       -       n       -       -       proxymap",
        "smtp      unix  -       -       n       -       -       smtp",
        "relay     unix  -       -       n       -       -       smtp",
        "showq     unix  n       -       n       -       -       showq",
        "error     unix  -       -       n       -       -       error",
        "retry     unix  -       -       n       -       -       error",
        "discard   unix  -       -       n       -       -       discard",
        "local     unix  -       n       n       -       -       local",
        "anvil     unix  -       -       n       -       1       anvil",
        "scache    unix  -       -       n       -       1       scache",
        "postlog   unix-dgram n  -       n       -       1       postlogd",
    ];

    private bool _started;
    private bool _disposed;

    private ReleaseInstance(ReleaseTree tree, string root)
    {
        Tree = tree;
        Root = root;
    }

    public ReleaseTree Tree { get; }

    public string Root { get; }

    public string ConfigDirectory => Path.Combine(Root, "etc");

    public string QueueDirectory => Path.Combine(Root, "spool");

    public string DataDirectory => Path.Combine(Root, "lib");

    public string LogFile => Path.Combine(Root, "maillog");

    /// <summary>
    /// The main.cf settings that make this folder an instance of the release on 127.0.0.1: the release's
    /// program folders, the instance's own folders and log, loopback only, no local delivery, the
    /// compatibility level of the release's stock main.cf, and no DNSSEC probe (it would ask the
    /// machine's resolver) where the release has <c>dnssec_probe</c>.
    /// </summary>
    public IReadOnlyList<(string Name, string Value)> HarnessSettings
    {
        get
        {
            var settings = new List<(string, string)> { ("compatibility_level", Tree.CompatibilityLevel) };
            settings.AddRange(Tree.DirectorySettings);
            settings.AddRange(
            [
                ("queue_directory", QueueDirectory),
                ("data_directory", DataDirectory),
                ("maillog_file", LogFile),
                ("maillog_file_prefixes", Root),
                ("inet_interfaces", "127.0.0.1"),
                ("inet_protocols", "ipv4"),
                ("myhostname", ReleasePki.ServerName),
                ("mydestination", string.Empty),
                ("mynetworks", "127.0.0.0/8"),
                ("alias_maps", string.Empty),
                ("alias_database", string.Empty),
            ]);
            if (ReleaseFacts.Defaults(Tree).ContainsKey("dnssec_probe"))
            {
                settings.Add(("dnssec_probe", string.Empty));
            }

            return settings;
        }
    }

    /// <summary>Makes the folders (traversable by the postfix user; the data folder its own).</summary>
    public static ReleaseInstance Create(ReleaseTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Releases.RequireEnvironment();
        var root = Directory.CreateTempSubdirectory("pfc-release-").FullName;
        var traversable = (UnixFileMode)0b111_101_101;
        File.SetUnixFileMode(root, traversable);
        var instance = new ReleaseInstance(tree, root);
        foreach (var dir in new[] { instance.ConfigDirectory, instance.QueueDirectory, instance.DataDirectory })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, traversable);
        }

        Proc.Ok("/bin/chown", "postfix", instance.DataDirectory);
        return instance;
    }

    /// <summary>main.cf text: one <c>name = value</c> line per setting, in order.</summary>
    public static string MainCfText(IEnumerable<(string Name, string Value)> settings)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in settings)
        {
            sb.Append(name).Append(value.Length == 0 ? " =" : " = ").Append(value).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A master.cf with <paramref name="listeners"/> (whole entries) before the instance's other services.</summary>
    public static string MasterCfText(IEnumerable<string> listeners) =>
        "# master.cf of a PostfixConfig release test instance\n" + string.Join('\n', listeners.Concat(UnixServices)) + "\n";

    /// <summary>A master.cf line for an smtpd on 127.0.0.1:PORT with <c>-o</c> overrides (values without white space).</summary>
    public static string Listener(int port, IEnumerable<(string Name, string Value)> overrides) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port} inet n - n - - smtpd")
        + string.Concat(overrides.Select(o => $"\n  -o {o.Name}={o.Value}"));

    /// <summary>Writes a file into the config directory, dated an hour back (Postfix waits for a just-changed main.cf to settle).</summary>
    public string WriteConfigFile(string name, string text)
    {
        var path = Path.Combine(ConfigDirectory, name);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        return path;
    }

    /// <summary>The release's postconf on this instance's config directory.</summary>
    public Proc.Result Postconf(params string[] args) => Proc.Run(Tree.Postconf, ["-c", ConfigDirectory, .. args]);

    /// <summary>The release's postmap with this instance's config directory.</summary>
    public Proc.Result Postmap(params string[] args) => Proc.Run(Tree.Postmap, ["-c", ConfigDirectory, .. args]);

    /// <summary><c>postfix -c DIR check</c> of the release.</summary>
    public Proc.Result Check() => Proc.Run(Tree.Postfix, ["-c", ConfigDirectory, "check"]);

    /// <summary>
    /// <c>postfix -c DIR start</c>. After a <see cref="Check"/> the start skips the same checks again
    /// (postfix-script's quick-start marker).
    /// </summary>
    public Proc.Result Start(bool checkedAlready)
    {
        if (checkedAlready)
        {
            File.WriteAllText(Path.Combine(QueueDirectory, "quick-start"), string.Empty);
        }

        _started = true;
        return Proc.Run(Tree.Postfix, ["-c", ConfigDirectory, "start"]);
    }

    /// <summary>Waits until 127.0.0.1:PORT accepts connections; null when it does, else why not (the log has a fatal error, or the deadline passed).</summary>
    public string? WaitForPort(int port)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return null;
            }
            catch (SocketException)
            {
                if (FatalLine().Match(Log) is { Success: true } fatal)
                {
                    return $"127.0.0.1:{port} not listening: {fatal.Value.Trim()}";
                }

                if (DateTime.UtcNow > until)
                {
                    return $"127.0.0.1:{port} not listening after {Deadline.TotalSeconds:0} s";
                }

                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Polls the log until a line matches; null after <paramref name="timeout"/> (or <see cref="Deadline"/>).</summary>
    public string? WaitForLogLine(Regex pattern, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var until = DateTime.UtcNow + (timeout ?? Deadline);
        while (true)
        {
            if (Log.Split('\n').FirstOrDefault(pattern.IsMatch) is { } line)
            {
                return line;
            }

            if (DateTime.UtcNow > until)
            {
                return null;
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>Submits a message with the release's sendmail.</summary>
    public Proc.Result Send(string sender, string recipient)
    {
        var message = $"From: <{sender}>\nTo: <{recipient}>\nSubject: PostfixConfig release test\n\nA message from the release tests.\n";
        return Proc.Run(Tree.Sendmail, ["-C", ConfigDirectory, "-f", sender, "--", recipient], stdin: message);
    }

    /// <summary>The log so far (empty before Postfix wrote anything).</summary>
    public string Log
    {
        get
        {
            try
            {
                using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }
            catch (FileNotFoundException)
            {
                return string.Empty;
            }
        }
    }

    /// <summary>main.cf, master.cf and the log, for assertion messages.</summary>
    public string Describe()
    {
        string Read(string name)
        {
            try
            {
                return File.ReadAllText(Path.Combine(ConfigDirectory, name));
            }
            catch (IOException e)
            {
                return e.Message;
            }
        }

        return $"--- {Tree.MailVersion}: {ConfigDirectory}/main.cf ---\n{Read("main.cf")}--- master.cf ---\n{Read("master.cf")}--- {LogFile} ---\n{Log}";
    }

    /// <summary>
    /// <c>postfix -c DIR stop</c>, then waits (bounded) for the instance's processes to end: those whose
    /// environment names this config directory (<c>MAIL_CONFIG</c>, which master passes to every
    /// service). Any still there after 20 s is killed by its process id and reported in the return value
    /// (<see cref="Dispose"/> fails the test then): a clean stop leaves nothing to kill.
    /// </summary>
    /// <returns>What was left (process id and command line), empty after a clean stop.</returns>
    public List<string> Stop()
    {
        if (!_started)
        {
            return [];
        }

        _started = false;
        Proc.Run(Tree.Postfix, ["-c", ConfigDirectory, "stop"]);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (InstanceProcesses().Count > 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(50);
        }

        var left = new List<string>();
        foreach (var leftover in InstanceProcesses())
        {
            left.Add($"{leftover} ({CommandLine(leftover)})");
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(leftover);
                p.Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }

        return left;
    }

    /// <summary>
    /// Stops the instance and removes its folder. Fails the test when the stop left a process of the
    /// instance behind (it is killed, by process id, and named in the failure) or one is still there
    /// after that.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        List<string> left;
        try
        {
            left = Stop();
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("KEEP_LIVE_POSTFIX") != "1")
            {
                DeleteRoot();
            }
        }

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        var still = InstanceProcesses();
        while (still.Count > 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(50);
            still = InstanceProcesses();
        }

        if (left.Count > 0 || still.Count > 0)
        {
            Assert.Fail($"{Tree.MailVersion} instance {Root}: 'postfix stop' left {left.Count} process(es) running after 20 s, killed by process id: "
                + string.Join(", ", left) + (still.Count > 0 ? "; still running after that: " + string.Join(", ", still) : string.Empty));
        }
    }

    /// <summary>Whether a process of this instance (one whose environment names its config directory) is running.</summary>
    public bool HasProcesses => InstanceProcesses().Count > 0;

    /// <summary>Free TCP ports on 127.0.0.1, distinct (closed again, so Postfix can bind them).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private List<int> InstanceProcesses()
    {
        var marker = "MAIL_CONFIG=" + ConfigDirectory;
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (environment.Contains(marker, StringComparer.Ordinal) && File.ReadAllText(Path.Combine(dir, "stat")) is var stat
                    && stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z')
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours
            }
        }

        return found;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "gone";
        }
    }

    private void DeleteRoot()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(200); // a Postfix process was still writing while it exited
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }

    [GeneratedRegex(@"^.*\b(fatal|panic):.*$", RegexOptions.Multiline)]
    private static partial Regex FatalLine();
}

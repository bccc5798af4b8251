using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PostfixConfig.Rendering;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// A private Postfix instance on loopback, run from a temporary folder: its own config directory
/// (the rendered main.cf plus a few harness settings, and a minimal master.cf), queue and data
/// directories, and log file. <see cref="Create"/> picks free ports and makes the folders;
/// the test renders its configuration with those paths, then calls <see cref="Start"/>.
/// <see cref="Dispose"/> always runs <c>postfix -c DIR stop</c>, kills what is left of that
/// instance by process id, and removes the folder.
/// </summary>
/// <remarks>
/// Postfix checks <c>alternate_config_directories</c> in /etc/postfix/main.cf only for programs
/// whose effective user is not root (global/mail_conf.c), so a test run as root needs no change
/// to /etc/postfix: the instance leaves the system configuration alone.
/// </remarks>
internal sealed class PostfixInstance : IDisposable
{
    /// <summary>How long to wait for anything Postfix does (start, delivery, log lines). Generous for slow machines.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>The syslog_name of the receiving smtpd, so its log lines are told apart from the sender's.</summary>
    public const string ReceiverSyslogName = "postfix-receiver";

    private static readonly string[] UnixServices =
    [
        "pickup    unix  n       -       n       60      1       pickup",
        "cleanup   unix  n       -       n       -       0       cleanup",
        "qmgr      unix  n       -       n       300     1       qmgr",
        "tlsmgr    unix  -       -       n       1000?   1       tlsmgr",
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
        "lmtp      unix  -       -       n       -       -       lmtp",
        "anvil     unix  -       -       n       -       1       anvil",
        "scache    unix  -       -       n       -       1       scache",
        "postlog   unix-dgram n  -       n       -       1       postlogd",
    ];

    private bool _startAttempted;
    private bool _disposed;

    private PostfixInstance(string root, int smtpdPort, int receiverPort)
    {
        Root = root;
        SmtpdPort = smtpdPort;
        ReceiverPort = receiverPort;
    }

    public string Root { get; }

    public string ConfigDirectory => Path.Combine(Root, "etc");

    public string QueueDirectory => Path.Combine(Root, "spool");

    public string DataDirectory => Path.Combine(Root, "lib");

    /// <summary>A folder for the test's certificates and keys.</summary>
    public string PkiDirectory => Path.Combine(Root, "pki");

    public string LogFile => Path.Combine(Root, "maillog");

    /// <summary>The port of the smtpd under test (127.0.0.1).</summary>
    public int SmtpdPort { get; }

    /// <summary>The port of the second smtpd, the receiving server for outbound tests (127.0.0.1).</summary>
    public int ReceiverPort { get; }

    /// <summary>The SMTP client's next hop for the receiver, also its policy table key.</summary>
    public string ReceiverNextHop => $"[127.0.0.1]:{ReceiverPort}";

    /// <summary>Makes the folders (readable by the postfix user) and picks two free loopback ports.</summary>
    public static PostfixInstance Create()
    {
        LiveEnvironment.Require();
        var root = Directory.CreateTempSubdirectory("pfc-live-").FullName;
        var traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(root, traversable);
        var (a, b) = FreePorts();
        var instance = new PostfixInstance(root, a, b);
        foreach (var dir in new[] { instance.ConfigDirectory, instance.QueueDirectory, instance.DataDirectory, instance.PkiDirectory })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, traversable);
        }

        Run("/bin/chown", "postfix", instance.DataDirectory);
        return instance;
    }

    /// <summary>
    /// Writes the rendered files into the config directory, adds the harness settings to main.cf,
    /// compiles the policy table with <c>postmap</c>, writes master.cf, starts Postfix and waits
    /// until both smtpd ports accept connections.
    /// </summary>
    /// <param name="rendered">The configuration under test, rendered by the library.</param>
    /// <param name="relayToReceiver">Send all outgoing mail to <see cref="ReceiverNextHop"/> (relayhost).</param>
    /// <param name="extraServices">More master.cf lines (more smtpd listeners with <c>-o</c> overrides); Postfix must accept connections on each <c>127.0.0.1:PORT</c> they name before this returns.</param>
    public void Start(RenderedConfiguration rendered, bool relayToReceiver = false, IReadOnlyList<string>? extraServices = null)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        WriteMainCf(rendered, relayToReceiver);
        File.WriteAllText(Path.Combine(ConfigDirectory, "master.cf"), MasterCf(extraServices ?? []));
        CompileMaps(rendered);
        _startAttempted = true;
        var start = Proc.Run(LiveEnvironment.Postfix, ["-c", ConfigDirectory, "start"]);
        Assert.True(start.ExitCode == 0, $"postfix -c {ConfigDirectory} start failed ({start.ExitCode}): {start.Output}\n{Describe()}");

        WaitForPort(SmtpdPort);
        WaitForPort(ReceiverPort);
        foreach (var service in extraServices ?? [])
        {
            if (Regex.Match(service, @"^127\.0\.0\.1:(\d+)\s") is { Success: true } listener)
            {
                WaitForPort(int.Parse(listener.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>
    /// Starts Postfix with the master.cf the library rendered (Debian's stock services plus the
    /// configured ones), with chroot turned off for every service (<c>postconf -Fe '*/*/chroot = n'</c>;
    /// a scratch instance has no chroot tree), and waits until each of <paramref name="ports"/>
    /// on 127.0.0.1 accepts connections.
    /// </summary>
    public void StartWithRenderedMasterCf(RenderedConfiguration rendered, params int[] ports)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(ports);
        Assert.Contains(rendered.Files, f => f.Kind == RenderedFileKind.MasterCf);
        WriteMainCf(rendered, relayToReceiver: false);
        CompileMaps(rendered);
        Run(LiveEnvironment.Postconf, "-c", ConfigDirectory, "-Fe", "*/*/chroot = n");
        _startAttempted = true;
        var start = Proc.Run(LiveEnvironment.Postfix, ["-c", ConfigDirectory, "start"]);
        Assert.True(start.ExitCode == 0, $"postfix -c {ConfigDirectory} start failed ({start.ExitCode}): {start.Output}\n{Describe()}");
        foreach (var port in ports)
        {
            WaitForPort(port);
        }
    }

    /// <summary>A free TCP port on 127.0.0.1 (closed again, so Postfix can bind it).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Writes the rendered files, then main.cf with the harness settings added.</summary>
    private void WriteMainCf(RenderedConfiguration rendered, bool relayToReceiver)
    {
        rendered.WriteTo(ConfigDirectory);

        var harness = new List<(string Name, string Value)>
        {
            ("compatibility_level", "3.6"),
            ("queue_directory", QueueDirectory),
            ("data_directory", DataDirectory),
            ("inet_interfaces", "127.0.0.1"),
            ("inet_protocols", "ipv4"),
            ("myhostname", "sender.pfc-test.example"),
            ("mydestination", string.Empty),
            ("mynetworks", "127.0.0.0/8"),
            ("alias_maps", string.Empty),
            ("alias_database", string.Empty),
            ("maillog_file", LogFile),
            ("maillog_file_prefixes", Root),
        };
        if (relayToReceiver)
        {
            harness.Add(("relayhost", ReceiverNextHop));
        }

        var renderedNames = MainCfNames(rendered.MainCf.Content);
        var clash = harness.Select(h => h.Name).Where(renderedNames.Contains).ToList();
        Assert.True(clash.Count == 0, $"the rendered main.cf sets harness parameters: {string.Join(", ", clash)}");
        var main = new StringBuilder(rendered.MainCf.Content)
            .Append("\n# Test harness: paths, addresses and routing of this throwaway instance (not rendered by postfix-config)\n");
        foreach (var (name, value) in harness)
        {
            main.Append(name).Append(value.Length == 0 ? " =" : " = ").Append(value).Append('\n');
        }

        File.WriteAllText(Path.Combine(ConfigDirectory, "main.cf"), main.ToString());
    }

    private void CompileMaps(RenderedConfiguration rendered)
    {

        foreach (var map in rendered.Files.Where(f => f.Kind == RenderedFileKind.Map && f.MapType != "texthash"))
        {
            var r = Run(LiveEnvironment.Postmap, "-c", ConfigDirectory, $"{map.MapType}:{map.MapPath}");
            Assert.True(r.StdErr.Length == 0, $"postmap {map.MapType}:{map.MapPath} warned: {r.StdErr}");
        }

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

    /// <summary>Polls the log until a line matches <paramref name="pattern"/>; fails with the whole log after <see cref="Deadline"/>.</summary>
    public string WaitForLogLine(Regex pattern, string what)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var line = Log.Split('\n').FirstOrDefault(pattern.IsMatch);
            if (line is not null)
            {
                return line;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"{what}: no log line matching /{pattern}/ within {Deadline.TotalSeconds:0} s.\n{Describe()}");
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>Submits a message with Postfix's sendmail (through this instance's maildrop and pickup).</summary>
    public void Send(string sender, string recipient, string subject)
    {
        var message = $"From: <{sender}>\nTo: <{recipient}>\nSubject: {subject}\n\nA message from the PostfixConfig live tests.\n";
        var r = Proc.Run(LiveEnvironment.Sendmail, ["-C", ConfigDirectory, "-f", sender, "--", recipient], stdin: message);
        Assert.True(r.ExitCode == 0, $"sendmail failed ({r.ExitCode}): {r.Output}\n{Describe()}");
    }

    /// <summary>The instance's main.cf and log, for assertion messages.</summary>
    public string Describe()
    {
        string mainCf;
        try
        {
            mainCf = File.ReadAllText(Path.Combine(ConfigDirectory, "main.cf"));
        }
        catch (IOException e)
        {
            mainCf = e.Message;
        }

        return $"--- {ConfigDirectory}/main.cf ---\n{mainCf}\n--- {LogFile} ---\n{Log}";
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_startAttempted)
            {
                Stop();
            }
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("KEEP_LIVE_POSTFIX") != "1")
            {
                DeleteRoot();
            }
        }
    }

    /// <summary>
    /// <c>postfix -c DIR stop</c>, then waits for this instance's processes to go; kills any that
    /// remain by process id. The instance's processes are those whose environment names this
    /// config directory (<c>MAIL_CONFIG</c>, which the postfix command sets for master and
    /// master passes on to every service).
    /// </summary>
    private void Stop()
    {
        Proc.Run(LiveEnvironment.Postfix, ["-c", ConfigDirectory, "stop"]);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (InstanceProcesses().Count > 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(100);
        }

        foreach (var leftover in InstanceProcesses())
        {
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
    }

    /// <summary>Live (not zombie) processes whose environment has <c>MAIL_CONFIG=</c> this config directory.</summary>
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

    private void WaitForPort(int port)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                if (Log.Contains("fatal:", StringComparison.Ordinal) || DateTime.UtcNow > until)
                {
                    Assert.Fail($"Postfix did not start listening on 127.0.0.1:{port}.\n{Describe()}");
                }

                Thread.Sleep(200);
            }
        }
    }

    private string MasterCf(IReadOnlyList<string> extraServices)
    {
        var sb = new StringBuilder("# Minimal master.cf for a PostfixConfig live test\n");
        sb.Append(CultureInfo.InvariantCulture, $"127.0.0.1:{SmtpdPort} inet n - n - - smtpd\n");
        sb.Append(CultureInfo.InvariantCulture, $"127.0.0.1:{ReceiverPort} inet n - n - - smtpd -o syslog_name={ReceiverSyslogName} -o myhostname=receiver.pfc-test.example -o content_filter=discard:accepted-by-receiver\n");
        foreach (var line in extraServices.Concat(UnixServices))
        {
            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }

    private static HashSet<string> MainCfNames(string mainCf) =>
        mainCf.Split('\n')
            .Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && l[0] != '#' && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)].Trim())
            .ToHashSet(StringComparer.Ordinal);

    private static (int, int) FreePorts()
    {
        var a = new TcpListener(IPAddress.Loopback, 0);
        var b = new TcpListener(IPAddress.Loopback, 0);
        a.Start();
        b.Start();
        try
        {
            return (((IPEndPoint)a.LocalEndpoint).Port, ((IPEndPoint)b.LocalEndpoint).Port);
        }
        finally
        {
            a.Stop();
            b.Stop();
        }
    }

    private static Proc.Result Run(string file, params string[] args)
    {
        var r = Proc.Run(file, args);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({r.ExitCode}): {r.Output}");
        return r;
    }
}

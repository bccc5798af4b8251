using System.Security.Cryptography;
using System.Text.Json;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Ansible;

/// <summary>
/// A temporary folder to run Debian's <c>ansible-playbook</c> in against the collection in
/// <c>ansible/</c>: Ansible's home, temporary and cache folders are inside it (nothing is left in the
/// user's home), every task result is saved per host by the <c>tree</c> callback, and scratch Postfix
/// config folders are made here from Debian's stock main.cf and master.cf, each with a queue folder of
/// its own, so that no Postfix is running for them and nothing outside is touched.
/// </summary>
internal sealed class AnsibleWorkspace : IDisposable
{
    private readonly TempDir _dir = new();

    public string Path => _dir.Path;

    public string File(string name) => _dir.File(name);

    public string Write(string name, string content) => _dir.Write(name, content);

    /// <summary>The apphost of the built CLI, next to the tests (the one <see cref="CliProcess"/> runs).</summary>
    public static string Cli => CliProcess.Executable;

    /// <summary>
    /// A Postfix config folder as Debian installs it: main.cf from <c>main.cf.dist</c> with the
    /// install-time parameters that the package's post-install fills removed (their defaults apply),
    /// master.cf from <c>master.cf.dist</c>, and queue and data folders of its own.
    /// </summary>
    public string ConfigFolder(string name)
    {
        var etc = File(name + "/etc");
        Directory.CreateDirectory(etc);
        Directory.CreateDirectory(File(name + "/spool"));
        Directory.CreateDirectory(File(name + "/data"));
        System.IO.File.Copy("/usr/share/postfix/main.cf.dist", System.IO.Path.Combine(etc, "main.cf"));
        System.IO.File.Copy("/usr/share/postfix/master.cf.dist", System.IO.Path.Combine(etc, "master.cf"));
        Postconf(etc, "-X", "sendmail_path", "newaliases_path", "mailq_path", "setgid_group", "html_directory", "manpage_directory", "sample_directory", "readme_directory");
        Postconf(etc, "-e", $"queue_directory = {File(name + "/spool")}", $"data_directory = {File(name + "/data")}");
        PostfixTools.AgeFiles(etc);
        return etc;
    }

    public static void Postconf(string configDir, params string[] args)
    {
        var r = PostfixTools.Run(PostfixTools.Postconf, ["-c", configDir, .. args]);
        Assert.True(r.ExitCode == 0 && r.StdErr.Length == 0, $"postconf {string.Join(' ', args)}: {r.StdErr}");
    }

    /// <summary>Every entry of a folder with a hash of its bytes and its modification time (folders by name only).</summary>
    public static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFileSystemEntries(directory).ToDictionary(f => System.IO.Path.GetFileName(f),
            f => Directory.Exists(f) ? "folder" : Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(f))) + "@" + System.IO.File.GetLastWriteTimeUtc(f).Ticks,
            StringComparer.Ordinal);

    /// <summary>Writes an inventory of local "hosts" (connection local, Ansible's own Python), each with its variables.</summary>
    public string Inventory(params (string Host, string Vars)[] hosts)
    {
        var lines = new List<string> { "[mail]" };
        lines.AddRange(hosts.Select(h => $"{h.Host} {h.Vars}".TrimEnd()));
        lines.Add("[mail:vars]");
        lines.Add("ansible_connection=local");
        lines.Add("ansible_python_interpreter={{ ansible_playbook_python }}");
        return Write("inventory.ini", string.Join('\n', lines) + "\n");
    }

    /// <summary>
    /// The inventory sources <see cref="Playbook"/> passes, in this order (a later source's host variables
    /// override an earlier one's); when null, inventory.ini (written by <see cref="Inventory"/> or a local host).
    /// </summary>
    public IReadOnlyList<string>? Inventories { get; set; }

    /// <summary>Runs <c>ansible-playbook</c> with the playbook text; the result of each host's last task is then in <see cref="Result"/>.</summary>
    public PostfixTools.ProcessResult Playbook(string playbook, params string[] args)
    {
        var file = Write($"play-{Guid.NewGuid():N}.yml", playbook);
        var inventories = Inventories ?? [System.IO.File.Exists(File("inventory.ini")) ? File("inventory.ini") : Inventory(("localhost", string.Empty))];
        if (Directory.Exists(File("tree")))
        {
            Directory.Delete(File("tree"), recursive: true);
        }

        return Run(AnsibleTools.Playbook, [.. inventories.SelectMany(i => new[] { "-i", i }), file, .. args]);
    }

    /// <summary>Runs an Ansible program with this workspace's settings.</summary>
    public PostfixTools.ProcessResult Run(string program, IEnumerable<string> args) =>
        ProcessRunner.Run(program, args, env =>
        {
            // The test host's MSBuild and test-platform settings must not reach the dotnet the install role runs.
            foreach (var key in env.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                env.Remove(key);
            }

            env["ANSIBLE_COLLECTIONS_PATH"] = System.IO.Path.Combine(RepoPaths.Root, "ansible");
            env["ANSIBLE_HOME"] = File("ansible-home");
            env["ANSIBLE_LOCAL_TEMP"] = File("ansible-home/tmp");
            env["ANSIBLE_REMOTE_TMP"] = File("ansible-home/remote-tmp");
            env["ANSIBLE_CONFIG"] = File("ansible.cfg"); // this one, not the machine's /etc/ansible/ansible.cfg or ~/.ansible.cfg
            env["ANSIBLE_NOCOLOR"] = "1";
            env["ANSIBLE_RETRY_FILES_ENABLED"] = "0";
            env["ANSIBLE_CALLBACKS_ENABLED"] = "ansible.builtin.tree";
            env["ANSIBLE_CALLBACK_TREE_DIR"] = File("tree");
            env["ANSIBLE_HOST_KEY_CHECKING"] = "0";
            env["TMPDIR"] = File("tmp");
            Directory.CreateDirectory(File("tmp"));
            if (!System.IO.File.Exists(File("ansible.cfg")))
            {
                Write("ansible.cfg", "[defaults]\n# empty: the settings come from the environment\n");
            }
        }, Path, TimeSpan.FromSeconds(300));

    /// <summary>The saved result of <paramref name="host"/>'s last task.</summary>
    public JsonElement Result(string host = "localhost")
    {
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(File("tree/" + host)));
        return json.RootElement.Clone();
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>Where Debian's ansible-core puts its programs (<c>.ci/run</c> installs it).</summary>
internal static class AnsibleTools
{
    public const string Playbook = "/usr/bin/ansible-playbook";

    public const string Doc = "/usr/bin/ansible-doc";

    public const string Inventory = "/usr/bin/ansible-inventory";

    /// <summary>The Python that runs <c>ansible-playbook</c> (its first line), with Ansible's libraries.</summary>
    public const string Python = "/usr/bin/python3";

    public static string? SkipReason =>
        PostfixTools.SkipReason ?? (System.IO.File.Exists(Playbook) || PostfixTools.IsCi
            ? null
            : "ansible-core is not installed here (apt-get install ansible-core); with CI set this test fails instead of skipping.");
}

/// <summary>A fact that needs ansible-core and the real Postfix tools (see <see cref="AnsibleTools.SkipReason"/>).</summary>
public sealed class AnsibleFactAttribute : FactAttribute
{
    public AnsibleFactAttribute()
    {
        if (AnsibleTools.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs ansible-core and the real Postfix tools (see <see cref="AnsibleTools.SkipReason"/>).</summary>
public sealed class AnsibleTheoryAttribute : TheoryAttribute
{
    public AnsibleTheoryAttribute()
    {
        if (AnsibleTools.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

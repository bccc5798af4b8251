using System.Text.Json;
using System.Text.RegularExpressions;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Ansible;

/// <summary>
/// The module <c>postfixconfig.postfix.postfix_config</c> run by Debian's real <c>ansible-playbook</c>
/// (connection local) with the built CLI, against scratch config folders made from Debian's stock
/// main.cf and master.cf, for which no Postfix is running: changed then unchanged, check mode, diff
/// mode, a refused configuration, three hosts of different releases at once, and its documentation.
/// Each of them is slow (ansible-playbook starts in seconds); README's fleet task is checked in the fast run.
/// </summary>
public class PostfixConfigModuleTests
{
    /// <summary>The module's options: the configuration as a dictionary, with a policy table (so a map is compiled).</summary>
    private static string Config(string version = "3.7", int loglevel = 1, string main = "") =>
        "        config:\n"
        + $"          postfix_version: \"{version}\"\n"
        + "          profile: intermediate\n"
        + "          main:\n"
        + $"            smtpd_tls_loglevel: {loglevel}\n"
        + "            smtp_tls_policy_maps: hash:${config_directory}/tls_policy" + main + "\n"
        + "          tls_policy:\n"
        + "            example.net: encrypt";

    private static string Play(string etc, string body, string options = "") => $$"""
        - hosts: all
          gather_facts: false
          tasks:
            - name: Apply the TLS configuration
              postfixconfig.postfix.postfix_config:
        {{body}}
                config_dir: {{etc}}
                executable: {{AnsibleWorkspace.Cli}}{{options}}
        """;

    private static void AssertOk(PostfixTools.ProcessResult run) =>
        Assert.True(run.ExitCode == 0, $"ansible-playbook exited {run.ExitCode}:\n{run.StdOut}\n{run.StdErr}");

    private static List<string> Strings(JsonElement array, string property) =>
        array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!).ToList();

    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void Play_FirstRunChanges_SecondRunAndSrcFileReportUnchanged()
    {
        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");

        var first = ws.Playbook(Play(etc, Config()));
        AssertOk(first);
        Assert.Contains("changed: [localhost]", first.StdOut, StringComparison.Ordinal);
        var r = ws.Result();
        Assert.True(r.GetProperty("changed").GetBoolean());
        var plan = r.GetProperty("plan");
        Assert.False(plan.GetProperty("dry_run").GetBoolean());
        Assert.StartsWith("3.7.", plan.GetProperty("postfix_version").GetString(), StringComparison.Ordinal);
        Assert.Contains("smtpd_tls_security_level", Strings(plan.GetProperty("changes"), "parameter"));
        Assert.Equal([$"postmap hash:{etc}/tls_policy"], Strings(plan.GetProperty("compile"), "command"));
        Assert.Equal("reload", plan.GetProperty("action").GetString());
        Assert.Equal("none", plan.GetProperty("performed").GetString()); // no Postfix runs for this folder
        Assert.DoesNotContain("--no-reload", r.GetProperty("cmd").EnumerateArray().Select(e => e.GetString())); // reload: true is the default
        Assert.All(plan.GetProperty("files").EnumerateArray(), f => Assert.False(f.TryGetProperty("after", out _))); // texts go into the diff only
        Assert.Contains(r.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "PFX3008");

        // What the real Postfix reads now.
        var (values, warnings) = PostfixTools.PostconfN(etc);
        Assert.Equal("may", values["smtpd_tls_security_level"]);
        Assert.Equal(">=TLSv1.2", values["smtpd_tls_mandatory_protocols"]);
        Assert.Equal(string.Empty, warnings);
        Assert.Equal("encrypt", PostfixTools.Query(etc, "hash", Path.Combine(etc, "tls_policy"), "example.net"));

        var snapshot = AnsibleWorkspace.Snapshot(etc);
        var second = ws.Playbook(Play(etc, Config()));
        AssertOk(second);
        Assert.Contains("ok: [localhost]", second.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"localhost\s+: ok=1\s+changed=0\s+unreachable=0\s+failed=0", second.StdOut);
        Assert.False(ws.Result().GetProperty("changed").GetBoolean());
        Assert.Empty(ws.Result().GetProperty("plan").GetProperty("compile").EnumerateArray());
        Assert.Equal(snapshot, AnsibleWorkspace.Snapshot(etc));

        // The same configuration as a file on the host (src) is the same configuration.
        var src = ws.Write("mail.yaml", "postfix_version: \"3.7\"\nprofile: intermediate\nmain:\n  smtpd_tls_loglevel: 1\n"
            + "  smtp_tls_policy_maps: hash:${config_directory}/tls_policy\ntls_policy:\n  example.net: encrypt\n");
        var third = ws.Playbook(Play(etc, $"        src: {src}"));
        AssertOk(third);
        Assert.False(ws.Result().GetProperty("changed").GetBoolean());
        Assert.Equal(snapshot, AnsibleWorkspace.Snapshot(etc));
    }

    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void CheckMode_ReportsWhatWouldChange_LeavesEveryFileByteForByte()
    {
        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");
        var before = AnsibleWorkspace.Snapshot(etc);
        var spool = AnsibleWorkspace.Snapshot(ws.File("mx/spool"));

        var run = ws.Playbook(Play(etc, Config()), "--check");
        AssertOk(run);
        Assert.Contains("changed: [localhost]", run.StdOut, StringComparison.Ordinal);
        var r = ws.Result();
        Assert.True(r.GetProperty("changed").GetBoolean());
        var plan = r.GetProperty("plan");
        Assert.True(plan.GetProperty("dry_run").GetBoolean());
        Assert.Contains("--dry-run", r.GetProperty("cmd").EnumerateArray().Select(e => e.GetString()));
        var changes = plan.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("parameter").GetString()!, c => c.GetProperty("new_value").GetString(), StringComparer.Ordinal);
        Assert.Equal("may", changes["smtpd_tls_security_level"]);
        Assert.Equal("hash:${config_directory}/tls_policy", changes["smtp_tls_policy_maps"]);
        var files = plan.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("action").GetString(), StringComparer.Ordinal);
        Assert.Equal("replace", files[Path.Combine(etc, "main.cf")]);
        Assert.Equal("create", files[Path.Combine(etc, "tls_policy")]);
        Assert.Equal("unchanged", files[Path.Combine(etc, "master.cf")]);
        Assert.Equal([$"postmap hash:{etc}/tls_policy"], Strings(plan.GetProperty("compile"), "command"));
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("performed").ValueKind);

        Assert.Equal(before, AnsibleWorkspace.Snapshot(etc));
        Assert.Equal(spool, AnsibleWorkspace.Snapshot(ws.File("mx/spool")));
    }

    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void DiffMode_ShowsTheMainCfChange_AndTheNewTable()
    {
        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");
        AnsibleWorkspace.Postconf(etc, "-e", "smtpd_tls_security_level = none");
        PostfixTools.AgeFiles(etc);

        var run = ws.Playbook(Play(etc, Config(), "\n        reload: false"), "--diff");
        AssertOk(run);
        var output = run.StdOut;
        Assert.Contains($"--- before: {etc}/main.cf\n+++ after: {etc}/main.cf\n", output, StringComparison.Ordinal);
        Assert.Contains("\n-smtpd_tls_security_level = none\n", output, StringComparison.Ordinal);
        Assert.Contains("\n+smtpd_tls_security_level = may\n", output, StringComparison.Ordinal);
        Assert.Contains("\n+smtpd_tls_loglevel = 1\n", output, StringComparison.Ordinal);
        Assert.Contains($"+++ after: {etc}/tls_policy\n", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\+example\.net\s+encrypt\n", output);
        Assert.DoesNotContain($"after: {etc}/master.cf", output, StringComparison.Ordinal); // unchanged
        Assert.Equal("none", ws.Result().GetProperty("plan").GetProperty("performed").GetString());
        Assert.Contains("--no-reload", ws.Result().GetProperty("cmd").EnumerateArray().Select(e => e.GetString())); // reload: false reaches the CLI
        Assert.Contains("smtpd_tls_security_level = may\n", File.ReadAllText(Path.Combine(etc, "main.cf")), StringComparison.Ordinal);

        // Check and diff mode together: the diff of what would change, nothing written.
        var snapshot = AnsibleWorkspace.Snapshot(etc);
        var again = ws.Playbook(Play(etc, Config(loglevel: 2)), "--check", "--diff");
        AssertOk(again);
        Assert.Contains("\n-smtpd_tls_loglevel = 1\n", again.StdOut, StringComparison.Ordinal);
        Assert.Contains("\n+smtpd_tls_loglevel = 2\n", again.StdOut, StringComparison.Ordinal);
        Assert.Equal(snapshot, AnsibleWorkspace.Snapshot(etc));
    }

    /// <summary>
    /// Diff mode for a master.cf change: a service of the configuration shows as master.cf's added lines
    /// (check mode first, nothing written), then the real run writes exactly that and the installed Postfix
    /// reads the new service.
    /// </summary>
    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void DiffMode_ShowsTheMasterCfChange_ForANewService()
    {
        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");
        var before = AnsibleWorkspace.Snapshot(etc);
        var body = "        config:\n          postfix_version: \"3.7\"\n          profile: intermediate\n          main:\n"
            + "            smtpd_tls_chain_files: [/nonexistent/pfc-key.pem, /nonexistent/pfc-cert.pem]\n"
            + "          services:\n            submission:\n              smtpd_sasl_auth_enable: true";
        var play = Play(etc, body, "\n        reload: false\n        check_files: false");

        var check = ws.Playbook(play, "--check", "--diff");
        AssertOk(check);
        Assert.Contains($"--- before: {etc}/master.cf\n+++ after: {etc}/master.cf\n", check.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"\n\+submission\s+inet\s+n\s+-\s+y\s+-\s+-\s+smtpd\n", check.StdOut);
        Assert.Contains("\n+  -o smtpd_tls_security_level=encrypt\n", check.StdOut, StringComparison.Ordinal);
        Assert.Contains("\n+  -o smtpd_sasl_auth_enable=yes\n", check.StdOut, StringComparison.Ordinal);
        var files = ws.Result().GetProperty("plan").GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("action").GetString(), StringComparer.Ordinal);
        Assert.Equal("replace", files[Path.Combine(etc, "master.cf")]);
        Assert.Equal(before, AnsibleWorkspace.Snapshot(etc));

        var master = File.ReadAllText(Path.Combine(etc, "master.cf"));
        var run = ws.Playbook(play, "--diff");
        AssertOk(run);
        Assert.Contains("\n+  -o smtpd_sasl_auth_enable=yes\n", run.StdOut, StringComparison.Ordinal);
        Assert.StartsWith(master, File.ReadAllText(Path.Combine(etc, "master.cf")), StringComparison.Ordinal); // lines added, none taken away
        var service = PostfixTools.Run(PostfixTools.Postconf, ["-c", etc, "-F", "submission/inet/command"]);
        Assert.Equal("submission/inet/command = smtpd -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes\n", service.StdOut);
    }

    [AnsibleTheory]
    [Trait("Category", "Slow")]
    [InlineData("\n            smtpd_tls_security_level: mya", "PFX2005", "smtpd_tls_security_level does not accept 'mya'")]
    [InlineData("\n            smtpd_tls_chain_files: [/nonexistent/pfc-key.pem, /nonexistent/pfc-cert.pem]", "PFX7001", "/nonexistent/pfc-key.pem does not exist")]
    public void BrokenConfiguration_FailsTheTaskWithTheDiagnostic_FolderAsItWas(string main, string code, string message)
    {
        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");
        var before = AnsibleWorkspace.Snapshot(etc);

        var run = ws.Playbook(Play(etc, Config(main: main)));
        Assert.Equal(2, run.ExitCode); // a task failed
        Assert.Contains("fatal: [localhost]: FAILED!", run.StdOut, StringComparison.Ordinal);
        Assert.Contains(message, run.StdOut, StringComparison.Ordinal);
        var r = ws.Result();
        Assert.Matches(@"localhost\s+: ok=0\s+changed=0\s+unreachable=0\s+failed=1", run.StdOut);
        Assert.StartsWith($"postfix-config refused the configuration; nothing was changed: {code}", r.GetProperty("msg").GetString(), StringComparison.Ordinal);
        var error = r.GetProperty("diagnostics").EnumerateArray().First(d => d.GetProperty("severity").GetString() == "error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, r.GetProperty("rc").GetInt32());
        Assert.Equal(before, AnsibleWorkspace.Snapshot(etc));
        Assert.Empty(Directory.GetFiles(ws.File("ansible-home"), "postfix-config-*", SearchOption.AllDirectories)); // the configuration file is gone
    }

    /// <summary>
    /// The installed Postfix is the final judge: a configuration that validates, applied to a folder
    /// whose main.cf <c>postfix check</c> refuses (an empty <c>setgid_group</c>, as in Debian's
    /// main.cf.dist), fails the task with Postfix's words, and the folder is left as it was.
    /// </summary>
    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void PostfixCheckRefuses_FailsTheTaskWithPostfixsMessage_FolderAsItWas()
    {
        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");
        AnsibleWorkspace.Postconf(etc, "-e", "setgid_group =");
        PostfixTools.AgeFiles(etc);
        var before = AnsibleWorkspace.Snapshot(etc);

        var body = "        config:\n          postfix_version: \"3.7\"\n          main:\n            smtpd_tls_security_level: may";
        var run = ws.Playbook(Play(etc, body, "\n        reload: false"));
        Assert.Equal(2, run.ExitCode);
        var r = ws.Result();
        Assert.Equal(2, r.GetProperty("rc").GetInt32());
        var msg = r.GetProperty("msg").GetString()!;
        Assert.StartsWith("postfix check refuses the new configuration", msg, StringComparison.Ordinal);
        Assert.Contains("setgid_group", msg, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", msg, StringComparison.Ordinal);
        Assert.Equal(before, AnsibleWorkspace.Snapshot(etc)); // no staging folder left either
    }

    /// <summary><c>check_files: false</c> reaches the CLI: a certificate that is not there yet does not stop the (dry) run.</summary>
    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void CheckFilesFalse_SkipsTheKeyAndCertificateChecks()
    {
        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");
        var run = ws.Playbook(Play(etc, Config(main: "\n            smtpd_tls_chain_files: [/nonexistent/pfc-key.pem, /nonexistent/pfc-cert.pem]"), "\n        check_files: false"), "--check");
        AssertOk(run);
        var r = ws.Result();
        Assert.Contains("--no-check-files", r.GetProperty("cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("smtpd_tls_chain_files", Strings(r.GetProperty("plan").GetProperty("changes"), "parameter"));
        Assert.DoesNotContain(r.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "PFX7001");
    }

    private static readonly string[] OtherBinFolders = ["/usr/local/bin", "/sbin", "/usr/sbin", "/usr/local/sbin", "/usr/bin", "/bin"];

    /// <summary>
    /// Without <c>executable</c> the module looks <c>postfix-config</c> up on the managed host's PATH (here a
    /// folder with a link to the built CLI, through the play's <c>environment</c>) and runs it; with no
    /// postfix-config there, the task fails with a message that names it and the role that installs it, and
    /// nothing is changed.
    /// </summary>
    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void Executable_Default_IsLookedUpOnPath_MissingFailsSayingHowToInstallIt()
    {
        // The module also looks in /usr/local/bin (first) and the sbin folders: on a machine that has postfix-config
        // there, or in /usr/bin or /bin, this test cannot tell PATH's from that one.
        var elsewhere = OtherBinFolders.Select(d => Path.Combine(d, "postfix-config")).Where(File.Exists).ToList();
        Assert.True(elsewhere.Count == 0, $"postfix-config is installed outside the test's PATH folder: {string.Join(", ", elsewhere)}");

        using var ws = new AnsibleWorkspace();
        var etc = ws.ConfigFolder("mx");
        var before = AnsibleWorkspace.Snapshot(etc);
        Directory.CreateDirectory(ws.File("bin"));
        Directory.CreateDirectory(ws.File("empty"));
        File.CreateSymbolicLink(ws.File("bin/postfix-config"), AnsibleWorkspace.Cli);
        string PlayWithPath(string path) => $"""
            - hosts: all
              gather_facts: false
              environment:
                PATH: {path}:/usr/bin:/bin
              tasks:
                - name: Apply with the postfix-config found on PATH
                  postfixconfig.postfix.postfix_config:
            {Config()}
                    config_dir: {etc}
                    reload: false
            """;

        var missing = ws.Playbook(PlayWithPath(ws.File("empty")));
        Assert.Equal(2, missing.ExitCode); // a task failed
        Assert.Contains("fatal: [localhost]: FAILED!", missing.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"localhost\s+: ok=0\s+changed=0\s+unreachable=0\s+failed=1", missing.StdOut);
        var failed = ws.Result();
        Assert.Equal("postfix-config was not found on PATH or in /usr/local/bin; install it (role postfixconfig.postfix.install) or set executable to its path.",
            failed.GetProperty("msg").GetString());
        Assert.False(failed.TryGetProperty("cmd", out _)); // nothing was run
        Assert.Equal(before, AnsibleWorkspace.Snapshot(etc));

        var found = ws.Playbook(PlayWithPath(ws.File("bin")));
        AssertOk(found);
        var r = ws.Result();
        Assert.True(r.GetProperty("changed").GetBoolean());
        Assert.Equal(ws.File("bin/postfix-config"), r.GetProperty("cmd")[0].GetString());
        Assert.Equal("may", PostfixTools.PostconfN(etc).Values["smtpd_tls_security_level"]);
    }

    /// <summary>The task of the fleet play in docs/ansible.md, verbatim.</summary>
    private const string FleetTask = """
            - name: TLS for every mail host, validated for its own Postfix release
              postfixconfig.postfix.postfix_config:
                config:
                  postfix_version: "{{ postfix_version }}"
                  profile: intermediate
                  main:
                    smtp_tls_security_level: dane
                    smtp_dns_support_level: dnssec
                    smtp_tls_policy_maps: hash:${config_directory}/tls_policy
                  tls_policy:
                    example.net: encrypt
                config_dir: "{{ postfix_config_dir | default('/etc/postfix') }}"
        """;

    [Fact]
    public void Readme_ShowsTheTestedFleetTaskVerbatim() =>
        Assert.Contains("  tasks:\n" + FleetTask + "\n```", File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "ansible.md")), StringComparison.Ordinal);

    /// <summary>The fenced block of docs/ansible.md whose first line is <paramref name="firstLine"/>, without its fences.</summary>
    private static string DocsBlock(string firstLine)
    {
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "ansible.md"));
        var start = page.IndexOf("```yaml\n" + firstLine + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/ansible.md has no YAML block that starts with {firstLine}");
        start += "```yaml\n".Length;
        return page[start..(page.IndexOf("\n```", start, StringComparison.Ordinal) + 1)];
    }

    /// <summary>
    /// The fleet of docs/ansible.md on three local "hosts": the page's inventory file as it is shown (each
    /// host's release, one of them 3.10, which an unquoted YAML or inline INI value turns into 3.1), a second
    /// inventory that only gives each host a scratch config folder and the local connection, and the page's
    /// task, in one run with three forks (the built CLI and no reload through module_defaults). Each host is
    /// validated and rendered for its own release (3.4 has no <c>&gt;=TLSv1.2</c> syntax), the installed
    /// Postfix accepts all three, and a second run changes nothing anywhere.
    /// </summary>
    [AnsibleFact]
    [Trait("Category", "Slow")]
    public void Fleet_DocsInventoryOfThreeReleases_ConvergesInOneRunWithThreeForks()
    {
        using var ws = new AnsibleWorkspace();

        // The releases the page means, written here and not read from the inventory (reading is what turns 3.10 into 3.1).
        var hosts = new[] { ("mx1.example.org", "3.7"), ("mx2.example.org", "3.10"), ("relay.example.org", "3.4") };
        var local = "mail:\n  hosts:\n" + string.Concat(hosts.Select(h => $"    {h.Item1}:\n      postfix_config_dir: {ws.ConfigFolder(h.Item1)}\n"))
            + "  vars:\n    ansible_connection: local\n    ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n";
        ws.Inventories = [ws.Write("inventory.yml", DocsBlock("# inventory.yml")), ws.Write("local.yml", local)];

        // Before anything runs: every host of the page's inventory writes into its scratch folder (not /etc/postfix-out).
        var list = ws.Run(AnsibleTools.Inventory, [.. ws.Inventories.SelectMany(i => new[] { "-i", i }), "--list"]);
        Assert.True(list.ExitCode == 0, list.StdErr);
        using (var inventory = JsonDocument.Parse(list.StdOut))
        {
            var hostvars = inventory.RootElement.GetProperty("_meta").GetProperty("hostvars");
            Assert.Equal(hosts.Select(h => h.Item1).Order(StringComparer.Ordinal), hostvars.EnumerateObject().Select(h => h.Name).Order(StringComparer.Ordinal));
            Assert.All(hosts, h => Assert.Equal(ws.File(h.Item1 + "/etc"), hostvars.GetProperty(h.Item1).GetProperty("postfix_config_dir").GetString()));
        }

        var play = $"""
            - hosts: mail
              gather_facts: false
              module_defaults:
                postfixconfig.postfix.postfix_config:
                  executable: {AnsibleWorkspace.Cli}
                  reload: false
              tasks:

            """ + FleetTask;

        var run = ws.Playbook(play, "--forks", "3");
        AssertOk(run);
        foreach (var (host, version) in hosts)
        {
            Assert.Matches($@"{Regex.Escape(host)}\s+: ok=1\s+changed=1\s+unreachable=0\s+failed=0", run.StdOut);
            var r = ws.Result(host);
            Assert.True(r.GetProperty("changed").GetBoolean());
            Assert.StartsWith(version + ".", r.GetProperty("plan").GetProperty("postfix_version").GetString(), StringComparison.Ordinal);
            Assert.Contains("--no-reload", r.GetProperty("cmd").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("none", r.GetProperty("plan").GetProperty("performed").GetString());
            var etc = ws.File(host + "/etc");
            Assert.Equal(etc, r.GetProperty("plan").GetProperty("config_directory").GetString());
            var (values, warnings) = PostfixTools.PostconfN(etc);
            Assert.Equal(string.Empty, warnings);
            Assert.Equal("dane", values["smtp_tls_security_level"]);
            Assert.Equal("may", values["smtpd_tls_security_level"]);
            Assert.Equal(version == "3.4" ? "!SSLv2, !SSLv3" : ">=TLSv1", values["smtpd_tls_protocols"]);
            Assert.Equal(version == "3.4" ? "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1" : ">=TLSv1.2", values["smtpd_tls_mandatory_protocols"]);
            Assert.Equal(version == "3.4" ? "auto" : null, values.GetValueOrDefault("smtpd_tls_eecdh_grade"));
            Assert.Equal("encrypt", PostfixTools.Query(etc, "hash", Path.Combine(etc, "tls_policy"), "example.net"));
        }

        var again = ws.Playbook(play, "--forks", "3");
        AssertOk(again);
        foreach (var (host, _) in hosts)
        {
            Assert.Matches($@"{Regex.Escape(host)}\s+: ok=1\s+changed=0\s+unreachable=0\s+failed=0", again.StdOut);
        }
    }
}

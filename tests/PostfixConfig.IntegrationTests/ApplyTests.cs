using System.Text.RegularExpressions;
using PostfixConfig.Apply;
using PostfixConfig.IntegrationTests.Support;

namespace PostfixConfig.IntegrationTests;

/// <summary>
/// apply against a running Postfix on loopback (a scratch config folder): a policy table and an SNI
/// table are written, compiled and served; a second apply changes nothing and does not reload; a
/// broken change leaves every file byte for byte as it was and Postfix serving the old certificate.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public partial class ApplyTests
{
    private const string MainName = "mail.pfc-test.example";
    private const string SniName = "other.pfc-test.example";

    private static string Yaml(TestPki main, TestPki sni, string extraMain = "", bool swapSni = false) => $$"""
        postfix_version: "{{LiveEnvironment.InstalledVersion}}"
        main:
          smtpd_tls_chain_files: [{{main.KeyFile}}, {{main.ChainFile}}]
          smtpd_tls_security_level: may
          smtp_tls_policy_maps: hash:${config_directory}/tls_policy
          tls_server_sni_maps: hash:${config_directory}/sni
        {{extraMain}}
        sni:
          {{SniName}}: [{{(swapSni ? sni.ChainFile : sni.KeyFile)}}, {{(swapSni ? sni.KeyFile : sni.ChainFile)}}]
        tls_policy:
          example.net: encrypt
          "[relay.pfc-test.example]:587": {level: secure, match: relay.pfc-test.example}
        """;

    private static TlsConfiguration Load(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "apply.yaml");
        Assert.False(loaded.HasErrors, string.Join('\n', loaded.Diagnostics));
        return loaded.Value;
    }

    /// <summary>Every file of the config folder with its bytes and modification time.</summary>
    private static Dictionary<string, (string Hash, DateTime Modified)> Snapshot(string directory) =>
        Directory.GetFileSystemEntries(directory).Order(StringComparer.Ordinal).ToDictionary(
            f => Path.GetFileName(f),
            f => (Directory.Exists(f) ? "folder" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)), StringComparer.Ordinal);

    private static int Reloads(PostfixInstance postfix) => ReloadPattern().Count(postfix.Log);

    [GeneratedRegex(@"reload -- version")]
    private static partial Regex ReloadPattern();

    private sealed class CountingCommands(IPostfixCommands inner) : IPostfixCommands
    {
        public List<string> Ran { get; } = [];

        public IReadOnlySet<string> MapTypes()
        {
            Ran.Add("postconf -m");
            return inner.MapTypes();
        }

        public string? InstalledVersion(string configDirectory) => inner.InstalledVersion(configDirectory);

        public CommandResult Postmap(string configDirectory, string type, string file, bool fileContents) => Log(inner.Postmap(configDirectory, type, file, fileContents));

        public CommandResult Postconf(string configDirectory) => Log(inner.Postconf(configDirectory));

        public CommandResult Check(string configDirectory) => Log(inner.Check(configDirectory));

        public bool IsRunning(string configDirectory) => inner.IsRunning(configDirectory);

        public CommandResult Reload(string configDirectory) => Log(inner.Reload(configDirectory));

        public CommandResult Restart(string configDirectory) => Log(inner.Restart(configDirectory));

        private CommandResult Log(CommandResult r)
        {
            Ran.Add(r.Command);
            return r;
        }
    }

    [LivePostfixFact]
    public void Apply_PolicyAndSni_CompiledServedIdempotentAndBrokenChangesLeaveEverything()
    {
        using var postfix = PostfixInstance.Create();
        var main = TestPki.Create(Path.Combine(postfix.PkiDirectory, "main"), MainName, "PostfixConfig Test CA");
        var sni = TestPki.Create(Path.Combine(postfix.PkiDirectory, "sni"), SniName, "PostfixConfig SNI CA");
        postfix.Start(Render.Files(Render.ForInstalledPostfix().Set("smtpd_tls_chain_files", [main.KeyFile, main.ChainFile]).Set("smtpd_tls_security_level", "may")));
        var commands = new CountingCommands(PostfixCommands.Default);
        var options = ApplyOptions.Default with { ConfigDirectory = postfix.ConfigDirectory, Commands = commands };
        var reloadsBefore = Reloads(postfix);

        // First apply: maps written and compiled, Postfix reloaded.
        var first = PostfixTls.Apply(Load(Yaml(main, sni)), options);
        Assert.False(first.HasErrors, string.Join('\n', first.Diagnostics));
        Assert.Equal(PostfixAction.Reload, first.Value.Performed);
        Assert.Contains(first.Value.Plan.Compilations, c => c.Command == $"postmap -F hash:{postfix.ConfigDirectory}/sni");
        Assert.Contains(first.Value.Plan.Compilations, c => c.Command == $"postmap hash:{postfix.ConfigDirectory}/tls_policy");
        postfix.WaitForLogLine(ReloadPattern(), "the reload after apply");
        Assert.Equal("encrypt", Query(postfix, "hash", "tls_policy", "example.net"));
        Assert.Equal("secure match=relay.pfc-test.example", Query(postfix, "hash", "tls_policy", "[relay.pfc-test.example]:587"));
        Assert.NotNull(Query(postfix, "hash", "sni", SniName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(postfix.ConfigDirectory, "sni.db")));

        // On the wire: the SNI name gets its own certificate, any other name the default one.
        var sniSession = WaitForCertificate(postfix, SniName, sni.ServerSha256);
        Assert.Equal(sni.ServerSha256, OpenSsl.Sha256Fingerprint(sniSession.Certificates[0]));
        Assert.Equal(main.ServerSha256, OpenSsl.Sha256Fingerprint(OpenSsl.Session(postfix.SmtpdPort, startTls: true, MainName).Certificates[0]));

        // Second apply with the same input: no change, nothing compiled, no reload.
        var reloads = Reloads(postfix);
        commands.Ran.Clear();
        var before = Snapshot(postfix.ConfigDirectory);
        var second = PostfixTls.Apply(Load(Yaml(main, sni)), options);
        Assert.False(second.HasErrors, string.Join('\n', second.Diagnostics));
        Assert.False(second.Value.Changed);
        Assert.Empty(commands.Ran);
        Assert.Equal(before, Snapshot(postfix.ConfigDirectory));

        // Broken changes: each refused, the folder byte for byte as it was, the old certificate still served.
        var other = TestPki.Create(Path.Combine(postfix.PkiDirectory, "other"), MainName, "PostfixConfig Other CA");
        var swapped = PostfixTls.Apply(Load(Yaml(other, sni, swapSni: true)), options);
        Assert.True(swapped.HasErrors);
        Assert.Contains(swapped.Diagnostics.Errors, d => d.Code == Diagnostics.DiagnosticCodes.ChainOrder);
        Assert.Equal(before, Snapshot(postfix.ConfigDirectory));

        var unsupported = PostfixTls.Apply(Load(Yaml(other, sni).Replace("hash:${config_directory}/tls_policy", "sdbm:${config_directory}/tls_policy", StringComparison.Ordinal)), options);
        Assert.True(unsupported.HasErrors);
        Assert.Contains(unsupported.Diagnostics.Errors, d => d.Code == Diagnostics.DiagnosticCodes.MapTypeNotInstalled && d.Message.Contains("sdbm", StringComparison.Ordinal));
        Assert.Equal(before, Snapshot(postfix.ConfigDirectory));

        var rejected = Assert.Throws<ApplyException>(() => PostfixTls.Apply(Load(Yaml(other, sni, "  mail_owner: nosuchuser-pfc")), options));
        Assert.Equal(ApplyStep.Check, rejected.Step);
        Assert.Contains("postfix check", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("nosuchuser-pfc", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(postfix.ConfigDirectory));
        Assert.Equal(reloads, Reloads(postfix));
        Assert.Equal(main.ServerSha256, OpenSsl.Sha256Fingerprint(OpenSsl.Session(postfix.SmtpdPort, startTls: true, MainName).Certificates[0]));

        // A good change of the default certificate: applied, reloaded, served.
        var changed = PostfixTls.Apply(Load(Yaml(other, sni)), options);
        Assert.False(changed.HasErrors, string.Join('\n', changed.Diagnostics));
        Assert.Equal(PostfixAction.Reload, changed.Value.Performed);
        Assert.Empty(changed.Value.Plan.Compilations);
        WaitForCertificate(postfix, MainName, other.ServerSha256);
    }

    [LivePostfixFact]
    public void Apply_RenewedSniCertificate_RecompiledAndServed()
    {
        using var postfix = PostfixInstance.Create();
        var main = TestPki.Create(Path.Combine(postfix.PkiDirectory, "main"), MainName, "PostfixConfig Test CA");
        var sni = TestPki.Create(Path.Combine(postfix.PkiDirectory, "sni"), SniName, "PostfixConfig SNI CA");
        postfix.Start(Render.Files(Render.ForInstalledPostfix().Set("smtpd_tls_chain_files", [main.KeyFile, main.ChainFile])));
        var options = ApplyOptions.Default with { ConfigDirectory = postfix.ConfigDirectory };
        Assert.False(PostfixTls.Apply(Load(Yaml(main, sni)), options).HasErrors);
        WaitForCertificate(postfix, SniName, sni.ServerSha256);

        // certbot renews in place: same file names, new certificate; the YAML does not change.
        Thread.Sleep(1100); // file times have one-second steps on some file systems
        var renewed = TestPki.Create(Path.Combine(postfix.PkiDirectory, "sni"), SniName, "PostfixConfig SNI CA");
        var r = PostfixTls.Apply(Load(Yaml(main, sni)), options);
        Assert.False(r.HasErrors, string.Join('\n', r.Diagnostics));
        var compilation = Assert.Single(r.Value.Plan.Compilations);
        Assert.Contains("newer than the table", compilation.Reason, StringComparison.Ordinal);
        Assert.Equal(PostfixAction.Reload, r.Value.Performed);
        WaitForCertificate(postfix, SniName, renewed.ServerSha256);
    }

    [LivePostfixFact]
    public void ApplyCli_ReloadHookCertbot_InstalledAndRebuildsTheSniTable()
    {
        using var postfix = PostfixInstance.Create();
        var main = TestPki.Create(Path.Combine(postfix.PkiDirectory, "main"), MainName, "PostfixConfig Test CA");
        var sni = TestPki.Create(Path.Combine(postfix.PkiDirectory, "sni"), SniName, "PostfixConfig SNI CA");
        postfix.Start(Render.Files(Render.ForInstalledPostfix().Set("smtpd_tls_chain_files", [main.KeyFile, main.ChainFile])));
        var yaml = Path.Combine(postfix.Root, "apply.yaml");
        File.WriteAllText(yaml, Yaml(main, sni));
        var hooks = Path.Combine(postfix.Root, "hooks");
        Directory.CreateDirectory(hooks);
        var r = Proc.Run(Path.Combine(AppContext.BaseDirectory, "postfix-config"), ["apply", yaml, "--config-dir", postfix.ConfigDirectory, "--reload-hook", "certbot", "--hook-dir", hooks, "--format", "json"]);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Contains("\"performed\": \"reload\"", r.StdOut, StringComparison.Ordinal);
        var hook = Path.Combine(hooks, "postfix");
        Assert.True((File.GetUnixFileMode(hook) & UnixFileMode.UserExecute) != 0);
        var text = File.ReadAllText(hook);
        Assert.Contains($"postmap -c '{postfix.ConfigDirectory}' -F 'hash:{postfix.ConfigDirectory}/sni'", text, StringComparison.Ordinal);

        // What certbot does after a renewal of the SNI certificate: run the hook with RENEWED_LINEAGE.
        Thread.Sleep(1100);
        var renewed = TestPki.Create(Path.Combine(postfix.PkiDirectory, "sni"), SniName, "PostfixConfig SNI CA");
        var run = Proc.Run("/bin/sh", [hook], environment: new Dictionary<string, string> { ["RENEWED_LINEAGE"] = Path.Combine(postfix.PkiDirectory, "sni") });
        Assert.True(run.ExitCode == 0, run.Output);
        WaitForCertificate(postfix, SniName, renewed.ServerSha256);
    }

    private static string? Query(PostfixInstance postfix, string type, string table, string key)
    {
        var r = Proc.Run(LiveEnvironment.Postmap, ["-c", postfix.ConfigDirectory, "-q", key, $"{type}:{postfix.ConfigDirectory}/{table}"]);
        Assert.True(r.ExitCode is 0 or 1, r.Output);
        return r.ExitCode == 0 ? r.StdOut.TrimEnd('\n') : null;
    }

    /// <summary>New smtpd processes start after a reload; waits (bounded) until one serves the certificate.</summary>
    private static OpenSsl.ClientSession WaitForCertificate(PostfixInstance postfix, string serverName, string sha256)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var session = OpenSsl.Session(postfix.SmtpdPort, startTls: true, serverName);
            if (session.Certificates.Count > 0 && OpenSsl.Sha256Fingerprint(session.Certificates[0]) == sha256)
            {
                return session;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"{serverName}: the server did not present the certificate {sha256}:\n{session.Output}\n{postfix.Describe()}");
            }

            Thread.Sleep(500);
        }
    }
}

using System.Net.Sockets;
using PostfixConfig.Apply;
using PostfixConfig.IntegrationTests.Support;

namespace PostfixConfig.IntegrationTests;

/// <summary>
/// apply against a running Postfix when a service's listen address changes (issue 23): the old
/// listener is gone after the reload and the new one answers; master.cf is what merge gives for the
/// same input; the next apply has nothing to do.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public class ApplyServiceIdentityTests
{
    private const string ServerName = "mail.pfc-test.example";

    private static string Yaml(TestPki pki, int smtp, int submission) => $$"""
        postfix_version: "{{LiveEnvironment.InstalledVersion}}"
        main:
          smtpd_tls_chain_files: [{{pki.KeyFile}}, {{pki.ChainFile}}]
          smtpd_tls_security_level: may
        services:
          smtp: {listen: "127.0.0.1:{{smtp}}"}
          submission: {listen: "127.0.0.1:{{submission}}"}
        """;

    private static TlsConfiguration Load(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "identity.yaml");
        Assert.False(loaded.HasErrors, string.Join('\n', loaded.Diagnostics));
        return loaded.Value;
    }

    private static bool Listens(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Polls (bounded by <see cref="PostfixInstance.Deadline"/>) until port <paramref name="port"/> listens or not.</summary>
    private static void WaitUntil(int port, bool listening, PostfixInstance postfix)
    {
        var until = DateTime.UtcNow + PostfixInstance.Deadline;
        while (Listens(port) != listening)
        {
            Assert.True(DateTime.UtcNow < until, $"127.0.0.1:{port} still {(listening ? "does not listen" : "listens")} after {PostfixInstance.Deadline.TotalSeconds:0} s\n{postfix.Describe()}");
            Thread.Sleep(100);
        }
    }

    [LivePostfixFact]
    public void Apply_ListenChanged_OldListenerGoneNewOneAnswersMasterCfAsMergeGives()
    {
        using var postfix = PostfixInstance.Create();
        var pki = TestPki.Create(postfix.PkiDirectory, ServerName, "PostfixConfig Test CA");
        var (smtp, before, after) = (PostfixInstance.FreePort(), PostfixInstance.FreePort(), PostfixInstance.FreePort());
        postfix.StartWithRenderedMasterCf(Render.Files(Load(Yaml(pki, smtp, before))), smtp, before);
        var options = ApplyOptions.Default with { ConfigDirectory = postfix.ConfigDirectory };
        var masterPath = Path.Combine(postfix.ConfigDirectory, "master.cf");

        // What merge gives for the same input, from the same files.
        var config = Load(Yaml(pki, smtp, after));
        var mainCf = PostfixTls.ReadMainCfFile(Path.Combine(postfix.ConfigDirectory, "main.cf")).GetValueOrThrow();
        var merged = PostfixTls.Merge(config, mainCf, MergeOptions.Default with { MasterCfText = File.ReadAllText(masterPath) }).GetValueOrThrow();
        var expected = merged.Files.Files.Single(f => f.Kind == RenderedFileKind.MasterCf).Content;

        var r = PostfixTls.Apply(config, options);
        Assert.False(r.HasErrors, string.Join('\n', r.Diagnostics));
        Assert.Equal(PostfixAction.Reload, r.Value.Performed);
        Assert.Equal(expected, File.ReadAllText(masterPath));
        Assert.DoesNotContain($"127.0.0.1:{before} ", expected, StringComparison.Ordinal);
        Assert.Single(expected.Split('\n'), l => l.StartsWith($"127.0.0.1:{after} ", StringComparison.Ordinal));

        WaitUntil(after, listening: true, postfix);
        WaitUntil(before, listening: false, postfix);
        Assert.Contains(SmtpProbe.Ehlo(after), l => l.Length > 4 && l[4..] == "STARTTLS");

        // The next apply of the same YAML: nothing to do.
        var again = PostfixTls.Apply(config, options);
        Assert.False(again.HasErrors, string.Join('\n', again.Diagnostics));
        Assert.False(again.Value.Changed);
        Assert.Equal(PostfixAction.None, again.Value.Performed);
    }
}

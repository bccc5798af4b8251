using System.Globalization;
using System.Text.Json;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.IntegrationTests.Support;
using PostfixConfig.Probe;

namespace PostfixConfig.IntegrationTests;

/// <summary>
/// <c>postfix-config probe</c> and <c>PostfixTls.Probe</c> against a real Postfix on 127.0.0.1
/// (<see cref="ProbeServers"/>), each fact checked against an independent judge: the fingerprints
/// <c>openssl x509 -fingerprint -sha256</c> computes for what <c>openssl s_client</c> received, the
/// protocol and cipher s_client negotiates, and TLSA records made by hash-slinger's <c>tlsa --create</c>.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class ProbeTests(ProbeServers servers) : IClassFixture<ProbeServers>
{
    private const string Name = ProbeServers.ServerName;

    private static ProbeReport Probe(int port, StartTlsMode mode = StartTlsMode.Auto, params TlsaAssociation[] tlsa) =>
        Probe(new ProbeOptions("127.0.0.1") { Port = port, StartTls = mode, ServerName = Name, Tlsa = tlsa });

    private static ProbeReport Probe(ProbeOptions options)
    {
        var result = PostfixTls.Probe(options);
        Assert.False(result.HasErrors, result.Diagnostics.ToString());
        return result.Value;
    }

    /// <summary>Every served certificate equals what s_client received, by OpenSSL's own fingerprints; protocol and cipher agree.</summary>
    private static void AssertSameAsOpenSsl(ProbeReport report, OpenSsl.ClientSession openssl)
    {
        var tls = Assert.IsType<TlsSessionInfo>(report.Tls);
        Assert.True(openssl.Protocol is not null, openssl.Output);
        Assert.Equal(openssl.Protocol, tls.Protocol);
        Assert.Equal(OpenSsl.StandardCipherName(openssl.Cipher!), tls.CipherSuite);
        Assert.Equal(openssl.Certificates.Count, tls.Chain.Count);
        for (var i = 0; i < tls.Chain.Count; i++)
        {
            Assert.Equal(i, tls.Chain[i].Depth);
            Assert.Equal(OpenSsl.Sha256Fingerprint(openssl.Certificates[i]), tls.Chain[i].Sha256Fingerprint);
            Assert.Equal(OpenSsl.PublicKeySha256Fingerprint(openssl.Certificates[i]), tls.Chain[i].PublicKeySha256Fingerprint);
        }
    }

    [LivePostfixFact]
    public void Probe_Port25LikeStartTls_ReportsTheChainProtocolAndCipherOpenSslSees()
    {
        var report = Probe(servers.Smtp);

        Assert.Equal(TlsStart.StartTls, report.Mode);
        Assert.True(report.StartTlsOffered);
        Assert.Contains("STARTTLS", report.Extensions);
        Assert.StartsWith("220 ", report.Banner, StringComparison.Ordinal);
        AssertSameAsOpenSsl(report, OpenSsl.Session(servers.Smtp, startTls: true, Name));
        var tls = report.Tls!;
        Assert.Equal(servers.Pki.ServerSha256, tls.Chain[0].Sha256Fingerprint);
        Assert.Equal(OpenSsl.Sha256FingerprintOfFile(servers.Pki.CaFile), tls.Chain[1].Sha256Fingerprint);
        Assert.Equal([Name], tls.Chain[0].Names);
        Assert.Equal("RSA 2048-bit", tls.Chain[0].Key);
        Assert.Equal(("RSA", 2048), (tls.Chain[0].KeyAlgorithm, tls.Chain[0].KeyBits));
        Assert.Equal(servers.Pki.Ca.Subject, tls.Chain[0].Issuer);
        Assert.True(tls.NameMatches);
        Assert.True(tls.ChainInOrder);
        Assert.True(tls.ChainComplete); // the test CA is a root and is served
        Assert.False(tls.PkixTrusted);
        Assert.Equal((int)Math.Floor((servers.Pki.Server.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays), tls.DaysToExpiry);
        Assert.DoesNotContain("STARTTLS", tls.ExtensionsAfterTls);
        Assert.NotEmpty(tls.ExtensionsAfterTls);
        var result = PostfixTls.Probe(new ProbeOptions("127.0.0.1") { Port = servers.Smtp, ServerName = Name });
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.CertificateExpiresSoon); // two days of validity
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is DiagnosticCodes.HostNameNotCovered or DiagnosticCodes.ChainMisordered or DiagnosticCodes.ChainIncomplete);
    }

    [LivePostfixFact]
    public void Probe_OtherServerName_ReportsNameNotCovered()
    {
        var result = PostfixTls.Probe(new ProbeOptions("127.0.0.1") { Port = servers.Smtp, ServerName = "other.pfc-test.example" });

        Assert.False(result.Value!.Tls!.NameMatches);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.HostNameNotCovered && d.Message.Contains("other.pfc-test.example", StringComparison.Ordinal));
    }

    [LivePostfixFact]
    public void Probe_Port587LikeEncrypt_StartTlsThenEhloAgain()
    {
        var report = Probe(servers.Submission);

        Assert.True(report.StartTlsOffered);
        AssertSameAsOpenSsl(report, OpenSsl.Session(servers.Submission, startTls: true, Name));
        Assert.NotEmpty(report.Tls!.ExtensionsAfterTls);
    }

    [LivePostfixFact]
    public void Probe_Port465LikeWrapperMode_ImplicitTls()
    {
        var report = Probe(servers.Submissions, StartTlsMode.No);

        Assert.Equal(TlsStart.Implicit, report.Mode);
        Assert.False(report.StartTlsOffered);
        Assert.StartsWith("220 ", report.Banner, StringComparison.Ordinal);
        AssertSameAsOpenSsl(report, OpenSsl.Session(servers.Submissions, startTls: false, Name));
        Assert.Equal(servers.Pki.ServerSha256, report.Tls!.Chain[0].Sha256Fingerprint);
    }

    [LivePostfixFact]
    public void Probe_WrapperModePortNot465_FoundAsImplicitTls()
    {
        // The server waits for a ClientHello, not on port 465: with --starttls auto the probe hears no
        // greeting within the short wait and starts TLS itself (issue 23).
        var result = PostfixTls.ProbeAsync(new ProbeOptions("127.0.0.1") { Port = servers.Submissions, Timeout = TimeSpan.FromSeconds(4) })
            .WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();

        Assert.True(result.Value is not null, string.Join('\n', result.Diagnostics));
        Assert.NotEqual(465, servers.Submissions);
        Assert.Equal(TlsStart.Implicit, result.Value.Mode);
        Assert.StartsWith("220 ", result.Value.Banner, StringComparison.Ordinal);
        Assert.Equal(servers.Pki.ServerSha256, result.Value.Tls!.Chain[0].Sha256Fingerprint);
    }

    [LivePostfixFact]
    public void Probe_SelfSigned_ReportsItAndDaneEeStillMatches()
    {
        var tlsa = HashSlinger(servers.Broken.SelfSigned.ChainFile, servers.SelfSigned, usage: 3);
        var result = PostfixTls.Probe(new ProbeOptions("127.0.0.1") { Port = servers.SelfSigned, ServerName = Name, Tlsa = [tlsa] });

        var report = result.Value!;
        AssertSameAsOpenSsl(report, OpenSsl.Session(servers.SelfSigned, startTls: true, Name));
        var leaf = Assert.Single(report.Tls!.Chain);
        Assert.True(leaf.SelfSigned);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.SelfSignedCertificate);
        Assert.Equal(DaneVerdict.Authenticated, report.Dane!.Verdict);
        Assert.Equal(TlsaOutcome.Authenticates, Assert.Single(report.Dane.Records).Outcome);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.TlsaOtherService);
    }

    [LivePostfixFact]
    public void Probe_Expired_DaneEeIgnoresExpiryDaneTaDoesNot()
    {
        var ee = HashSlinger(servers.Broken.Expired.ChainFile, servers.Expired, usage: 3);
        using var dir = new TempFolder();
        var issuerFile = dir.Write("issuer.pem", servers.Broken.ExpiredIssuer.ExportCertificatePem() + "\n");
        var ta = HashSlinger(issuerFile, servers.Expired, usage: 2);

        var result = PostfixTls.Probe(new ProbeOptions("127.0.0.1") { Port = servers.Expired, ServerName = Name, Tlsa = [ee, ta] });

        var report = result.Value!;
        AssertSameAsOpenSsl(report, OpenSsl.Session(servers.Expired, startTls: true, Name));
        Assert.True(report.Tls!.DaysToExpiry < 0);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.CertificateExpired);
        Assert.Equal(TlsaOutcome.Authenticates, report.Dane!.Records[0].Outcome);
        Assert.Equal(TlsaOutcome.MatchRejected, report.Dane.Records[1].Outcome);
        Assert.Equal(1, report.Dane.Records[1].Depth);
        Assert.Contains("expired", report.Dane.Records[1].Detail, StringComparison.Ordinal);
        Assert.True(report.Dane.WouldDeliver);

        var taOnly = Probe(servers.Expired, StartTlsMode.Auto, ta);
        Assert.Equal(DaneVerdict.NotAuthenticated, taOnly.Dane!.Verdict);
    }

    [LivePostfixFact]
    public void Probe_ChainInWrongOrder_ReportsTheServedOrderAndDaneTaStillMatches()
    {
        using var dir = new TempFolder();
        var intermediate = dir.Write("intermediate.pem", servers.Broken.MisorderedIntermediate.ExportCertificatePem() + "\n");
        var ta = HashSlinger(intermediate, servers.Misordered, usage: 2);

        var result = PostfixTls.Probe(new ProbeOptions("127.0.0.1") { Port = servers.Misordered, ServerName = Name, Tlsa = [ta] });

        var report = result.Value!;
        var openssl = OpenSsl.Session(servers.Misordered, startTls: true, Name);
        AssertSameAsOpenSsl(report, openssl); // the same order as s_client -showcerts prints
        var chain = report.Tls!.Chain;
        Assert.Equal(3, chain.Count);
        Assert.Equal(servers.Broken.MisorderedRoot.Subject, chain[1].Subject);
        Assert.Equal(servers.Broken.MisorderedIntermediate.Subject, chain[2].Subject);
        Assert.False(report.Tls.ChainInOrder);
        Assert.True(report.Tls.ChainComplete);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.ChainMisordered);
        var match = Assert.Single(report.Dane!.Records);
        Assert.Equal((TlsaOutcome.Authenticates, 2), (match.Outcome, match.Depth));
    }

    /// <summary>
    /// The CLI (its own process, with the OpenSSL settings it sets for probing) tries each version on
    /// its own; s_client offering only that version (at security level 0 below TLS 1.2) agrees on each.
    /// </summary>
    [LivePostfixTheory]
    [InlineData("tls1")]
    [InlineData("smtp")]
    public void ProbeCli_Protocols_AgreeWithOpenSslForEachVersion(string server)
    {
        var port = server == "tls1" ? servers.Tls1 : servers.Smtp;
        var cli = Cli("probe", "127.0.0.1", "--port", Port(port), "--servername", Name, "--protocols", "--format", "json");
        Assert.True(cli.ExitCode == 0, cli.Output);
        AssertMatchesSchema(cli.StdOut);
        using var json = JsonDocument.Parse(cli.StdOut);
        var results = json.RootElement.GetProperty("protocols").EnumerateArray()
            .ToDictionary(p => p.GetProperty("protocol").GetString()!, p => p.GetProperty("result").GetString()!);

        Assert.Equal(["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"], results.Keys);
        Assert.Equal("not-testable", results["SSLv3"]); // Debian's OpenSSL 3.0 has no SSLv3
        foreach (var (name, sclient) in new[] { ("TLSv1", "tls1"), ("TLSv1.1", "tls1_1"), ("TLSv1.2", "tls1_2"), ("TLSv1.3", "tls1_3") })
        {
            var handshake = OpenSsl.StartTls(port, sclient);
            var expected = handshake.Established ? "accepted" : handshake.RefusedProtocolVersion ? "refused" : "s_client failed otherwise";
            Assert.True(expected == results[name], $"{name}: probe says {results[name]}, s_client says {expected}\n{handshake.Output}\n{cli.Output}");
        }

        Assert.Equal(server == "tls1" ? "accepted" : "refused", results["TLSv1"]);
        Assert.Equal(server == "tls1" ? "accepted" : "refused", results["TLSv1.1"]);
        Assert.Equal(server == "tls1", json.RootElement.GetProperty("diagnostics").EnumerateArray().Any(d => d.GetProperty("code").GetString() == DiagnosticCodes.WeakProtocol));
    }

    /// <summary>
    /// In a process that has not lowered OpenSSL's security level (this test process, no
    /// OPENSSL_CONF), the probe's own OpenSSL contexts run at security level 0, so TLS 1.0 and 1.1 are
    /// tested in-process too (SslStream could not offer them); SSLv3 is not compiled into Debian's OpenSSL.
    /// </summary>
    [LivePostfixFact]
    public void Probe_InThisProcess_Tls10And11AreTestedByTheInProcessOpenSsl()
    {
        var report = Probe(new ProbeOptions("127.0.0.1") { Port = servers.Tls1, ServerName = Name, ScanProtocols = true });

        var outcomes = report.Protocols.ToDictionary(p => p.Protocol, p => p.Outcome);
        Assert.Equal(ProtocolOutcome.NotTestable, outcomes["SSLv3"]);
        Assert.Equal(ProtocolOutcome.Accepted, outcomes["TLSv1"]);
        Assert.Equal(ProtocolOutcome.Accepted, outcomes["TLSv1.1"]);
        Assert.Equal(ProtocolOutcome.Accepted, outcomes["TLSv1.2"]);
        Assert.Equal(ProtocolOutcome.Accepted, outcomes["TLSv1.3"]);
    }

    /// <summary>
    /// The fact behind the CLI's OpenSSL settings: with this platform's default settings OpenSSL
    /// (as a client) does not complete a TLS 1.0 handshake even with a server that accepts it; with
    /// <c>openssl-probe.cnf</c> as <c>OPENSSL_CONF</c> it does.
    /// </summary>
    [LivePostfixFact]
    public void OpenSslPolicyFile_LetsOpenSslNegotiateTls10_WhichTheDefaultSettingsRefuse()
    {
        List<string> args = ["s_client", "-starttls", "smtp", "-connect", $"127.0.0.1:{Port(servers.Tls1)}", "-brief", "-tls1"];
        var policy = Path.Combine(AppContext.BaseDirectory, "openssl-probe.cnf");

        var withDefaults = Proc.Run(LiveEnvironment.OpenSsl, args, stdin: string.Empty);
        var withPolicy = Proc.Run("/usr/bin/env", ["OPENSSL_CONF=" + policy, LiveEnvironment.OpenSsl, .. args], stdin: string.Empty);

        Assert.DoesNotContain("Protocol version: TLSv1\n", withDefaults.Output.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(withPolicy.ExitCode == 0, withPolicy.Output);
        Assert.Contains("Protocol version: TLSv1\n", withPolicy.Output.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [LivePostfixFact]
    public void ProbeCli_ExpectTlsWithHashSlingerRecords_Exit0WhenMatchingAnd1WhenTheDigestChanges()
    {
        var record = HashSlingerLine(servers.Pki.CertificateFile, servers.Smtp, usage: 3);
        var data = record.Split(' ')[^1];
        var changed = record[..^data.Length] + (data[0] == '0' ? '1' : '0') + data[1..];

        var ok = Cli("probe", "127.0.0.1", "--port", Port(servers.Smtp), "--servername", Name, "--tlsa", record, "--expect-tls");
        var bad = Cli("probe", "127.0.0.1", "--port", Port(servers.Smtp), "--servername", Name, "--tlsa", changed, "--expect-tls");
        var noExpect = Cli("probe", "127.0.0.1", "--port", Port(servers.Smtp), "--servername", Name, "--tlsa", changed);

        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("authenticated: a DANE client would deliver", ok.StdOut, StringComparison.Ordinal);
        Assert.True(bad.ExitCode == 1, bad.Output);
        Assert.Contains("not-authenticated: a DANE client would NOT deliver", bad.StdOut, StringComparison.Ordinal);
        Assert.Contains(DiagnosticCodes.TlsaNotMatched, bad.StdOut, StringComparison.Ordinal);
        Assert.True(noExpect.ExitCode == 0, noExpect.Output); // without --expect-tls the verdict is reported, not the exit code
    }

    [LivePostfixFact]
    public void ProbeCli_TlsaFileWithZoneLines_MatchesTheDaneTaRecordOfTheServedCa()
    {
        using var dir = new TempFolder();
        var ta = HashSlingerLine(servers.Pki.CaFile, servers.Smtp, usage: 2);
        var file = dir.Write("tlsa.zone", $"; records of {Name}\n{ta}\n");

        var cli = Cli("probe", "127.0.0.1", "--port", Port(servers.Smtp), "--servername", Name, "--tlsa-file", file, "--expect-tls", "--format", "json");

        Assert.True(cli.ExitCode == 0, cli.Output);
        AssertMatchesSchema(cli.StdOut);
        using var json = JsonDocument.Parse(cli.StdOut);
        var record = Assert.Single(json.RootElement.GetProperty("dane").GetProperty("records").EnumerateArray().ToList());
        Assert.Equal("authenticates", record.GetProperty("result").GetString());
        Assert.Equal(1, record.GetProperty("depth").GetInt32());
        Assert.Equal(ta.Split(' ')[0], record.GetProperty("owner").GetString());
    }

    [LivePostfixFact]
    public void TlsaCheck_RecordsOfTheServedChain_Exit0AndOfAnotherCertificate_Exit1()
    {
        var served = Cli("tlsa", servers.Pki.ChainFile, "--host", Name, "--port", Port(servers.Smtp), "--check", "127.0.0.1");
        var withIntermediate = Cli("tlsa", servers.Broken.Misordered.ChainFile, "--host", Name, "--port", Port(servers.Misordered), "--check", "127.0.0.1");
        var other = Cli("tlsa", servers.Broken.SelfSigned.ChainFile, "--host", Name, "--port", Port(servers.Smtp), "--check", "127.0.0.1");
        var down = Cli("tlsa", servers.Pki.ChainFile, "--host", Name, "--port", Port(ProbeServers.ClosedPort()), "--check", "127.0.0.1");

        Assert.True(served.ExitCode == 0, served.Output);
        // The test CA is a root, for which tlsa makes no 2 1 1 record: only the 3 1 1.
        Assert.Equal(HashSlingerLine(servers.Pki.CertificateFile, servers.Smtp, usage: 3) + "\n", served.StdOut);
        Assert.True(withIntermediate.ExitCode == 0, withIntermediate.Output);
        Assert.Equal(2, withIntermediate.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // 3 1 1 and 2 1 1 for the intermediate
        Assert.True(other.ExitCode == 1, other.Output);
        Assert.Contains(DiagnosticCodes.TlsaNotMatched, other.StdErr, StringComparison.Ordinal);
        Assert.True(down.ExitCode == 2, down.Output);
        Assert.Empty(down.StdOut);
        var error = Assert.Single(down.StdErr.Split('\n'), l => l.StartsWith("error ", StringComparison.Ordinal));
        Assert.StartsWith("error PFX8001: 127.0.0.1 port ", error, StringComparison.Ordinal);
    }

    /// <summary>The output matches <c>schema/probe-report.schema.json</c> (python3-jsonschema judges).</summary>
    private static void AssertMatchesSchema(string json)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PostfixConfig.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var file = Path.Combine(Path.GetTempPath(), $"pfc-probe-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        try
        {
            var r = Proc.Run("/usr/bin/python3", ["-c",
                "import json, sys, jsonschema\njsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))",
                Path.Combine(root.FullName, "schema", "probe-report.schema.json"), file]);
            Assert.True(r.ExitCode == 0, $"the probe's JSON does not match schema/probe-report.schema.json:\n{r.Output}\n{json}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>hash-slinger: <c>tlsa --create --usage U --selector 1 --mtype 1 --certificate FILE --port PORT NAME</c> (reads the file, no DNS).</summary>
    private static string HashSlingerLine(string certificateFile, int port, int usage)
    {
        var r = Proc.Run("/usr/bin/tlsa", ["--create", "--usage", usage.ToString(CultureInfo.InvariantCulture), "--selector", "1", "--mtype", "1",
            "--certificate", certificateFile, "--port", Port(port), Name]);
        Assert.True(r.ExitCode == 0, $"tlsa --create failed: {r.Output}");
        return r.StdOut.Split('\n').Single(l => l.StartsWith('_')).Trim();
    }

    private static TlsaAssociation HashSlinger(string certificateFile, int port, int usage)
    {
        var parsed = PostfixTls.ParseTlsa(HashSlingerLine(certificateFile, port, usage));
        Assert.False(parsed.HasErrors, parsed.Diagnostics.ToString());
        return Assert.Single(parsed.Value);
    }

    /// <summary>Runs the built postfix-config program (not in this process: its OpenSSL settings are its own).</summary>
    private static Proc.Result Cli(params string[] args) =>
        Proc.Run(Path.Combine(AppContext.BaseDirectory, "postfix-config"), args, timeout: TimeSpan.FromSeconds(120));

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pfc-probe-").FullName;

        public string Write(string name, string content)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, content);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

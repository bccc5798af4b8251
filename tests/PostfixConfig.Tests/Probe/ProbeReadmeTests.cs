using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Probe;
using PostfixConfig.Tests.Certificates;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Probe;

/// <summary>
/// The probe's C# example in docs/reference/probe.md is this code, run against a loopback server the test
/// starts (plain SMTP, then STARTTLS with .NET's SslStream as the server); the test checks that
/// README shows it verbatim.
/// </summary>
public class ProbeReadmeTests
{
    [Fact]
    public async Task ReadmeProbeExample_RunsAgainstAStartTlsServer()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, names: ["mail.example.com"]);
        using var leafWithKey = chain.Leaf.Certificate.CopyWithPrivateKey((ECDsa)chain.Leaf.Key);
        await using var server = new ScriptedSmtpServer(s => s.StartTlsSession(leafWithKey, chain.Intermediate.Certificate));
        var digest = Convert.ToHexStringLower(SHA256.HashData(chain.Leaf.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        var output = new StringWriter();
        var errors = new StringWriter();
        var port = server.Port;

        await Task.Run(() =>
        {
            // README:begin
            var records = PostfixTls.ParseTlsa("3 1 1 " + digest).GetValueOrThrow();
            var probe = PostfixTls.Probe(new ProbeOptions("127.0.0.1") { Port = port, ServerName = "mail.example.com", Tlsa = records });
            foreach (var d in probe.Diagnostics) errors.WriteLine(d);
            if (probe.Value is { Tls: { } tls } report)
                output.WriteLine($"{tls.Protocol} {tls.Chain[0].Sha256Fingerprint} DANE: {report.Dane?.Verdict}");
            // README:end
        }).WaitAsync(TimeSpan.FromSeconds(60));

        var fingerprint = string.Join(':', SHA256.HashData(chain.Leaf.Certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal($"TLSv1.3 {fingerprint} DANE: Authenticated\n", output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("info PFX8013:", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(["EHLO", "STARTTLS", "EHLO", "QUIT"], server.Received.Select(c => c.Split(' ')[0]));
    }

    [Fact]
    public async Task Probe_ChainFromAnSslStreamServer_IsReportedInServedOrder()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, names: ["mail.example.com"]);
        using var leafWithKey = chain.Leaf.Certificate.CopyWithPrivateKey((ECDsa)chain.Leaf.Key);
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.Send("220 scripted.test ESMTP\r\n");
            await s.Read();
            await s.Send("250-scripted.test\r\n250 STARTTLS\r\n");
            await s.Read();
            await s.Send("220 go ahead\r\n");
            await s.StartTls(leafWithKey, chain.Intermediate.Certificate);
            await s.Silence(); // never answers EHLO over TLS
        });

        var result = await PostfixTls.ProbeAsync(new ProbeOptions("127.0.0.1") { Port = server.Port, ServerName = "mail.example.com", Timeout = TimeSpan.FromSeconds(1) })
            .WaitAsync(TimeSpan.FromSeconds(60));

        // The EHLO over TLS timed out after the handshake: the chain is still reported, in the order
        // served, and the SMTP failure is a warning (issue 23).
        Assert.True(result.Value?.Tls is not null, string.Join('\n', result.Diagnostics));
        Assert.Equal(
            [chain.Leaf.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), chain.Intermediate.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)],
            result.Value.Tls.Chain.Select(c => c.Sha256Fingerprint.Replace(":", string.Empty, StringComparison.Ordinal)));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "PFX8002");
        Assert.Equal(PostfixConfig.Diagnostics.DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("The TLS handshake completed (TLSv1.3), then the SMTP session failed", warning.Message, StringComparison.Ordinal);
        Assert.Contains("sent no reply to EHLO over TLS within 1 s", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_ShowsTheTestedProbeExampleVerbatim()
    {
        var source = File.ReadAllLines(Path.Combine(RepoPaths.TestProject, "Probe", "ProbeReadmeTests.cs"));
        var begin = Array.FindIndex(source, l => l.Trim() == "// README:begin");
        var end = Array.FindIndex(source, l => l.Trim() == "// README:end");
        var snippet = source[(begin + 1)..end]
            .Select(l => l.Length >= 12 ? l[12..] : l.TrimStart())
            .Select(l => l.Replace("errors.WriteLine(d)", "Console.Error.WriteLine(d)", StringComparison.Ordinal)
                          .Replace("output.WriteLine(", "Console.WriteLine(", StringComparison.Ordinal)
                          .Replace("new ProbeOptions(\"127.0.0.1\") { Port = port, ServerName = \"mail.example.com\", Tlsa = records }",
                                   "new ProbeOptions(\"mail.example.com\") { Tlsa = records }", StringComparison.Ordinal)
                          .Replace("\"3 1 1 \" + digest", "\"3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6\"", StringComparison.Ordinal));
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "reference", "probe.md"));
        Assert.Contains(string.Join('\n', snippet), readme, StringComparison.Ordinal);
    }
}

using PostfixConfig.IntegrationTests.Support;

namespace PostfixConfig.IntegrationTests;

/// <summary>
/// The SMTP server side, on the wire: a rendered <c>smtpd_tls_*</c> configuration is started in a
/// real Postfix on 127.0.0.1 and probed with a plain EHLO and with <c>openssl s_client -starttls smtp</c>.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public class InboundTlsTests
{
    private const string ServerName = "mail.pfc-test.example";

    /// <summary>
    /// The server configuration under test: the certificate as <c>smtpd_tls_chain_files</c> (the
    /// private key first, then the certificate and its chain), a security level, protocol floors
    /// for opportunistic and mandatory TLS, and TLS logging.
    /// </summary>
    private static TlsConfiguration ServerConfig(TestPki pki, string level, string protocols, string mandatoryProtocols) =>
        Render.ForInstalledPostfix()
            .Set("smtpd_tls_chain_files", [pki.KeyFile, pki.ChainFile])
            .Set("smtpd_tls_security_level", level)
            .Set("smtpd_tls_protocols", protocols)
            .Set("smtpd_tls_mandatory_protocols", mandatoryProtocols)
            .Set("smtpd_tls_loglevel", "1");

    [LivePostfixTheory]
    [InlineData("may", true)]
    [InlineData("none", false)]
    public void Ehlo_SecurityLevel_OffersStartTlsUnlessNone(string level, bool offered)
    {
        using var postfix = PostfixInstance.Create();
        var pki = TestPki.Create(postfix.PkiDirectory, ServerName, "PostfixConfig Test CA");
        postfix.Start(Render.Files(ServerConfig(pki, level, ">=TLSv1.2", ">=TLSv1.2")));

        var reply = SmtpProbe.Ehlo(postfix.SmtpdPort);

        var advertised = reply.Any(l => l.Length > 4 && l[4..].Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
        Assert.True(advertised == offered, $"smtpd_tls_security_level = {level}: EHLO reply\n{string.Join('\n', reply)}\n{postfix.Describe()}");
    }

    [LivePostfixFact]
    public void StartTls_ChainFilesKeyThenChain_ServesTheConfiguredCertificateAndChain()
    {
        using var postfix = PostfixInstance.Create();
        var pki = TestPki.Create(postfix.PkiDirectory, ServerName, "PostfixConfig Test CA");
        postfix.Start(Render.Files(ServerConfig(pki, "may", ">=TLSv1.2", ">=TLSv1.2")));

        var (served, transcript) = OpenSsl.ServedCertificates(postfix.SmtpdPort);

        Assert.True(served.Count == 2, $"expected the server certificate and the CA certificate:\n{transcript}\n{postfix.Describe()}");
        // OpenSSL's digest of what came over the wire against .NET's digest of what the test made.
        Assert.Equal(pki.ServerSha256, OpenSsl.Sha256Fingerprint(served[0]));
        Assert.Equal(OpenSsl.Sha256FingerprintOfFile(pki.CaFile), OpenSsl.Sha256Fingerprint(served[1]));
    }

    /// <summary>
    /// Protocols below the configured floor are refused by the server (a protocol_version alert),
    /// those at or above it are negotiated. With <c>may</c> the floor is <c>smtpd_tls_protocols</c>;
    /// with <c>encrypt</c> it is <c>smtpd_tls_mandatory_protocols</c>. The last row is the control:
    /// with a floor of TLSv1 this server does accept TLS 1.1, so the refusals above come from the
    /// rendered setting and not from the local OpenSSL policy.
    /// </summary>
    [LivePostfixTheory]
    [InlineData("may", ">=TLSv1.2", ">=TLSv1.2", "tls1_1", "tls1_2 tls1_3")]
    [InlineData("may", ">=TLSv1.3", ">=TLSv1.3", "tls1_1 tls1_2", "tls1_3")]
    [InlineData("encrypt", ">=TLSv1", ">=TLSv1.3", "tls1_2", "tls1_3")]
    [InlineData("may", ">=TLSv1", ">=TLSv1", "", "tls1_1 tls1_2 tls1_3")]
    public void StartTls_ProtocolFloor_RefusesBelowAndAcceptsAtOrAbove(string level, string protocols, string mandatoryProtocols, string refused, string accepted)
    {
        using var postfix = PostfixInstance.Create();
        var pki = TestPki.Create(postfix.PkiDirectory, ServerName, "PostfixConfig Test CA");
        postfix.Start(Render.Files(ServerConfig(pki, level, protocols, mandatoryProtocols)));

        foreach (var protocol in refused.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var handshake = OpenSsl.StartTls(postfix.SmtpdPort, protocol);
            Assert.True(handshake.RefusedProtocolVersion,
                $"-{protocol} should be refused by the server (protocol_version alert):\n{handshake.Output}\n{postfix.Describe()}");
        }

        foreach (var protocol in accepted.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var handshake = OpenSsl.StartTls(postfix.SmtpdPort, protocol);
            Assert.True(handshake.Established, $"-{protocol} should be accepted:\n{handshake.Output}\n{postfix.Describe()}");
            Assert.Equal(ProtocolName(protocol), handshake.Protocol);
        }
    }

    private static string ProtocolName(string sClientSwitch) => sClientSwitch switch
    {
        "tls1" => "TLSv1",
        "tls1_1" => "TLSv1.1",
        "tls1_2" => "TLSv1.2",
        "tls1_3" => "TLSv1.3",
        _ => throw new ArgumentOutOfRangeException(nameof(sClientSwitch), sClientSwitch, "unknown s_client protocol switch"),
    };
}

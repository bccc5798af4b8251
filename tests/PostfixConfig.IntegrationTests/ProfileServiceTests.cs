using PostfixConfig.IntegrationTests.Support;

namespace PostfixConfig.IntegrationTests;

/// <summary>
/// A profile with both submission services, on the wire: the library renders main.cf and
/// master.cf (Debian's stock services, the three smtpd services on free loopback ports), a real
/// Postfix runs them, and plain SMTP and <c>openssl s_client</c> show the port split: port 25
/// offers STARTTLS but takes mail without it, 587 refuses MAIL FROM before STARTTLS, 465 speaks
/// TLS at once, and the profile's protocol floor holds where TLS is mandatory.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public class ProfileServiceTests
{
    private const string ServerName = "mail.pfc-test.example";

    private sealed record Ports(int Smtp, int Submission, int Submissions);

    private static (PostfixInstance Postfix, Ports Ports) Start(string profile)
    {
        var postfix = PostfixInstance.Create();
        try
        {
            var pki = TestPki.Create(postfix.PkiDirectory, ServerName, "PostfixConfig Test CA");
            var ports = new Ports(PostfixInstance.FreePort(), PostfixInstance.FreePort(), PostfixInstance.FreePort());
            var yaml = $$"""
                postfix_version: "{{LiveEnvironment.InstalledVersion}}"
                profile: {{profile}}
                main:
                  smtpd_tls_chain_files: [{{pki.KeyFile}}, {{pki.ChainFile}}]
                  smtpd_tls_loglevel: 1
                services:
                  smtp: {listen: "127.0.0.1:{{ports.Smtp}}"}
                  submission: {listen: "127.0.0.1:{{ports.Submission}}"}
                  submissions: {listen: "127.0.0.1:{{ports.Submissions}}"}
                """;
            var loaded = PostfixTls.LoadYaml(yaml, "live.yaml");
            Assert.False(loaded.HasErrors, string.Join('\n', loaded.Diagnostics));
            postfix.StartWithRenderedMasterCf(Render.Files(loaded.Value), ports.Smtp, ports.Submission, ports.Submissions);
            return (postfix, ports);
        }
        catch
        {
            postfix.Dispose();
            throw;
        }
    }

    [LivePostfixFact]
    public void Intermediate_PortSplitOnTheWire()
    {
        var (postfix, ports) = Start("intermediate");
        using var _ = postfix;

        // Port 25: STARTTLS offered, and mail is accepted without it (RFC 3207).
        var ehlo = SmtpProbe.Ehlo(ports.Smtp);
        Assert.Contains(ehlo, l => l.Length > 4 && l[4..] == "STARTTLS");
        var (mail, rcpt) = SmtpProbe.PlainTransaction(ports.Smtp);
        Assert.True(mail.StartsWith("250", StringComparison.Ordinal) && rcpt!.StartsWith("250", StringComparison.Ordinal), $"port 25: {mail} / {rcpt}\n{postfix.Describe()}");

        // 587: STARTTLS is required before MAIL FROM.
        Assert.Contains(SmtpProbe.Ehlo(ports.Submission), l => l.Length > 4 && l[4..] == "STARTTLS");
        var (submission, _) = SmtpProbe.PlainTransaction(ports.Submission);
        Assert.True(submission.StartsWith("530", StringComparison.Ordinal), $"587 accepted MAIL FROM without TLS: {submission}\n{postfix.Describe()}");

        // 465: no plain-text greeting; TLS at once.
        Assert.Null(SmtpProbe.PlainGreeting(ports.Submissions, TimeSpan.FromSeconds(2)));
        var implicitTls = OpenSsl.ImplicitTls(ports.Submissions, "tls1_3");
        Assert.True(implicitTls.Established, implicitTls.Output);

        // The profile's floor: TLS 1.1 refused where TLS is mandatory, accepted on port 25 (the control).
        AssertRefused(OpenSsl.StartTls(ports.Submission, "tls1_1"), postfix);
        AssertRefused(OpenSsl.ImplicitTls(ports.Submissions, "tls1_1"), postfix);
        AssertAccepted(OpenSsl.StartTls(ports.Submission, "tls1_2"), "TLSv1.2", postfix);
        AssertAccepted(OpenSsl.ImplicitTls(ports.Submissions, "tls1_2"), "TLSv1.2", postfix);
        AssertAccepted(OpenSsl.StartTls(ports.Smtp, "tls1_1"), "TLSv1.1", postfix);
    }

    [LivePostfixFact]
    public void Modern_Tls11AcceptedNowhereTls12OnlyOnPort25()
    {
        var (postfix, ports) = Start("modern");
        using var _ = postfix;

        AssertRefused(OpenSsl.StartTls(ports.Smtp, "tls1_1"), postfix);
        AssertRefused(OpenSsl.StartTls(ports.Submission, "tls1_1"), postfix);
        AssertRefused(OpenSsl.ImplicitTls(ports.Submissions, "tls1_1"), postfix);
        AssertAccepted(OpenSsl.StartTls(ports.Smtp, "tls1_2"), "TLSv1.2", postfix);
        AssertRefused(OpenSsl.StartTls(ports.Submission, "tls1_2"), postfix);
        AssertRefused(OpenSsl.ImplicitTls(ports.Submissions, "tls1_2"), postfix);
        AssertAccepted(OpenSsl.StartTls(ports.Submission, "tls1_3"), "TLSv1.3", postfix);
        AssertAccepted(OpenSsl.ImplicitTls(ports.Submissions, "tls1_3"), "TLSv1.3", postfix);

        // Port 25 still takes mail without TLS.
        var (mail, _) = SmtpProbe.PlainTransaction(ports.Smtp);
        Assert.StartsWith("250", mail, StringComparison.Ordinal);
    }

    private static void AssertRefused(OpenSsl.Handshake handshake, PostfixInstance postfix) =>
        Assert.True(handshake.RefusedProtocolVersion, $"expected a protocol_version refusal:\n{handshake.Output}\n{postfix.Describe()}");

    private static void AssertAccepted(OpenSsl.Handshake handshake, string protocol, PostfixInstance postfix)
    {
        Assert.True(handshake.Established, $"expected {protocol}:\n{handshake.Output}\n{postfix.Describe()}");
        Assert.Equal(protocol, handshake.Protocol);
    }
}

using System.Text.RegularExpressions;
using PostfixConfig.IntegrationTests.Support;

namespace PostfixConfig.IntegrationTests;

/// <summary>
/// The SMTP client side, on the wire: a message goes through Postfix's smtp client to a second
/// smtpd of the same instance on another loopback port (the receiver, which serves the test
/// certificate and discards what it accepts). The rendered TLS policy table has one entry for
/// that next hop, <c>[127.0.0.1]:PORT</c>; Postfix's log shows the TLS trust it reached
/// ("Untrusted", "Trusted" or "Verified TLS connection established") and whether the message
/// was delivered or deferred.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public partial class OutboundTlsTests
{
    private const string ServerName = "mail.pfc-test.example";

    [LivePostfixFact]
    public void Deliver_PolicyEncrypt_UntrustedTlsAndDelivered()
    {
        var outcome = Deliver((_, nextHop) => (new TlsPolicyEntry(nextHop, ClientSecurityLevel.Encrypt), null));

        outcome.AssertDelivered("Untrusted");
    }

    [LivePostfixFact]
    public void Deliver_PolicyEncryptWithCaFile_TrustedTlsAndDelivered()
    {
        var outcome = Deliver((pki, nextHop) => (new TlsPolicyEntry(nextHop, ClientSecurityLevel.Encrypt), pki.CaFile));

        outcome.AssertDelivered("Trusted");
    }

    [LivePostfixFact]
    public void Deliver_PolicyFingerprintMatchingSha256_VerifiedTlsAndDelivered()
    {
        var outcome = Deliver((pki, nextHop) =>
        {
            var fingerprint = OpenSsl.Sha256FingerprintOfFile(pki.CertificateFile);
            Assert.Equal(pki.ServerSha256, fingerprint); // OpenSSL and .NET agree on what is being matched
            return (new TlsPolicyEntry(nextHop, ClientSecurityLevel.Fingerprint) { Match = [fingerprint] }, null);
        });

        outcome.AssertDelivered("Verified");
    }

    /// <summary>The fingerprint of another certificate: the server is not the one named, so the mail waits.</summary>
    [LivePostfixFact]
    public void Deliver_PolicyFingerprintOfAnotherCertificate_Deferred()
    {
        var outcome = Deliver((pki, nextHop) =>
        {
            var other = TestPki.Create(Path.Combine(pki.Directory, "other"), "other.pfc-test.example", "Another Test CA");
            var wrong = OpenSsl.Sha256FingerprintOfFile(other.CertificateFile);
            Assert.NotEqual(pki.ServerSha256, wrong);
            return (new TlsPolicyEntry(nextHop, ClientSecurityLevel.Fingerprint) { Match = [wrong] }, null);
        });

        outcome.AssertDeferred();
    }

    [LivePostfixFact]
    public void Deliver_PolicyVerifyWithCaFileAndCertificateName_VerifiedTlsAndDelivered()
    {
        var outcome = Deliver((pki, nextHop) =>
            (new TlsPolicyEntry(nextHop, ClientSecurityLevel.Verify) { Match = [pki.ServerName] }, pki.CaFile));

        outcome.AssertDelivered("Verified");
    }

    [LivePostfixFact]
    public void Deliver_PolicyVerifyWithAnotherName_Deferred()
    {
        var outcome = Deliver((pki, nextHop) =>
            (new TlsPolicyEntry(nextHop, ClientSecurityLevel.Verify) { Match = ["other.pfc-test.example"] }, pki.CaFile));

        outcome.AssertDeferred();
    }

    /// <summary>The trust anchor comes from the policy entry (<c>tafile</c>), not from main.cf.</summary>
    [LivePostfixFact]
    public void Deliver_PolicySecureWithTaFileAndCertificateName_VerifiedTlsAndDelivered()
    {
        var outcome = Deliver((pki, nextHop) =>
            (new TlsPolicyEntry(nextHop, ClientSecurityLevel.Secure) { Match = [pki.ServerName], TaFile = [pki.CaFile] }, null));

        outcome.AssertDelivered("Verified");
    }

    /// <summary>
    /// Starts an instance whose main.cf is rendered by the library: the receiver's certificate
    /// (<c>smtpd_tls_chain_files</c>, opportunistic TLS), client TLS logging, the SHA-256 digest
    /// for fingerprints, an optional <c>smtp_tls_CAfile</c>, and a hash policy table holding the
    /// one entry <paramref name="policy"/> makes for the receiver's next hop. Then sends a
    /// message and waits until the smtp client logs its fate.
    /// </summary>
    private static Outcome Deliver(Func<TestPki, string, (TlsPolicyEntry Entry, string? CaFile)> policy)
    {
        using var postfix = PostfixInstance.Create();
        var pki = TestPki.Create(postfix.PkiDirectory, ServerName, "PostfixConfig Test CA");
        var (entry, caFile) = policy(pki, postfix.ReceiverNextHop);

        var config = Render.ForInstalledPostfix()
            .Set("smtpd_tls_chain_files", [pki.KeyFile, pki.ChainFile])
            .Set("smtpd_tls_security_level", "may")
            .Set("smtp_tls_loglevel", "1")
            .Set("smtp_tls_fingerprint_digest", "sha256")
            .Set("smtp_tls_policy_maps", $"hash:{Path.Combine(postfix.ConfigDirectory, "tls_policy")}")
            .WithPolicy(entry);
        if (caFile is not null)
        {
            config = config.Set("smtp_tls_CAfile", caFile);
        }

        var rendered = Render.Files(config);
        Assert.NotNull(rendered.Find("tls_policy"));
        postfix.Start(rendered, relayToReceiver: true);

        var recipient = $"{Guid.NewGuid():N}@dest.pfc-test.example";
        postfix.Send("sender@sender.pfc-test.example", recipient, "PostfixConfig live test: " + entry.RenderValue());

        var to = Regex.Escape($"to=<{recipient}>");
        var status = postfix.WaitForLogLine(
            new Regex($@" postfix/smtp\[\d+\]: [0-9A-F]+: {to}, relay=.* status=(sent|deferred|bounced) "),
            $"the smtp client's delivery status for {recipient}");
        var delivered = status.Contains(" status=sent ", StringComparison.Ordinal)
            ? postfix.WaitForLogLine(new Regex($@" postfix/discard\[\d+\]: [0-9A-F]+: {to}, .*status=sent "), "the receiver's acceptance")
            : null;

        var tlsLine = new Regex($@" postfix/smtp\[\d+\]: (\w+) TLS connection established to 127\.0\.0\.1\[127\.0\.0\.1\]:{postfix.ReceiverPort}: ");
        var log = postfix.Log;
        var trust = log.Split('\n').Select(l => tlsLine.Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var problems = log.Split('\n').Where(l => ProblemPattern().IsMatch(l)).ToList();
        return new Outcome(entry.RenderValue(), status, delivered, trust, problems, postfix.Describe());
    }

    /// <param name="Policy">The policy table value under test.</param>
    /// <param name="Status">The smtp client's status line for the message.</param>
    /// <param name="Accepted">The receiver's delivery line, when the client sent the message.</param>
    /// <param name="Trust">The trust word of each client TLS connection to the receiver, in log order.</param>
    /// <param name="Problems">Log lines with a warning, error, fatal or panic: none are expected.</param>
    /// <param name="Context">main.cf and the whole log, for assertion messages.</param>
    private sealed record Outcome(string Policy, string Status, string? Accepted, IReadOnlyList<string> Trust, IReadOnlyList<string> Problems, string Context)
    {
        public void AssertDelivered(string expectedTrust)
        {
            AssertNoProblems();
            Assert.True(Status.Contains(" status=sent ", StringComparison.Ordinal) && Accepted is not null,
                $"policy '{Policy}': expected delivery, got: {Status}\n{Context}");
            Assert.True(Trust.Count > 0 && Trust.All(t => t == expectedTrust),
                $"policy '{Policy}': expected '{expectedTrust} TLS connection established', saw [{string.Join(", ", Trust)}]\n{Context}");
        }

        /// <summary>
        /// Deferred because of the certificate check: a TLS connection was made, found untrusted,
        /// and the client gave up before sending ("Server certificate not verified"), rather than
        /// deferred by a configuration or table problem.
        /// </summary>
        public void AssertDeferred()
        {
            AssertNoProblems();
            Assert.True(Status.Contains(" status=deferred (Server certificate not verified)", StringComparison.Ordinal),
                $"policy '{Policy}': expected the message to be deferred for an unverified server certificate, got: {Status}\n{Context}");
            Assert.True(Accepted is null && !Context.Contains(" status=sent ", StringComparison.Ordinal),
                $"policy '{Policy}': the message must not be delivered\n{Context}");
            Assert.True(Trust.Count > 0 && Trust.All(t => t == "Untrusted"),
                $"policy '{Policy}': expected 'Untrusted TLS connection established', saw [{string.Join(", ", Trust)}]\n{Context}");
        }

        private void AssertNoProblems() =>
            Assert.True(Problems.Count == 0, $"policy '{Policy}': Postfix logged problems:\n{string.Join('\n', Problems)}\n{Context}");
    }

    [GeneratedRegex(@" (warning|error|fatal|panic): ")]
    private static partial Regex ProblemPattern();
}

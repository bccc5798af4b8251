using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Certificates;

/// <summary>
/// --check-files with a published MTA-STS policy: every mx pattern must cover a name of the server
/// certificate, since enforcing senders check the MX host's certificate against its name (RFC 8461 4.2).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PublishedPolicyCheckTests
{
    private static TlsConfiguration WithPolicy(TlsConfiguration config, MtaStsMode mode, params string[] mx) =>
        config with { Publish = new PublishedPolicy("example.com") { MtaSts = new MtaStsPolicy(mode, mx) } };

    [Theory]
    [InlineData(new[] { "mail.example.com" }, new[] { "mail.example.com" }, new string[0])]
    [InlineData(new[] { "mail.example.com" }, new[] { "mail.example.com", "mx2.example.com" }, new[] { "mx2.example.com" })]
    [InlineData(new[] { "mx1.example.net" }, new[] { "*.example.net" }, new string[0])]        // a host under the wildcard
    [InlineData(new[] { "*.example.net" }, new[] { "*.example.net" }, new string[0])]          // the same wildcard
    [InlineData(new[] { "a.b.example.net" }, new[] { "*.example.net" }, new[] { "*.example.net" })] // two labels: not under it
    [InlineData(new[] { "*.example.net" }, new[] { "mail.example.net" }, new string[0])]       // HostNameMatcher: the certificate covers the MX name
    public void CheckFiles_EachPatternWithoutACertificateName_IsAWarning(string[] names, string[] mx, string[] uncovered)
    {
        using var chain = new TestChain(KeyKind.Ecdsa, names);
        using var files = new CertificateFiles();
        var config = WithPolicy(CertificateFiles.Server(files.Key("key.pem", chain.Leaf), files.Write("chain.pem", chain.FullChainPem)), MtaStsMode.Enforce, mx);
        var found = CertificateFiles.Check(config, chain.Root).Where(d => d.Code == DiagnosticCodes.PublishedMxNotInCertificate).ToList();
        Assert.Equal(uncovered, found.Select(d => d.Message.Split(' ')[3]).ToArray());
        Assert.All(found, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }

    [Fact]
    public void CheckFiles_ModeNone_AndNoPolicy_CheckNothing()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, ["mail.example.com"]);
        using var files = new CertificateFiles();
        var server = CertificateFiles.Server(files.Key("key.pem", chain.Leaf), files.Write("chain.pem", chain.FullChainPem));
        Assert.DoesNotContain(CertificateFiles.Check(WithPolicy(server, MtaStsMode.None, "other.example.org"), chain.Root), d => d.Code == DiagnosticCodes.PublishedMxNotInCertificate);
        Assert.DoesNotContain(CertificateFiles.Check(server, chain.Root), d => d.Code == DiagnosticCodes.PublishedMxNotInCertificate);
    }

    [Fact]
    public void CheckFiles_UnreadableCertificate_SaysThePatternsWereNotChecked()
    {
        var config = WithPolicy(CertificateFiles.Server("/nonexistent/pfc/key.pem", "/nonexistent/pfc/chain.pem"), MtaStsMode.Enforce, "mail.example.com");
        var found = CertificateFiles.Check(config);
        Assert.Contains(found, d => d.Code == DiagnosticCodes.NotChecked && d.Message.StartsWith("The MX patterns of the published policy were not checked", StringComparison.Ordinal));
        Assert.DoesNotContain(found, d => d.Code == DiagnosticCodes.PublishedMxNotInCertificate);
    }
}

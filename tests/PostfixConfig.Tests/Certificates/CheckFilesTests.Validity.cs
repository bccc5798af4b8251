using PostfixConfig.Diagnostics;
using static PostfixConfig.Diagnostics.DiagnosticCodes;

namespace PostfixConfig.Tests.Certificates;

/// <summary>Validity period, names and usages of the certificate.</summary>
public partial class CheckFilesTests
{
    private static DiagnosticList CheckLeaf(TestChain chain, string hostName = "mail.example.com")
    {
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf), files.Write("fullchain.pem", chain.FullChainPem))
            .Set("myhostname", hostName);
        return CertificateFiles.Check(config, chain.Root);
    }

    [Fact]
    public void CheckFiles_ExpiredCertificate_Error()
    {
        using var chain = new TestChain(notBefore: TestPki.Now.AddDays(-100), notAfter: TestPki.Now.AddDays(-10));

        var diagnostics = CheckLeaf(chain);

        Assert.Contains("expired on 2026-06-05 12:00 UTC", Expect.Single(diagnostics, CertificateExpired, DiagnosticSeverity.Error).Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, CertificateExpired);
    }

    [Fact]
    public void CheckFiles_ExpiresInFiveDays_Warning()
    {
        using var chain = new TestChain(notAfter: TestPki.Now.AddDays(5).AddHours(1));

        var diagnostics = CheckLeaf(chain);

        Assert.Contains("in 5 days", Expect.Single(diagnostics, CertificateExpiresSoon, DiagnosticSeverity.Warning).Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, CertificateExpiresSoon);
    }

    [Theory]
    [InlineData(13.9, true)]
    [InlineData(14.1, false)]
    [InlineData(20, false)]
    public void CheckFiles_ExpiryNearFourteenDays_WarnsOnlyInside(double days, bool warns)
    {
        using var chain = new TestChain(notAfter: TestPki.Now.AddDays(days));

        var diagnostics = CheckLeaf(chain);

        Assert.Equal(warns, diagnostics.Any(d => d.Code == CertificateExpiresSoon));
    }

    [Fact]
    public void CheckFiles_NotYetValid_Error()
    {
        using var chain = new TestChain(notBefore: TestPki.Now.AddDays(2), notAfter: TestPki.Now.AddDays(90));

        Expect.Single(CheckLeaf(chain), CertificateNotYetValid, DiagnosticSeverity.Error);
    }

    [Fact]
    public void CheckFiles_ExpiredIntermediate_ChainWarning()
    {
        using var root = TestPki.Root();
        using var intermediate = TestPki.Intermediate(root, notBefore: TestPki.Now.AddYears(-3), notAfter: TestPki.Now.AddDays(-1));
        using var leaf = TestPki.Leaf(intermediate, KeyKind.Rsa, ["mail.example.com"]);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("k.pem", leaf), files.Certificates("c.pem", leaf, intermediate));

        var diagnostics = CertificateFiles.Check(config, root);

        Expect.Single(diagnostics, ChainCertificateNotValid, DiagnosticSeverity.Warning);
        Expect.OnlyProblems(diagnostics, ChainCertificateNotValid);
    }

    [Fact]
    public void CheckFiles_NamesDoNotCoverMyhostname_Warning()
    {
        using var chain = new TestChain(names: ["www.example.com", "example.com"]);

        var diagnostics = CheckLeaf(chain);

        var warning = Expect.Single(diagnostics, HostNameNotCovered, DiagnosticSeverity.Warning);
        Assert.Contains("names www.example.com, example.com, which does not cover mail.example.com (myhostname)", warning.Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, HostNameNotCovered);
        Expect.Lacks(diagnostics, WebCertificateReusable);
    }

    [Fact]
    public void CheckFiles_WildcardWebCertificate_CoversMailHostAndIsReusable()
    {
        using var chain = new TestChain(names: ["example.com", "*.example.com"]);

        var diagnostics = CheckLeaf(chain);

        Expect.NoWarningOrError(diagnostics);
        Assert.Contains("works for mail too", Expect.Single(diagnostics, WebCertificateReusable, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_WildcardDoesNotCoverTwoLabels_Warning()
    {
        using var chain = new TestChain(names: ["*.example.com"]);

        Expect.Single(CheckLeaf(chain, "mx.mail.example.com"), HostNameNotCovered, DiagnosticSeverity.Warning);
    }

    [Fact]
    public void CheckFiles_HostNameOption_OverridesMyhostname()
    {
        using var chain = new TestChain(names: ["mx1.example.com"]);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("k.pem", chain.Leaf), files.Write("c.pem", chain.FullChainPem));

        var diagnostics = PostfixTls.CheckFiles(config, CertificateFiles.Options(chain.Root) with { HostName = "mx1.example.com" });

        Expect.NoWarningOrError(diagnostics);
    }

    [Fact]
    public void CheckFiles_ServerCertificateWithClientAuthOnly_NoServerAuthWarning()
    {
        using var chain = new TestChain(eku: [TestPki.ClientAuth]);

        var diagnostics = CheckLeaf(chain);

        Expect.Single(diagnostics, NoServerAuthUsage, DiagnosticSeverity.Warning);
        Expect.Lacks(diagnostics, WebCertificateReusable);
    }

    [Fact]
    public void CheckFiles_ClientCertificateWithoutClientAuth_InformationAndNoNameCheck()
    {
        using var chain = new TestChain(names: ["client.example.org"]);
        using var files = new CertificateFiles();
        var config = new TlsConfiguration()
            .Set("myhostname", "mail.example.com")
            .Set("smtp_tls_chain_files", [files.Key("k.pem", chain.Leaf), files.Write("c.pem", chain.FullChainPem)]);

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Expect.NoWarningOrError(diagnostics);
        Assert.Equal("smtp_tls_chain_files", Expect.Single(diagnostics, NoClientAuthUsage, DiagnosticSeverity.Info).Parameter);
        Expect.Lacks(diagnostics, TrustChain);
    }
}

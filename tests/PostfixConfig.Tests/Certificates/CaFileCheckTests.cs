using PostfixConfig.Diagnostics;
using static PostfixConfig.Diagnostics.DiagnosticCodes;

namespace PostfixConfig.Tests.Certificates;

/// <summary>Issue 21: a CA file that holds only a leaf, or the server's own certificate, is flagged under --check-files.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CaFileCheckTests
{
    [Fact]
    public void CheckFiles_ClientCaFileIsTheServersOwnCertificate_Warns()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var cert = files.Certificates("cert.pem", chain.Leaf);
        var config = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf), files.Write("fullchain.pem", chain.FullChainPem))
            .Set("smtp_tls_CAfile", cert);

        var warning = Expect.Single(CertificateFiles.Check(config, chain.Root), CaFileWithoutCa, DiagnosticSeverity.Warning);

        Assert.Equal("smtp_tls_CAfile", warning.Parameter);
        Assert.Contains("this server's own certificate and no CA certificate", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_CaFileWithOnlySomeOtherLeaf_Warns_WithACaBundle_DoesNot()
    {
        using var chain = new TestChain();
        using var other = new TestChain(names: ["other.example"]);
        using var files = new CertificateFiles();
        var leafOnly = files.Certificates("leaf.pem", other.Leaf);
        var bundle = files.Certificates("ca.pem", chain.Root, chain.Intermediate);
        var server = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf), files.Write("fullchain.pem", chain.FullChainPem));

        var warning = Expect.Single(CertificateFiles.Check(server.Set("smtpd_tls_CAfile", leafOnly), chain.Root), CaFileWithoutCa, DiagnosticSeverity.Warning);
        Assert.Contains("only leaf certificates (1 of them)", warning.Message, StringComparison.Ordinal);

        Expect.Lacks(CertificateFiles.Check(server.Set("smtp_tls_CAfile", bundle), chain.Root), CaFileWithoutCa);
    }
}

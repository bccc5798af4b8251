using PostfixConfig.Diagnostics;
using static PostfixConfig.Diagnostics.DiagnosticCodes;

namespace PostfixConfig.Tests.Certificates;

/// <summary>Complete, correct setups: information only, never a warning.</summary>
public partial class CheckFilesTests
{
    [Theory]
    [InlineData(KeyKind.Rsa)]
    [InlineData(KeyKind.Ecdsa)]
    public void CheckFiles_LetsEncryptStyleChainFiles_NoWarningOrError(KeyKind kind)
    {
        using var chain = new TestChain(kind);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf), files.Write("fullchain.pem", chain.FullChainPem));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Expect.NoWarningOrError(diagnostics);
        var summary = Expect.Single(diagnostics, CertificateSummary, DiagnosticSeverity.Info);
        Assert.Contains(kind == KeyKind.Rsa ? "RSA 2048-bit key" : "ECDSA P-256 key", summary.Message, StringComparison.Ordinal);
        Assert.Contains("valid until 2026-09-03", summary.Message, StringComparison.Ordinal);
        Assert.Contains("(80 days left)", summary.Message, StringComparison.Ordinal);
        Assert.Contains("leads to CN=Test Root CA", Expect.Single(diagnostics, TrustChain, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
        Expect.Single(diagnostics, WebCertificateReusable, DiagnosticSeverity.Info);
        Assert.Equal("smtpd_tls_chain_files", summary.Parameter);
    }

    [Fact]
    public void CheckFiles_RsaAndEcdsaPairsInOneList_BothCheckedWithoutWarning()
    {
        using var rsa = new TestChain(KeyKind.Rsa);
        using var ec = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(
            files.Key("rsa.key", rsa.Leaf), files.Write("rsa-fullchain.pem", rsa.FullChainPem),
            files.Key("ec.key", ec.Leaf), files.Write("ec-fullchain.pem", ec.FullChainPem));

        var diagnostics = CertificateFiles.Check(config, rsa.Root);

        Expect.NoWarningOrError(diagnostics);
        Assert.Equal(2, diagnostics.Count(d => d.Code == CertificateSummary));
    }

    [Fact]
    public void CheckFiles_KeyAndChainInOneChainFile_NoWarningOrError()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        var combined = files.Write("combined.pem", chain.Leaf.KeyPkcs8Pem + chain.FullChainPem, CertificateFiles.Mode600);

        Expect.NoWarningOrError(CertificateFiles.Check(CertificateFiles.Server(combined), chain.Root));
    }

    [Theory]
    [InlineData(KeyKind.Rsa)]
    [InlineData(KeyKind.Ecdsa)]
    public void CheckFiles_LegacyCertAndKeyFilesWithTraditionalKey_NoWarningOrError(KeyKind kind)
    {
        using var chain = new TestChain(kind);
        using var files = new CertificateFiles();
        var (certParameter, keyParameter) = kind == KeyKind.Rsa
            ? ("smtpd_tls_cert_file", "smtpd_tls_key_file")
            : ("smtpd_tls_eccert_file", "smtpd_tls_eckey_file");
        var config = new TlsConfiguration()
            .Set("myhostname", "mail.example.com")
            .Set(certParameter, files.Write("fullchain.pem", chain.FullChainPem))
            .Set(keyParameter, files.Key("traditional.key", chain.Leaf, traditional: true));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Expect.NoWarningOrError(diagnostics);
        Assert.Equal(certParameter, Expect.Single(diagnostics, CertificateSummary, DiagnosticSeverity.Info).Parameter);
    }

    [Fact]
    public void CheckFiles_CombinedCertFileWithKeyLast_KeyFileDefaultsToCertFile()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var combined = files.Write("mail.pem", chain.FullChainPem + chain.Leaf.KeyTraditionalPem, CertificateFiles.Mode600);
        var config = new TlsConfiguration().Set("myhostname", "mail.example.com").Set("smtpd_tls_cert_file", combined);

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Expect.NoWarningOrError(diagnostics);
        Expect.Single(diagnostics, CertificateSummary, DiagnosticSeverity.Info);
    }

    [Fact]
    public void CheckFiles_ConfigDirectoryReference_ExpandedAndChecked()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        files.Key("key.pem", chain.Leaf);
        files.Write("chain.pem", chain.FullChainPem);
        var config = CertificateFiles.Server("${config_directory}/key.pem", "$config_directory/chain.pem");

        var diagnostics = PostfixTls.CheckFiles(config, CertificateFiles.Options(chain.Root) with { ConfigDirectory = files.Path });

        Expect.NoWarningOrError(diagnostics);
        Assert.Contains(Path.Combine(files.Path, "chain.pem"), Expect.Single(diagnostics, CertificateSummary, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_SystemTrustStoreWithoutTestRoot_TrustIsInformationNotWarning()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf), files.Write("fullchain.pem", chain.FullChainPem));

        var diagnostics = CertificateFiles.Check(config, trustedRoot: null);

        Expect.NoWarningOrError(diagnostics);
        var trust = Expect.Single(diagnostics, TrustChain, DiagnosticSeverity.Info);
        Assert.Contains("does not lead to a root in the system trust store", trust.Message, StringComparison.Ordinal);
        Assert.Contains("CN=Test Intermediate CA", trust.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_LeafWithoutIntermediate_TrustInformationSuggestsFullChain()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf), files.Certificates("cert.pem", chain.Leaf));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Expect.NoWarningOrError(diagnostics);
        Assert.Contains("use fullchain.pem, not cert.pem", Expect.Single(diagnostics, TrustChain, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_SelfSignedCertificate_InformationOnly()
    {
        using var snakeoil = TestPki.SelfSigned(KeyKind.Rsa, "debian.localdomain");
        using var files = new CertificateFiles();
        var config = new TlsConfiguration()
            .Set("myhostname", "mail.example.com")
            .Set("smtpd_tls_cert_file", files.Certificates("ssl-cert-snakeoil.pem", snakeoil))
            .Set("smtpd_tls_key_file", files.Key("ssl-cert-snakeoil.key", snakeoil));

        var diagnostics = CertificateFiles.Check(config);

        Expect.NoWarningOrError(diagnostics);
        var info = Expect.Single(diagnostics, SelfSignedCertificate, DiagnosticSeverity.Info);
        Assert.Contains("opportunistic TLS", info.Message, StringComparison.Ordinal);
        Assert.Contains("will not trust it", info.Message, StringComparison.Ordinal);
        Expect.Lacks(diagnostics, WebCertificateReusable);
    }

    /// <summary>Debian's default main.cf names the snakeoil pair that the ssl-cert package (a postfix dependency) makes.</summary>
    [Support.PostfixFact]
    public void CheckFiles_DebianSnakeoilDefaults_InformationOnly()
    {
        var config = new TlsConfiguration()
            .Set("myhostname", "mail.example.com")
            .Set("smtpd_tls_cert_file", "/etc/ssl/certs/ssl-cert-snakeoil.pem")
            .Set("smtpd_tls_key_file", "/etc/ssl/private/ssl-cert-snakeoil.key");

        var diagnostics = PostfixTls.CheckFiles(config);

        Expect.NoWarningOrError(diagnostics);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Contains("Debian's \"snakeoil\" certificate", Expect.Single(diagnostics, SelfSignedCertificate, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
        }
        else
        {
            // The key is root:ssl-cert 0640 in a 0710 folder: only root and members of ssl-cert can read it.
            Assert.Contains(diagnostics, d => d.Code is CertificateFileNotReadableAsUser or SelfSignedCertificate);
        }
    }

    [Fact]
    public void CheckFiles_NoMyHostname_NamesNotCheckedInformation()
    {
        using var chain = new TestChain(names: ["other.example.net"]);
        using var files = new CertificateFiles();
        var config = new TlsConfiguration().Set("smtpd_tls_chain_files", [files.Key("k.pem", chain.Leaf), files.Write("c.pem", chain.FullChainPem)]);

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Expect.NoWarningOrError(diagnostics);
        Assert.Contains("myhostname is not set", Expect.Single(diagnostics, NotChecked, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_NothingConfigured_SaysSo()
    {
        var diagnostics = CertificateFiles.Check(new TlsConfiguration().Set("smtpd_tls_security_level", "may"));

        Assert.Contains("nothing to check", Expect.Single(diagnostics, NotChecked, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_UnresolvedReference_NotCheckedInformation()
    {
        var diagnostics = CertificateFiles.Check(new TlsConfiguration().Set("smtpd_tls_cert_file", "$cert_dir/mail.pem"));

        Expect.NoWarningOrError(diagnostics);
        Assert.Contains("$cert_dir is not set", Expect.Single(diagnostics, NotChecked, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_Messages_NeverContainKeyMaterial()
    {
        using var chain = new TestChain();
        using var other = new TestChain();
        using var files = new CertificateFiles();
        var keyPem = chain.Leaf.KeyPkcs8Pem;
        var config = CertificateFiles.Server(files.Write("privkey.pem", keyPem, CertificateFiles.Mode644), files.Write("fullchain.pem", other.FullChainPem));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Assert.True(diagnostics.HasErrors);
        var bodyLines = keyPem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(bodyLines);
        foreach (var d in diagnostics)
        {
            Assert.DoesNotContain("BEGIN", d.Message, StringComparison.Ordinal);
            Assert.All(bodyLines, line => Assert.DoesNotContain(line[..20], d.Message, StringComparison.Ordinal));
        }
    }
}

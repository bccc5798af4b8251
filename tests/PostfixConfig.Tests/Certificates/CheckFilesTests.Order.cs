using PostfixConfig.Diagnostics;
using static PostfixConfig.Diagnostics.DiagnosticCodes;

namespace PostfixConfig.Tests.Certificates;

/// <summary>What Postfix's PEM loader refuses: wrong order, mismatched keys, extra objects.</summary>
public partial class CheckFilesTests
{
    [Fact]
    public void CheckFiles_CertificateListedBeforeKey_ChainOrderError()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Write("fullchain.pem", chain.FullChainPem), files.Key("privkey.pem", chain.Leaf));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        var error = Expect.Single(diagnostics, ChainOrder, DiagnosticSeverity.Error);
        Assert.Contains("starts with a certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains("privkey.pem, then fullchain.pem", error.Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, ChainOrder);
    }

    [Fact]
    public void CheckFiles_CertificateBeforeKeyInOneChainFile_ChainOrderErrorNamesTheKey()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Write("all.pem", chain.FullChainPem + chain.Leaf.KeyPkcs8Pem, CertificateFiles.Mode600));

        var error = Expect.Single(CertificateFiles.Check(config, chain.Root), ChainOrder, DiagnosticSeverity.Error);

        Assert.Contains("The key comes later, at PEM object 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_IssuerBeforeLeaf_ChainOrderErrorNamesTheLeaf()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf), files.Certificates("chain.pem", chain.Intermediate, chain.Leaf));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        var error = Expect.Single(diagnostics, ChainOrder, DiagnosticSeverity.Error);
        Assert.Contains("PEM object 1 in " + Path.Combine(files.Path, "chain.pem") + " (Test Intermediate CA)", error.Message, StringComparison.Ordinal);
        Assert.Contains("belongs to PEM object 2", error.Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, ChainOrder);
    }

    [Fact]
    public void CheckFiles_LegacyCertFileWithIssuerFirst_ChainOrderError()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        var config = new TlsConfiguration()
            .Set("smtpd_tls_cert_file", files.Certificates("chain.pem", chain.Intermediate, chain.Leaf))
            .Set("smtpd_tls_key_file", files.Key("key.pem", chain.Leaf));

        Expect.Single(CertificateFiles.Check(config, chain.Root), ChainOrder, DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData(KeyKind.Rsa)]
    [InlineData(KeyKind.Ecdsa)]
    public void CheckFiles_KeyOfAnotherCertificate_KeyMismatchError(KeyKind kind)
    {
        using var chain = new TestChain(kind);
        using var other = TestPki.Leaf(chain.Intermediate, kind, ["mail.example.com"]);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("privkey.pem", other), files.Write("fullchain.pem", chain.FullChainPem));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        Assert.Contains("does not belong to the certificate", Expect.Single(diagnostics, KeyMismatch, DiagnosticSeverity.Error).Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, KeyMismatch);
        Expect.Lacks(diagnostics, CertificateSummary);
    }

    [Fact]
    public void CheckFiles_EcdsaKeyWithRsaCertificate_KeyMismatchError()
    {
        using var rsa = new TestChain(KeyKind.Rsa);
        using var ec = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        var config = new TlsConfiguration()
            .Set("smtpd_tls_cert_file", files.Write("rsa.pem", rsa.FullChainPem))
            .Set("smtpd_tls_key_file", files.Key("ec.key", ec.Leaf));

        Expect.Single(CertificateFiles.Check(config, rsa.Root), KeyMismatch, DiagnosticSeverity.Error);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void CheckFiles_TwoRsaPairs_DuplicateKeyAlgorithmError()
    {
        using var first = new TestChain(KeyKind.Rsa);
        using var second = new TestChain(KeyKind.Rsa);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(
            files.Key("a.key", first.Leaf), files.Write("a.pem", first.FullChainPem),
            files.Key("b.key", second.Leaf), files.Write("b.pem", second.FullChainPem));

        var error = Expect.Single(CertificateFiles.Check(config, first.Root), DuplicateKeyAlgorithm, DiagnosticSeverity.Error);

        Assert.Contains("second RSA key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_TwoKeysBackToBack_ChainOrderError()
    {
        using var rsa = new TestChain(KeyKind.Rsa);
        using var ec = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("rsa.key", rsa.Leaf), files.Key("ec.key", ec.Leaf), files.Write("rsa.pem", rsa.FullChainPem));

        Assert.Contains("followed by another key", Expect.Single(CertificateFiles.Check(config, rsa.Root), ChainOrder, DiagnosticSeverity.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_KeyWithoutCertificate_MissingError()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();

        var diagnostics = CertificateFiles.Check(CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf)));

        Assert.Contains("has no certificate after it", Expect.Single(diagnostics, MissingKeyOrCertificate, DiagnosticSeverity.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_CombinedCertFileWithoutKey_MissingErrorNamesKeyParameter()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var config = new TlsConfiguration().Set("smtpd_tls_cert_file", files.Write("fullchain.pem", chain.FullChainPem));

        var error = Expect.Single(CertificateFiles.Check(config, chain.Root), MissingKeyOrCertificate, DiagnosticSeverity.Error);

        Assert.Contains("Set smtpd_tls_key_file to the key file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_EcParametersBlockBeforeKey_UnexpectedPemObjectError()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        const string EcParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        var config = CertificateFiles.Server(
            files.Write("privkey.pem", EcParameters + chain.Leaf.KeyTraditionalPem, CertificateFiles.Mode600),
            files.Write("fullchain.pem", chain.FullChainPem));

        var error = Expect.Single(CertificateFiles.Check(config, chain.Root), UnexpectedPemObject, DiagnosticSeverity.Error);

        Assert.Contains("PEM object 1 (EC PARAMETERS, line 1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl ecparam -genkey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_EcParametersInCombinedLegacyFile_IgnoredLikePostfix()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        const string EcParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        var combined = files.Write("mail.pem", EcParameters + chain.Leaf.KeyTraditionalPem + chain.FullChainPem, CertificateFiles.Mode600);
        var config = new TlsConfiguration().Set("myhostname", "mail.example.com").Set("smtpd_tls_eccert_file", combined);

        Expect.NoWarningOrError(CertificateFiles.Check(config, chain.Root));
    }

    [Fact]
    public void CheckFiles_PassPhraseProtectedKey_EncryptedPrivateKeyError()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var encrypted = ((System.Security.Cryptography.RSA)chain.Leaf.Key).ExportEncryptedPkcs8PrivateKeyPem("secret",
            new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes128Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 1000));
        var config = CertificateFiles.Server(files.Write("privkey.pem", encrypted + "\n", CertificateFiles.Mode600), files.Write("fullchain.pem", chain.FullChainPem));

        var error = Expect.Single(CertificateFiles.Check(config, chain.Root), EncryptedPrivateKey, DiagnosticSeverity.Error);

        Assert.Contains("openssl pkey -in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_TraditionalEncryptedKeyHeader_EncryptedPrivateKeyError()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var pem = chain.Leaf.KeyTraditionalPem.Replace("-----\n", "-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n", StringComparison.Ordinal);
        var config = new TlsConfiguration()
            .Set("smtpd_tls_cert_file", files.Write("fullchain.pem", chain.FullChainPem))
            .Set("smtpd_tls_key_file", files.Write("key.pem", pem, CertificateFiles.Mode600));

        Expect.Single(CertificateFiles.Check(config, chain.Root), EncryptedPrivateKey, DiagnosticSeverity.Error);
    }

    [Fact]
    public void CheckFiles_ChainOutOfOrder_ChainMisorderedWarning()
    {
        using var root = TestPki.Root();
        using var upper = TestPki.Intermediate(root, name: "Upper CA");
        using var lower = TestPki.Intermediate(upper, name: "Lower CA");
        using var leaf = TestPki.Leaf(lower, KeyKind.Rsa, ["mail.example.com"]);
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("k.pem", leaf), files.Certificates("chain.pem", leaf, upper, lower));

        var diagnostics = CertificateFiles.Check(config, root);

        Assert.Contains("out of order", Expect.Single(diagnostics, ChainMisordered, DiagnosticSeverity.Warning).Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, ChainMisordered);
    }

    [Fact]
    public void CheckFiles_UnrelatedCertificateInChain_ChainMisorderedWarning()
    {
        using var chain = new TestChain();
        using var stranger = TestPki.Root(name: "Stranger CA");
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("k.pem", chain.Leaf), files.Certificates("chain.pem", chain.Leaf, stranger));

        var warning = Expect.Single(CertificateFiles.Check(config, chain.Root), ChainMisordered, DiagnosticSeverity.Warning);

        Assert.Contains("is not part of its chain", warning.Message, StringComparison.Ordinal);
    }
}

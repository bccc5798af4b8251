using PostfixConfig.Certificates;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary>Fingerprints equal what OpenSSL computes for the same certificates.</summary>
public class FingerprintTests
{
    public static TheoryData<KeyKind, FingerprintDigest, string> Cases => new()
    {
        { KeyKind.Rsa, FingerprintDigest.Sha256, "sha256" },
        { KeyKind.Rsa, FingerprintDigest.Sha1, "sha1" },
        { KeyKind.Rsa, FingerprintDigest.Md5, "md5" },
        { KeyKind.Ecdsa, FingerprintDigest.Sha256, "sha256" },
        { KeyKind.Ecdsa, FingerprintDigest.Sha1, "sha1" },
        { KeyKind.Ecdsa, FingerprintDigest.Md5, "md5" },
        { KeyKind.Ecdsa, FingerprintDigest.Sha512, "sha512" },
    };

    [ToolTheory("openssl")]
    [MemberData(nameof(Cases))]
    public void Fingerprint_Certificate_EqualsOpensslX509Fingerprint(KeyKind kind, FingerprintDigest digest, string name)
    {
        using var chain = new TestChain(kind);
        using var dir = new TempDir();
        var file = dir.Write("cert.pem", chain.Leaf.Pem);

        var openssl = ToolRunner.Run("openssl", "x509", "-in", file, "-noout", "-fingerprint", "-" + name).Trim();

        Assert.Equal(openssl[(openssl.IndexOf('=', StringComparison.Ordinal) + 1)..], PostfixTls.Fingerprint(chain.Leaf.Certificate, digest));
    }

    [ToolTheory("openssl")]
    [MemberData(nameof(Cases))]
    public void Fingerprint_PublicKey_EqualsOpensslPublicKeyDigest(KeyKind kind, FingerprintDigest digest, string name)
    {
        using var chain = new TestChain(kind);
        using var dir = new TempDir();
        var file = dir.Write("cert.pem", chain.Leaf.Pem);

        var openssl = ToolRunner.Shell($"openssl x509 -in '{file}' -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -{name}").Trim();
        var hex = openssl[(openssl.LastIndexOf(' ') + 1)..];

        Assert.Equal(ToolRunner.PostfixForm(hex), PostfixTls.Fingerprint(chain.Leaf.Certificate, digest, publicKey: true));
    }

    [Fact]
    public void FingerprintFile_ChainWithKey_UsesFirstCertificate()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();
        var file = dir.Write("combined.pem", chain.Leaf.KeyPkcs8Pem + chain.FullChainPem);

        var result = PostfixTls.FingerprintFile(file);

        Assert.False(result.HasErrors, result.Diagnostics.ToString());
        Assert.Equal(PostfixTls.Fingerprint(chain.Leaf.Certificate), result.Value);
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", result.Value);
    }

    [Fact]
    public void FingerprintFile_DerCertificate_Accepted()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();
        var file = dir.File("cert.der");
        File.WriteAllBytes(file, chain.Leaf.Certificate.RawData);

        Assert.Equal(PostfixTls.Fingerprint(chain.Leaf.Certificate, FingerprintDigest.Sha1), PostfixTls.FingerprintFile(file, FingerprintDigest.Sha1).Value);
    }

    [Fact]
    public void FingerprintFile_KeyOnly_ErrorWithoutValue()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var result = PostfixTls.FingerprintFile(dir.Write("key.pem", chain.Leaf.KeyPkcs8Pem));

        Assert.True(result.HasErrors);
        Assert.Equal(PostfixConfig.Diagnostics.DiagnosticCodes.MissingKeyOrCertificate, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void FingerprintFile_Missing_ThrowsIOException()
    {
        Assert.Throws<FileNotFoundException>(() => PostfixTls.FingerprintFile("/nonexistent/cert.pem"));
    }
}

using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary><c>tlsa --key</c>: the 3 1 1 record of a bare key in every form, against openssl's digest of its public key.</summary>
[Trait("Category", "Slow")] // runs openssl
public class KeyTlsaTests
{
    private static string Corpus(string name) => Path.Combine(RepoPaths.Root, "tools", "PostfixConfig.Fuzz", "Corpus", "pem", name);

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, as openssl computes it.</summary>
    private static string OpenSslSpkiSha256(string key, TempDir dir)
    {
        var der = Path.Combine(dir.Path, "spki.der");
        Assert.Equal(0, PostfixTools.Run("/usr/bin/openssl", "pkey", "-in", key, "-pubout", "-outform", "DER", "-out", der).ExitCode);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(der)));
    }

    [Theory]
    [InlineData("leaf-rsa.key.pem")]
    [InlineData("leaf-ec.key.pem")]
    [InlineData("leaf-ec-traditional.key.pem")]
    public void KeyFile_EveryForm_GivesOpenSslsDigest(string name)
    {
        using var dir = new TempDir();
        var key = Corpus(name);
        var expected = "3 1 1 " + OpenSslSpkiSha256(key, dir);
        var forms = new List<string> { key };
        foreach (var (file, args) in new[]
        {
            ("pub.pem", new[] { "pkey", "-in", key, "-pubout", "-out" }),
            ("pub.der", ["pkey", "-in", key, "-pubout", "-outform", "DER", "-out"]),
            ("key.der", ["pkey", "-in", key, "-outform", "DER", "-out"]),
        })
        {
            var path = Path.Combine(dir.Path, file);
            Assert.Equal(0, PostfixTools.Run("/usr/bin/openssl", [.. args, path]).ExitCode);
            forms.Add(path);
        }

        foreach (var form in forms)
        {
            Assert.Equal(expected, PostfixTls.TlsaKeyFile(form).GetValueOrThrow().ToString());
        }

        var r = CliRunner.Run("tlsa", "--key", forms[1], "--host", "MX.Example.COM.");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"_25._tcp.mx.example.com. IN TLSA {expected}\n", r.StdOut);
        Assert.Equal(expected + "\n", CliRunner.Run("tlsa", "--key", forms[2]).StdOut);
    }

    [Fact]
    public void KeyFile_ACertificateOrNothing_IsAClearError()
    {
        using var dir = new TempDir();
        var text = dir.Write("notes.txt", "not a key\n");

        var cert = PostfixTls.TlsaKeyFile(Corpus("leaf-rsa.pem"));
        var none = PostfixTls.TlsaKeyFile(text);
        var cli = CliRunner.Run("tlsa", "--key", text);

        Assert.Contains("holds a certificate, not a bare key", Assert.Single(cert.Diagnostics).Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticCodes.KeyFileUnreadable, Assert.Single(none.Diagnostics).Code);
        Assert.Equal(1, cli.ExitCode);
        Assert.Single(cli.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TlsaWithNextKey_AddsItsRecordToWhatShouldBePublished()
    {
        using var dir = new TempDir();
        var next = "3 1 1 " + OpenSslSpkiSha256(Corpus("leaf-ec.key.pem"), dir);

        var r = CliRunner.Run("tlsa", Corpus("chain-rsa.pem"), "--host", "mx.example.com", "--next-key", Corpus("leaf-ec.key.pem"));

        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith($"_25._tcp.mx.example.com. IN TLSA {next}\n", r.StdOut, StringComparison.Ordinal);
        Assert.StartsWith("_25._tcp.mx.example.com. IN TLSA 3 1 1 ", r.StdOut, StringComparison.Ordinal);
    }
}

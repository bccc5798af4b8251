using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary>The fingerprint and tlsa commands, and the --check-files and --reload-hook options.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CertificateCliTests
{
    [ToolFact("openssl")]
    public void Fingerprint_Sha1_PrintsOpensslFingerprint()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();
        var file = dir.Write("fullchain.pem", chain.FullChainPem);
        var openssl = ToolRunner.Run("openssl", "x509", "-in", file, "-noout", "-fingerprint", "-sha1").Trim();

        var r = CliRunner.Run("fingerprint", file, "--digest", "sha1");

        Assert.Equal((0, openssl[(openssl.IndexOf('=', StringComparison.Ordinal) + 1)..] + "\n", string.Empty), (r.ExitCode, r.StdOut, r.StdErr));
    }

    [Fact]
    public void Fingerprint_PublicKeyDefaultDigest_Sha256OfPublicKey()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var r = CliRunner.Run("fingerprint", dir.Write("cert.pem", chain.Leaf.Pem), "--public-key");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(ToolRunner.PostfixForm(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(chain.Leaf.Certificate.PublicKey.ExportSubjectPublicKeyInfo()))) + "\n", r.StdOut);
    }

    [Fact]
    public void Lint_CheckFiles_KeyMismatchReportedAtTheMainCfLine()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var other = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();
        var key = dir.Write("privkey.pem", other.Leaf.KeyPkcs8Pem);
        var cert = dir.Write("fullchain.pem", chain.FullChainPem);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var mainCf = dir.Write("main.cf", $"# test\nsmtpd_tls_security_level = may\nsmtpd_tls_chain_files = {key}, {cert}\n");

        var without = CliRunner.Run("lint", mainCf, "--postfix-version", "3.7");
        var with = CliRunner.Run("lint", mainCf, "--postfix-version", "3.7", "--check-files");

        Assert.DoesNotContain("PFX7008", without.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, with.ExitCode);
        Assert.Contains("main.cf(3,", with.StdOut.Split('\n').Single(l => l.Contains("PFX7008", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_UnknownDigest_UsageError()
    {
        Assert.Equal(2, CliRunner.Run("fingerprint", "/nonexistent.pem", "--digest", "sha3").ExitCode);
    }

    [Fact]
    public void Fingerprint_MissingFile_Exit2()
    {
        var r = CliRunner.Run("fingerprint", "/nonexistent/cert.pem");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/cert.pem", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_KeyFile_Exit1WithDiagnostic()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var r = CliRunner.Run("fingerprint", dir.Write("key.pem", chain.Leaf.KeyPkcs8Pem));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error PFX7010", r.StdErr, StringComparison.Ordinal);
        Assert.Empty(r.StdOut);
    }

    [Fact]
    public void Tlsa_FullChain_PrintsRecommendedPair()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var r = CliRunner.Run("tlsa", dir.Write("fullchain.pem", chain.FullChainPem), "--host", "mail.example.com");

        Assert.Equal(0, r.ExitCode);
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^_25\\._tcp\\.mail\\.example\\.com\\. IN TLSA 3 1 1 [0-9a-f]{64}$", lines[0]);
        Assert.Matches("^_25\\._tcp\\.mail\\.example\\.com\\. IN TLSA 2 1 1 [0-9a-f]{64}$", lines[1]);
        Assert.Empty(r.StdErr);
    }

    [Fact]
    public void Tlsa_UsageSelectorMatchingPort_Honoured()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var r = CliRunner.Run("tlsa", dir.Write("fullchain.pem", chain.FullChainPem), "--host", "mail.example.com",
            "--port", "587", "--usage", "3", "--selector", "0", "--matching", "2");

        Assert.Equal(0, r.ExitCode);
        Assert.Matches("^_587\\._tcp\\.mail\\.example\\.com\\. IN TLSA 3 0 2 [0-9a-f]{128}\n$", r.StdOut);
    }

    [Fact]
    public void Tlsa_UsageTwoWithLeafOnly_Exit1()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var r = CliRunner.Run("tlsa", dir.Write("cert.pem", chain.Leaf.Pem), "--host", "mail.example.com", "--usage", "2");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error PFX7026", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--usage", "1")]
    [InlineData("--selector", "2")]
    [InlineData("--matching", "0")]
    public void Tlsa_ValueOutsideSmtpChoices_UsageError(string option, string value)
    {
        Assert.Equal(2, CliRunner.Run("tlsa", "/nonexistent.pem", "--host", "mail.example.com", option, value).ExitCode);
    }

    [Fact]
    public void Tlsa_WithoutHost_UsageError()
    {
        Assert.Equal(2, CliRunner.Run("tlsa", "/nonexistent.pem").ExitCode);
    }

    private static string ExpiredSetup(TempDir dir, TestChain chain)
    {
        var key = dir.Write("privkey.pem", chain.Leaf.KeyPkcs8Pem);
        File.SetUnixFileMode(key, CertificateFiles.Mode600);
        var full = dir.Write("fullchain.pem", chain.FullChainPem);
        return dir.Write("c.yaml", $"postfix_version: \"3.7\"\nmain:\n  myhostname: mail.example.com\n  smtpd_tls_chain_files: [{key}, {full}]\n");
    }

    [Fact]
    public void Validate_CheckFilesWithExpiredCertificate_Exit1WithPosition()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, notBefore: DateTimeOffset.UtcNow.AddDays(-100), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var dir = new TempDir();
        var config = ExpiredSetup(dir, chain);

        var checkedRun = CliRunner.Run("validate", config, "--check-files");
        var plainRun = CliRunner.Run("validate", config);

        Assert.Equal(1, checkedRun.ExitCode);
        Assert.Contains("c.yaml(4,26): error PFX7011: ", checkedRun.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, plainRun.ExitCode);
        Assert.DoesNotContain("PFX70", plainRun.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CheckFilesWithErrors_Exit1AndWritesNothing()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, notBefore: DateTimeOffset.UtcNow.AddDays(-100), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var dir = new TempDir();
        var config = ExpiredSetup(dir, chain);
        var outDir = dir.File("out");

        var r = CliRunner.Run("render", config, "--out", outDir, "--check-files");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error PFX7011", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Render_ReloadHookCertbotAndSystemd_WritesExecutableHookAndUnits()
    {
        using var dir = new TempDir();
        var config = dir.Write("c.yaml",
            "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_chain_files: [/etc/letsencrypt/live/mx/privkey.pem, /etc/letsencrypt/live/mx/fullchain.pem]\n");
        var outDir = dir.File("out");

        var r = CliRunner.Run("render", config, "--out", outDir, "--reload-hook", "certbot", "--reload-hook", "systemd");

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(["certbot-deploy-hook-postfix", "main.cf", "postfix-certificates.path", "postfix-certificates.service"],
            Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(CertificateFiles.Mode755, File.GetUnixFileMode(Path.Combine(outDir, "certbot-deploy-hook-postfix")));
    }

    [Fact]
    public void Render_UnknownReloadHook_UsageError()
    {
        Assert.Equal(2, CliRunner.Run("render", "c.yaml", "--out", "x", "--reload-hook", "cron").ExitCode);
    }
}

using PostfixConfig.Diagnostics;
using static PostfixConfig.Diagnostics.DiagnosticCodes;

namespace PostfixConfig.Tests.Certificates;

/// <summary>The files themselves: missing, unreadable, not PEM, permissions, SNI table sources.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public partial class CheckFilesTests
{
    [Fact]
    public void CheckFiles_MissingFile_ErrorWithConfigPosition()
    {
        var loaded = PostfixTls.LoadYaml("main:\n  smtpd_tls_chain_files:\n    - /nonexistent/privkey.pem\n    - /nonexistent/fullchain.pem\n", "c.yaml");

        var diagnostics = CertificateFiles.Check(loaded.GetValueOrThrow());

        var error = Expect.Single(diagnostics, CertificateFileMissing, DiagnosticSeverity.Error);
        Assert.StartsWith("/nonexistent/privkey.pem does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("c.yaml", 3, 5), error.Span);
    }

    [Fact]
    public void CheckFiles_FolderInsteadOfFile_UnreadableError()
    {
        using var files = new CertificateFiles();

        var error = Expect.Single(CertificateFiles.Check(CertificateFiles.Server(files.Path)), CertificateFileUnreadable, DiagnosticSeverity.Error);

        Assert.Contains("is a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_FileWithoutReadPermission_NotReadableAsUserUnlessRoot()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var key = files.Key("privkey.pem", chain.Leaf, mode: UnixFileMode.None);
        var config = CertificateFiles.Server(key, files.Write("fullchain.pem", chain.FullChainPem));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        if (Environment.IsPrivilegedProcess)
        {
            // root reads mode 0000 files, as Postfix (root) would: the pair is checked.
            Expect.NoWarningOrError(diagnostics);
            Expect.Single(diagnostics, CertificateSummary, DiagnosticSeverity.Info);
        }
        else
        {
            Expect.NoWarningOrError(diagnostics);
            Assert.Contains("Run the check as root", Expect.Single(diagnostics, CertificateFileNotReadableAsUser, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CheckFiles_DerCertificate_NotPemErrorSuggestsConversion()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var der = Path.Combine(files.Path, "cert.der");
        File.WriteAllBytes(der, chain.Leaf.Certificate.RawData);
        var config = new TlsConfiguration().Set("smtpd_tls_cert_file", der).Set("smtpd_tls_key_file", files.Key("k.pem", chain.Leaf));

        var error = Expect.Single(CertificateFiles.Check(config), NotPem, DiagnosticSeverity.Error);

        Assert.Contains("openssl x509 -inform DER", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is not a certificate\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void CheckFiles_NotPemOrDamaged_NotPemError(string content)
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var config = CertificateFiles.Server(files.Key("k.pem", chain.Leaf), files.Write("c.pem", content));

        var diagnostics = CertificateFiles.Check(config);

        Expect.Single(diagnostics, NotPem, DiagnosticSeverity.Error);
        Expect.OnlyProblems(diagnostics, NotPem);
    }

    [Fact]
    public void CheckFiles_WorldReadableKey_Warning()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        File.SetUnixFileMode(files.Path, CertificateFiles.Mode755);
        var key = files.Key("privkey.pem", chain.Leaf, mode: CertificateFiles.Mode644);
        var config = CertificateFiles.Server(key, files.Write("fullchain.pem", chain.FullChainPem));

        var diagnostics = CertificateFiles.Check(config, chain.Root);

        var warning = Expect.Single(diagnostics, PrivateKeyWorldReadable, DiagnosticSeverity.Warning);
        Assert.Contains("(mode 0644)", warning.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600 " + key, warning.Message, StringComparison.Ordinal);
        Expect.OnlyProblems(diagnostics, PrivateKeyWorldReadable);
    }

    [Fact]
    public void CheckFiles_WorldReadableKeyThroughSymlink_Warning()
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        File.SetUnixFileMode(files.Path, CertificateFiles.Mode755);
        var target = files.Key("privkey1.pem", chain.Leaf, mode: CertificateFiles.Mode644);
        var link = Path.Combine(files.Path, "privkey.pem");
        File.CreateSymbolicLink(link, "privkey1.pem");

        var diagnostics = CertificateFiles.Check(CertificateFiles.Server(link, files.Write("fullchain.pem", chain.FullChainPem)), chain.Root);

        Expect.Single(diagnostics, PrivateKeyWorldReadable, DiagnosticSeverity.Warning);
        Assert.True(File.Exists(target));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead)]
    public void CheckFiles_KeyReadableByOwnerOrGroup_NoWarning(UnixFileMode mode)
    {
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        File.SetUnixFileMode(files.Path, CertificateFiles.Mode755);
        var config = CertificateFiles.Server(files.Key("privkey.pem", chain.Leaf, mode: mode), files.Write("fullchain.pem", chain.FullChainPem));

        Expect.NoWarningOrError(CertificateFiles.Check(config, chain.Root));
    }

    [Fact]
    public void CheckFiles_WorldReadableKeyInPrivateFolder_NoWarning()
    {
        // certbot's archive folder is 0700: a 0644 key inside it is readable by root only.
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        File.SetUnixFileMode(files.Path, CertificateFiles.Mode755);
        var key = files.Key("archive/privkey1.pem", chain.Leaf, mode: CertificateFiles.Mode644);
        File.SetUnixFileMode(Path.GetDirectoryName(key)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Expect.NoWarningOrError(CertificateFiles.Check(CertificateFiles.Server(key, files.Write("fullchain.pem", chain.FullChainPem)), chain.Root));
    }

    [Fact]
    public void CheckFiles_SniTableSource_EntriesCheckedAgainstTheirNames()
    {
        using var good = new TestChain(KeyKind.Ecdsa, names: ["mail.example.org"]);
        using var wrong = new TestChain(KeyKind.Rsa, names: ["www.example.net"]);
        using var files = new CertificateFiles();
        var source = files.Write("sni", $"""
            # SNI name -> key and chain files
            mail.example.org {files.Key("org.key", good.Leaf)}
                {files.Write("org.pem", good.FullChainPem)}

            mail.example.net {files.Key("net.key", wrong.Leaf)},{files.Write("net.pem", wrong.FullChainPem)}
            """);
        var config = new TlsConfiguration().Set("tls_server_sni_maps", "hash:" + source);

        var diagnostics = PostfixTls.CheckFiles(config, CertificateFiles.Options(good.Root));

        var warning = Expect.Single(diagnostics, HostNameNotCovered, DiagnosticSeverity.Warning);
        Assert.Equal("tls_server_sni_maps[mail.example.net]", warning.Parameter);
        Assert.Equal(new SourceSpan(source, 5, 1), warning.Span);
        Assert.Contains("mail.example.net (the SNI name of the table entry)", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, diagnostics.Count(d => d.Code == CertificateSummary));
        Expect.OnlyProblems(diagnostics, HostNameNotCovered);
    }

    [Fact]
    public void CheckFiles_SniTableSourceMissing_NotCheckedInformation()
    {
        var config = new TlsConfiguration().Set("tls_server_sni_maps", "lmdb:/nonexistent/sni");

        var diagnostics = CertificateFiles.Check(config);

        Expect.NoWarningOrError(diagnostics);
        Assert.Contains("/nonexistent/sni does not exist", Expect.Single(diagnostics, NotChecked, DiagnosticSeverity.Info).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFiles_ConfigFromLintedMainCf_SameChecks()
    {
        // What lint --check-files will pass: a configuration read from main.cf, with positions.
        using var chain = new TestChain();
        using var files = new CertificateFiles();
        var key = files.Key("privkey.pem", chain.Leaf);
        var config = new TlsConfiguration
        {
            Main = ParameterMap.Empty.Set("smtpd_tls_cert_file", PostfixValue.Of("/nonexistent/cert.pem", new SourceSpan("main.cf", 7, 23)))
                .Set("smtpd_tls_key_file", PostfixValue.Of(key, new SourceSpan("main.cf", 8, 22))),
        };

        var error = Expect.Single(CertificateFiles.Check(config), CertificateFileMissing, DiagnosticSeverity.Error);

        Assert.Equal(new SourceSpan("main.cf", 7, 23), error.Span);
    }
}

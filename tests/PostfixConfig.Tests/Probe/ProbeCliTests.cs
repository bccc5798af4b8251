using PostfixConfig.Certificates;
using PostfixConfig.Cli;
using PostfixConfig.Cli.Commands;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Probe;

/// <summary>The probe command's arguments, exit codes and output formats (golden files under <c>Probe/Golden/</c>).</summary>
public class ProbeCliTests
{
    private const string Digest = "0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6";

    private static string GoldenPath(string name) => Path.Combine(RepoPaths.TestProject, "Probe", "Golden", name);

    [Fact]
    public void Probe_BadTlsaRecord_Exits2WithItsPositionAndConnectsNowhere()
    {
        // Port 1 would refuse with a line of its own: one line, the record's, shows that nothing was tried.
        var r = CliRunner.Run("probe", "127.0.0.1", "--port", "1", "--tlsa", "3 1 1 " + Digest, "--tlsa", "3 1 x " + Digest);

        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.StartsWith("--tlsa#2(1,5): error PFX8011: The matching type 'x' is not a number", r.StdErr, StringComparison.Ordinal);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("7 1 1 DIGEST", "Usage 7 is not a defined certificate usage.")]
    [InlineData("3 1 1 0c72ac70", "A SHA-256 digest (matching type 1) has 32 bytes (64 hex digits); this one has 4.")]
    [InlineData("3 1 2 DIGEST", "A SHA-512 digest (matching type 2) has 64 bytes (128 hex digits); this one has 32.")]
    [InlineData("3 2 1 DIGEST", "Selector 2 is not defined")]
    public void Probe_TlsaRecordWithABadUsageOrLength_OneLineNamingIt_Exit2(string record, string why)
    {
        var r = CliRunner.Run("probe", "127.0.0.1", "--port", "1", "--tlsa", record.Replace("DIGEST", Digest, StringComparison.Ordinal));

        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.StdOut);
        var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"--tlsa#1(1,1): error PFX8011: {record[..6]}", line, StringComparison.Ordinal);
        Assert.Contains($"is malformed: {why}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_TlsaRecordOfUsage0_IsWellFormed_NotRefused()
    {
        // PKIX-TA is defined (DANE for SMTP does not use it): matching reports it; here the refused port gives exit code 2 with its own line.
        var r = CliRunner.Run("probe", "127.0.0.1", "--port", "1", "--tlsa", "0 1 1 " + Digest);

        Assert.DoesNotContain("PFX8011", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_TwoRecordsInOneTlsaOption_Exits2()
    {
        var r = CliRunner.Run("probe", "127.0.0.1", "--port", "1", "--tlsa", $"3 1 1 {Digest}\n2 1 1 {Digest}");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--tlsa#1 holds 2 records", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_TlsaFileWithAnError_ReportsFileLineAndColumn()
    {
        using var dir = new TempDir();
        var file = dir.Write("tlsa.zone", $"_25._tcp.mx.example. IN TLSA 3 1 1 {Digest}\n_25._tcp.mx.example. IN TLSA 3 1 1 {Digest[..10]}zz\n");

        var r = CliRunner.Run("probe", "127.0.0.1", "--port", "1", "--tlsa-file", file);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"{file}(2,46): error PFX8011:", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_MissingTlsaFile_Exits2()
    {
        var r = CliRunner.Run("probe", "127.0.0.1", "--tlsa-file", "/nonexistent/tlsa.zone");

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--port", "0", "is not a TCP port")]
    [InlineData("--port", "65536", "is not a TCP port")]
    [InlineData("--timeout", "0", "is not a timeout")]
    [InlineData("--timeout", "soon", "is not a timeout")]
    [InlineData("--starttls", "maybe", "maybe")]
    [InlineData("--format", "xml", "xml")]
    public void Probe_BadOption_UsageErrorExit2(string option, string value, string message)
    {
        var r = CliRunner.Run("probe", "127.0.0.1", option, value);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "probe", "mx.example.com" }, true)]
    [InlineData(new[] { "--verbose", "probe", "mx.example.com" }, true)]
    [InlineData(new[] { "tlsa", "fullchain.pem", "--host", "mx", "--check", "mx" }, true)]
    [InlineData(new[] { "tlsa", "fullchain.pem", "--host", "mx" }, false)]
    [InlineData(new[] { "render", "probe.yaml", "--out", "x" }, false)]
    [InlineData(new string[0], false)]
    public void OpenSslPolicy_OnlyForTheProbingCommands(string[] args, bool probing)
    {
        Assert.Equal(probing, ProbeOpenSslPolicy.IsProbing(args));
    }

    [Fact]
    public void OpenSslPolicyFile_SetsSecurityLevel0AndIsNextToTheProgram()
    {
        var path = Path.Combine(AppContext.BaseDirectory, ProbeOpenSslPolicy.FileName);

        Assert.True(File.Exists(path), path + " is not copied next to the program");
        Assert.Contains("CipherString = DEFAULT@SECLEVEL=0", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, null, 0)]
    [InlineData(false, false, null, 0)]
    [InlineData(true, true, null, 0)]
    [InlineData(true, false, null, 1)]
    [InlineData(true, true, DaneVerdict.Authenticated, 0)]
    [InlineData(true, true, DaneVerdict.EncryptOnly, 0)]
    [InlineData(true, true, DaneVerdict.NotAuthenticated, 1)]
    [InlineData(true, false, DaneVerdict.NoTls, 1)]
    [InlineData(false, true, DaneVerdict.NotAuthenticated, 0)]
    public void ExitCode_ExpectTls_SaysWhetherTlsOrDaneDelivers(bool expectTls, bool tls, DaneVerdict? verdict, int code)
    {
        var report = Sample() with
        {
            Tls = tls ? Sample().Tls : null,
            Dane = verdict is { } v ? new DaneResult([], v, "verdict") : null,
        };

        Assert.Equal(code, ProbeCommand.ExitCode(report, expectTls));
    }

    [Fact]
    public void TextOutput_SampleReport_MatchesGolden()
    {
        using var writer = new StringWriter { NewLine = "\n" };
        ProbeOutput.WriteText(Sample(), SampleDiagnostics(), writer);

        Golden.Match(GoldenPath("report.txt"), writer.ToString());
    }

    [Fact]
    public void JsonOutput_SampleReport_MatchesGolden()
    {
        Golden.Match(GoldenPath("report.json"), ProbeOutput.ToJson(Sample(), SampleDiagnostics()) + "\n");
    }

    [Fact]
    public void TextOutput_ControlCharactersFromTheServer_AreEscaped()
    {
        var report = Sample() with { Banner = "220 evil\u001b[2J\rfake line" };
        using var writer = new StringWriter { NewLine = "\n" };
        ProbeOutput.WriteText(report, DiagnosticList.Empty, writer);

        Assert.DoesNotContain('\u001b', writer.ToString());
        Assert.DoesNotContain('\r', writer.ToString());
    }

    /// <summary>A fixed report (no network) that uses every part of the output.</summary>
    internal static ProbeReport Sample()
    {
        var leaf = new ServedCertificate
        {
            Depth = 0,
            Subject = "CN=mail.example.com",
            Names = ["mail.example.com", "*.mail.example.com"],
            Issuer = "CN=Example Intermediate, O=Example CA",
            KeyAlgorithm = "ECDSA",
            KeyBits = 256,
            Key = "ECDSA P-256",
            NotBefore = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero),
            NotAfter = new DateTimeOffset(2026, 7, 30, 0, 0, 0, TimeSpan.Zero),
            Sha256Fingerprint = "AA:01",
            PublicKeySha256Fingerprint = "BB:02",
            SelfSigned = false,
            IsCa = false,
            Pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        };
        var intermediate = leaf with
        {
            Depth = 1,
            Subject = "CN=Example Intermediate, O=Example CA",
            Names = [],
            Issuer = "CN=Example Root, O=Example CA",
            KeyAlgorithm = "RSA",
            KeyBits = 2048,
            Key = "RSA 2048-bit",
            NotAfter = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Sha256Fingerprint = "CC:03",
            PublicKeySha256Fingerprint = "DD:04",
            IsCa = true,
        };
        var ee = new TlsaAssociation(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, Digest) { OwnerName = "_25._tcp.mail.example.com." };
        var ta = new TlsaAssociation(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, new string('e', 64));
        return new ProbeReport
        {
            Host = "mail.example.com",
            Port = 25,
            Address = "192.0.2.25",
            Mode = TlsStart.StartTls,
            Banner = "220 mail.example.com ESMTP Postfix",
            Extensions = ["PIPELINING", "SIZE 10240000", "STARTTLS"],
            StartTlsOffered = true,
            Tls = new TlsSessionInfo
            {
                Protocol = "TLSv1.3",
                CipherSuite = "TLS_AES_256_GCM_SHA384",
                CipherBits = 256,
                KeyExchange = "X25519",
                ServerSignature = "ECDSA (prime256v1)",
                ServerDigest = "SHA256",
                Ocsp = new OcspStaple("successful", "good", 1421),
                Chain = [leaf, intermediate],
                ReferenceName = "mail.example.com",
                NameMatches = true,
                ChainInOrder = true,
                ChainComplete = true,
                PkixTrusted = true,
                DaysToExpiry = 45,
                ExtensionsAfterTls = ["PIPELINING", "SIZE 10240000", "AUTH PLAIN"],
            },
            Protocols =
            [
                new ProtocolProbe("SSLv3", ProtocolOutcome.NotTestable, null, "Not testable here."),
                new ProtocolProbe("TLSv1", ProtocolOutcome.Refused, null, "tlsv1 alert protocol version."),
                new ProtocolProbe("TLSv1.2", ProtocolOutcome.Accepted, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "Accepted."),
                new ProtocolProbe("TLSv1.3", ProtocolOutcome.Failed, null, "The connection failed."),
            ],
            Certificates =
            [
                new CertificateOffer { Family = "RSA", Outcome = CertificateOutcome.Served, Chain = [intermediate with { Depth = 0, Subject = "CN=mail.example.com", Sha256Fingerprint = "EE:05", IsCa = false }], ServerSignature = "RSA-PSS (2048 bits)", Detail = "RSA 2048-bit certificate for CN=mail.example.com, TLSv1.3 with TLS_AES_256_GCM_SHA384." },
                new CertificateOffer { Family = "ECDSA", Outcome = CertificateOutcome.Served, Chain = [leaf, intermediate], ServerSignature = "ECDSA (prime256v1)", Detail = "ECDSA P-256 certificate for CN=mail.example.com, TLSv1.3 with TLS_AES_256_GCM_SHA384." },
                new CertificateOffer { Family = "Ed25519", Outcome = CertificateOutcome.NotServed, Detail = "No Ed25519 certificate: the server refused a handshake that allows only Ed25519 signatures." },
            ],
            Ciphers =
            [
                new ProtocolCiphers("TLSv1.2", ProtocolOutcome.Accepted,
                    [new CipherSuiteInfo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", 256, []),
                     new CipherSuiteInfo("TLS_ECDH_anon_WITH_AES_256_CBC_SHA", "AECDH-AES256-SHA", 256, ["anonymous"])], "2 suites accepted, 1 weak."),
            ],
            Resumption = new ResumptionResult(true, "The second connection resumed the first one's session (TLSv1.3 ticket)."),
            Dane = new DaneResult(
                [new TlsaMatch(ee, TlsaOutcome.Authenticates, 0, "Matches the server certificate."), new TlsaMatch(ta, TlsaOutcome.NoMatch, null, "Matches nothing.")],
                DaneVerdict.Authenticated, "A DANE client delivers."),
        };
    }

    private static DiagnosticList SampleDiagnostics() => DiagnosticList.Create(
    [
        new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.TlsaNotMatched, null, "TLSA 2 1 1 eeeeeeeeeeeeeeee...: Matches nothing."),
        new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.DaneVerdict, null, "A DANE client delivers."),
    ]);
}

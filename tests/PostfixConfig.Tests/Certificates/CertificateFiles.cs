using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary>A root, an intermediate and a leaf for mail.example.com, valid at <see cref="TestPki.Now"/>.</summary>
internal sealed class TestChain : IDisposable
{
    public TestChain(KeyKind kind = KeyKind.Rsa, string[]? names = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string[]? eku = null)
    {
        Root = TestPki.Root(kind);
        Intermediate = TestPki.Intermediate(Root, kind);
        Leaf = TestPki.Leaf(Intermediate, kind, names ?? ["mail.example.com"], notBefore, notAfter, eku);
    }

    public TestCertificate Root { get; }

    public TestCertificate Intermediate { get; }

    public TestCertificate Leaf { get; }

    /// <summary>Leaf then intermediate, like Let's Encrypt's fullchain.pem.</summary>
    public string FullChainPem => Leaf.Pem + Intermediate.Pem;

    public void Dispose()
    {
        Leaf.Dispose();
        Intermediate.Dispose();
        Root.Dispose();
    }
}

/// <summary>Writes key and certificate files into a temporary folder with chosen modes, and runs the check.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class CertificateFiles : IDisposable
{
    public const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode Mode644 = Mode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode Mode755 = Mode644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly TempDir _dir = new();

    public string Path => _dir.Path;

    public string Write(string name, string content, UnixFileMode mode = Mode644)
    {
        var path = _dir.Write(name, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    /// <summary>A private key file, mode 0600 unless told otherwise.</summary>
    public string Key(string name, TestCertificate certificate, bool traditional = false, UnixFileMode mode = Mode600) =>
        Write(name, traditional ? certificate.KeyTraditionalPem : certificate.KeyPkcs8Pem, mode);

    public string Certificates(string name, params TestCertificate[] certificates) =>
        Write(name, string.Concat(certificates.Select(c => c.Pem)));

    public static CertificateCheckOptions Options(TestCertificate? trustedRoot) => new()
    {
        Clock = new FixedClock(TestPki.Now),
        TrustedRoots = trustedRoot is null ? null : [trustedRoot.Certificate],
    };

    public static TlsConfiguration Server(params string[] chainFiles) =>
        new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
            .Set("myhostname", "mail.example.com")
            .Set("smtpd_tls_chain_files", chainFiles);

    public static DiagnosticList Check(TlsConfiguration config, TestCertificate? trustedRoot = null, CertificateCheckOptions? options = null) =>
        PostfixTls.CheckFiles(config, options ?? Options(trustedRoot));

    public void Dispose() => _dir.Dispose();
}

/// <summary>Assertions on diagnostic lists that print the whole list on failure.</summary>
internal static class Expect
{
    public static void NoWarningOrError(DiagnosticList diagnostics) =>
        Assert.True(!diagnostics.HasErrors && !diagnostics.HasWarnings, "expected no warning or error:\n" + diagnostics);

    public static Diagnostic Single(DiagnosticList diagnostics, string code, DiagnosticSeverity severity)
    {
        var matching = diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(matching.Count == 1, $"expected exactly one {code}:\n{diagnostics}");
        Assert.Equal(severity, matching[0].Severity);
        return matching[0];
    }

    public static void Has(DiagnosticList diagnostics, string code, DiagnosticSeverity severity) =>
        Assert.True(diagnostics.Any(d => d.Code == code && d.Severity == severity), $"expected {severity} {code}:\n{diagnostics}");

    public static void Lacks(DiagnosticList diagnostics, string code) =>
        Assert.True(diagnostics.All(d => d.Code != code), $"expected no {code}:\n{diagnostics}");

    /// <summary>The only warnings and errors are the given codes (each at least once).</summary>
    public static void OnlyProblems(DiagnosticList diagnostics, params string[] codes)
    {
        var problems = diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info).Select(d => d.Code).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(problems.SequenceEqual(codes.Order(StringComparer.Ordinal)), $"expected problems {string.Join(", ", codes)}:\n{diagnostics}");
    }
}

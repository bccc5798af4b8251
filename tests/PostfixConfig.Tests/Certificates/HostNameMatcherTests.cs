using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary>
/// Host name matching as a verifying Postfix client applies it: OpenSSL's X509_check_host with
/// X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS (set in Postfix's tls_client.c, after RFC 6125).
/// </summary>
public class HostNameMatcherTests
{
    // Cases that do not involve partial wildcards behave the same with OpenSSL's default flags,
    // so they are also checked against `openssl x509 -checkhost` below.
    public static TheoryData<string, string, bool> FullLabelCases => new()
    {
        { "mail.example.com", "mail.example.com", true },
        { "MAIL.Example.COM", "mail.example.com", true },
        { "mail.example.com", "mx.example.com", false },
        { "*.example.com", "mail.example.com", true },
        { "*.example.com", "MAIL.EXAMPLE.COM", true },
        { "*.example.com", "example.com", false },
        { "*.example.com", "a.mail.example.com", false },
        { "*.com", "example.com", false },
        { "*.example.com", "xn--bcher-kva.example.com", true },
        { "mail.*.com", "mail.example.com", false },
    };

    [Theory]
    [MemberData(nameof(FullLabelCases))]
    [InlineData("mail.example.com", "mail.example.com.", true)]
    [InlineData("m*.example.com", "mail.example.com", false)] // partial wildcard: Postfix turns these off
    [InlineData("*l.example.com", "mail.example.com", false)]
    [InlineData("*.example.com", ".example.com", false)]
    [InlineData("", "mail.example.com", false)]
    public void Matches_Pattern_AsPostfixClientChecks(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, HostNameMatcher.Matches(pattern, host));
    }

    [ToolTheory("openssl")]
    [MemberData(nameof(FullLabelCases))]
    public void Matches_FullLabelCases_AgreeWithOpenSsl(string pattern, string host, bool expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(pattern);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(TestPki.Now.AddDays(-1), TestPki.Now.AddDays(1));
        using var dir = new TempDir();
        var file = dir.Write("c.pem", certificate.ExportCertificatePem());

        var output = ToolRunner.Run("openssl", "x509", "-in", file, "-noout", "-checkhost", host);

        Assert.Equal(expected, !output.Contains("does NOT match", StringComparison.Ordinal));
        Assert.Equal(expected, HostNameMatcher.Matches(pattern, host));
    }

    [Fact]
    public void HostNames_NoDnsSan_FallsBackToCommonName()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=mail.example.com, O=Example", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(TestPki.Now.AddDays(-1), TestPki.Now.AddDays(1));

        Assert.Equal(["mail.example.com"], CertificateFacts.HostNames(certificate));
    }

    [Fact]
    public void HostNames_DnsSanPresent_CommonNameIgnored()
    {
        using var root = TestPki.Root(KeyKind.Ecdsa);
        using var leaf = TestPki.Leaf(root, KeyKind.Ecdsa, ["www.example.com"], commonName: "mail.example.com");

        Assert.False(HostNameMatcher.Covers(CertificateFacts.HostNames(leaf.Certificate), "mail.example.com"));
    }
}

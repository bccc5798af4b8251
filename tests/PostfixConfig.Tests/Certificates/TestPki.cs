using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostfixConfig.Tests.Certificates;

public enum KeyKind
{
    Rsa,
    Ecdsa,
}

/// <summary>A certificate made in a test, with its private key.</summary>
internal sealed class TestCertificate : IDisposable
{
    public TestCertificate(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Certificate { get; }

    public AsymmetricAlgorithm Key { get; }

    public string Pem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>The key as PKCS#8 (<c>PRIVATE KEY</c>), what openssl genpkey and certbot write.</summary>
    public string KeyPkcs8Pem => (Key is RSA rsa ? rsa.ExportPkcs8PrivateKeyPem() : ((ECDsa)Key).ExportPkcs8PrivateKeyPem()) + "\n";

    /// <summary>The key in the traditional form (<c>RSA PRIVATE KEY</c> / <c>EC PRIVATE KEY</c>).</summary>
    public string KeyTraditionalPem => (Key is RSA rsa ? rsa.ExportRSAPrivateKeyPem() : ((ECDsa)Key).ExportECPrivateKeyPem()) + "\n";

    public void Dispose()
    {
        Certificate.Dispose();
        TestPki.Release(Key);
    }
}

/// <summary>
/// A small PKI for tests: a root CA, intermediates and leaves, RSA or ECDSA, made with
/// System.Security.Cryptography (no files from outside the test).
/// </summary>
internal static class TestPki
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>The instant the tests treat as "now".</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// RSA keys are slow to make, so released ones are reused by later certificates. Keys in use
    /// at the same time are always distinct.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<RSA> RsaKeys = [];

    public static AsymmetricAlgorithm NewKey(KeyKind kind) =>
        kind == KeyKind.Rsa
            ? RsaKeys.TryTake(out var rsa) ? rsa : RSA.Create(2048)
            : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static void Release(AsymmetricAlgorithm key)
    {
        if (key is RSA rsa)
        {
            RsaKeys.Add(rsa);
        }
        else
        {
            key.Dispose();
        }
    }

    public static TestCertificate Root(KeyKind kind = KeyKind.Rsa, string name = "Test Root CA") =>
        Issue(null, kind, "CN=" + name, ca: true, dnsNames: [], eku: null, Now.AddYears(-5), Now.AddYears(10));

    public static TestCertificate Intermediate(TestCertificate issuer, KeyKind kind = KeyKind.Rsa, string name = "Test Intermediate CA",
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        Issue(issuer, kind, "CN=" + name, ca: true, dnsNames: [], eku: null, notBefore ?? Now.AddYears(-1), notAfter ?? Now.AddYears(2));

    public static TestCertificate Leaf(TestCertificate issuer, KeyKind kind, string[] dnsNames,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string[]? eku = null, string? commonName = null) =>
        Issue(issuer, kind, "CN=" + (commonName ?? (dnsNames.Length > 0 ? dnsNames[0] : "leaf")), ca: false, dnsNames,
            eku ?? [ServerAuth], notBefore ?? Now.AddDays(-10), notAfter ?? Now.AddDays(80));

    /// <summary>A self-signed server certificate, like Debian's snakeoil one.</summary>
    public static TestCertificate SelfSigned(KeyKind kind, string hostName) =>
        Issue(null, kind, "CN=" + hostName, ca: false, [hostName], eku: null, Now.AddYears(-1), Now.AddYears(9));

    private static TestCertificate Issue(TestCertificate? issuer, KeyKind kind, string subject, bool ca, string[] dnsNames, string[]? eku,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = NewKey(kind);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            ca ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        if (eku is not null)
        {
            var usages = new OidCollection();
            foreach (var oid in eku)
            {
                usages.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        X509Certificate2 certificate;
        if (issuer is null)
        {
            var generator = key is RSA r ? X509SignatureGenerator.CreateForRSA(r, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa((ECDsa)key);
            certificate = request.Create(request.SubjectName, generator, notBefore, notAfter, serial);
        }
        else
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
            var generator = issuer.Key is RSA r
                ? X509SignatureGenerator.CreateForRSA(r, RSASignaturePadding.Pkcs1)
                : X509SignatureGenerator.CreateForECDsa((ECDsa)issuer.Key);
            certificate = request.Create(issuer.Certificate.SubjectName, generator, notBefore, notAfter, serial);
        }

        return new TestCertificate(certificate, key);
    }
}

/// <summary>A clock fixed at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// A throwaway certificate authority and a server certificate it signed, made in the test with
/// System.Security.Cryptography and written as PEM files: the private key alone
/// (<see cref="KeyFile"/>), the server certificate followed by the CA certificate
/// (<see cref="ChainFile"/>), and the CA certificate alone (<see cref="CaFile"/>, the trust
/// anchor). Valid from an hour ago for two days; RSA 2048 with SHA-256 so that OpenSSL's default
/// security level accepts it.
/// </summary>
internal sealed class TestPki
{
    private TestPki(string directory, X509Certificate2 ca, X509Certificate2 server)
    {
        Directory = directory;
        Ca = ca;
        Server = server;
    }

    /// <summary>The DNS name in the server certificate (subject CN and subjectAltName).</summary>
    public string ServerName => Server.GetNameInfo(X509NameType.DnsName, forIssuer: false);

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public string KeyFile => Path.Combine(Directory, "server.key.pem");

    public string ChainFile => Path.Combine(Directory, "server.chain.pem");

    public string CertificateFile => Path.Combine(Directory, "server.cert.pem");

    public string CaFile => Path.Combine(Directory, "ca.pem");

    /// <summary>The server certificate's SHA-256 digest, computed here (not by OpenSSL), as AA:BB:...</summary>
    public string ServerSha256 => string.Join(':', SHA256.HashData(Server.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Makes a CA and a server certificate for <paramref name="serverName"/> and writes them under <paramref name="directory"/>.</summary>
    public static TestPki Create(string directory, string serverName, string caName)
    {
        System.IO.Directory.CreateDirectory(directory);
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = notBefore.AddDays(2);

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={caName}, O=PostfixConfig tests", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest($"CN={serverName}", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(serverName);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var server = serverRequest.Create(ca, notBefore, notAfter, serial);

        var pki = new TestPki(directory, ca, server);
        WritePrivate(pki.KeyFile, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(pki.CertificateFile, server.ExportCertificatePem() + "\n");
        File.WriteAllText(pki.ChainFile, new StringBuilder().Append(server.ExportCertificatePem()).Append('\n').Append(ca.ExportCertificatePem()).Append('\n').ToString());
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem() + "\n");
        return pki;
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

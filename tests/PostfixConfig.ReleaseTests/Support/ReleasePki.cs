using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// A throwaway CA and two server certificates it signed (for <see cref="ServerName"/>, RSA 2048, SHA-256,
/// valid from an hour ago for 90 days), written as PEM files: each key alone, each certificate followed
/// by the CA (the chain), the key and chain in one file, and the CA alone. Made once per test run and
/// removed when the run ends (kept with <c>KEEP_LIVE_POSTFIX=1</c>).
/// </summary>
internal sealed class ReleasePki
{
    public const string ServerName = "mail.pfc-release.example";

    private static readonly Lazy<ReleasePki> Shared = new(() => Create(System.IO.Directory.CreateTempSubdirectory("pfc-release-pki-").FullName));

    private ReleasePki(string directory, X509Certificate2 server)
    {
        Directory = directory;
        Server = server;
    }

    /// <summary>The files every test of this run uses (readable by root only where they hold a key).</summary>
    public static ReleasePki Instance => Shared.Value;

    public string Directory { get; }

    public X509Certificate2 Server { get; }

    public string KeyFile => Path.Combine(Directory, "server.key.pem");

    public string ChainFile => Path.Combine(Directory, "server.chain.pem");

    /// <summary>The key, then the certificate and the CA, in one file.</summary>
    public string CombinedFile => Path.Combine(Directory, "server.combined.pem");

    /// <summary>The second server's key (it does not belong to <see cref="ChainFile"/>).</summary>
    public string OtherKeyFile => Path.Combine(Directory, "other.key.pem");

    public string OtherChainFile => Path.Combine(Directory, "other.chain.pem");

    public string CaFile => Path.Combine(Directory, "ca.pem");

    /// <summary>A file name that does not exist.</summary>
    public string MissingFile => Path.Combine(Directory, "missing.pem");

    /// <summary>The server certificate's SHA-256 fingerprint as AA:BB:...</summary>
    public string ServerSha256 => Convert.ToHexString(SHA256.HashData(Server.RawData)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

    private static ReleasePki Create(string directory)
    {
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        if (Environment.GetEnvironmentVariable("KEEP_LIVE_POSTFIX") != "1")
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    System.IO.Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // left in /tmp
                }
            };
        }

        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = notBefore.AddDays(90); // beyond the library's 14-day expiry warning
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=PostfixConfig release test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var (server, serverKeyPem) = Issue(ca, notBefore, notAfter);
        var (other, otherKeyPem) = Issue(ca, notBefore, notAfter);
        var caPem = ca.ExportCertificatePem() + "\n";
        var pki = new ReleasePki(directory, server);
        WriteKey(pki.KeyFile, serverKeyPem);
        File.WriteAllText(pki.ChainFile, server.ExportCertificatePem() + "\n" + caPem);
        WriteKey(pki.CombinedFile, serverKeyPem + server.ExportCertificatePem() + "\n" + caPem);
        WriteKey(pki.OtherKeyFile, otherKeyPem);
        File.WriteAllText(pki.OtherChainFile, other.ExportCertificatePem() + "\n" + caPem);
        File.WriteAllText(pki.CaFile, caPem);
        return pki;
    }

    private static (X509Certificate2 Certificate, string KeyPem) Issue(X509Certificate2 ca, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={ServerName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(ServerName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return (request.Create(ca, notBefore, notAfter, serial), key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static void WriteKey(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

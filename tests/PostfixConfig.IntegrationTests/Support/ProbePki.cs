using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// The broken server certificates the probe tests serve, made with System.Security.Cryptography:
/// a self-signed one, an expired one (issued by a root CA of its own, served with it), and a
/// three-level chain (root, intermediate, leaf) written in the wrong order. Each is a key file and
/// a certificate file for <c>smtpd_tls_chain_files</c> (key first).
/// </summary>
internal sealed class ProbePki
{
    private ProbePki(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>A self-signed certificate for the server name.</summary>
    public Credential SelfSigned { get; private set; } = null!;

    /// <summary>A certificate for the server name that expired a day ago, followed by the CA that issued it (<see cref="ExpiredIssuer"/>).</summary>
    public Credential Expired { get; private set; } = null!;

    /// <summary>The (valid) root CA that issued <see cref="Expired"/>.</summary>
    public X509Certificate2 ExpiredIssuer { get; private set; } = null!;

    /// <summary>Leaf, root, intermediate: the intermediate (which issued the leaf) comes after the root.</summary>
    public Credential Misordered { get; private set; } = null!;

    /// <summary>The intermediate CA of <see cref="Misordered"/>.</summary>
    public X509Certificate2 MisorderedIntermediate { get; private set; } = null!;

    /// <summary>The root CA of <see cref="Misordered"/>.</summary>
    public X509Certificate2 MisorderedRoot { get; private set; } = null!;

    /// <summary>A key file, a certificate file (leaf first, then what the server sends after it) and the leaf.</summary>
    public sealed record Credential(string KeyFile, string ChainFile, X509Certificate2 Leaf)
    {
        /// <summary>The master.cf value of <c>smtpd_tls_chain_files</c>.</summary>
        public string ChainFiles => KeyFile + "," + ChainFile;
    }

    public static ProbePki Create(string directory, string serverName)
    {
        System.IO.Directory.CreateDirectory(directory);
        var result = new ProbePki(directory);
        var now = DateTimeOffset.UtcNow;

        using (var key = RSA.Create(2048))
        {
            var leaf = Request("CN=" + serverName, key, serverName, ca: false).CreateSelfSigned(now.AddHours(-1), now.AddDays(30));
            result.SelfSigned = result.Write("selfsigned", key, leaf);
        }

        using (var caKey = RSA.Create(2048))
        using (var key = RSA.Create(2048))
        {
            using var ca = Request("CN=PostfixConfig Probe CA, O=PostfixConfig tests", caKey, null, ca: true).CreateSelfSigned(now.AddDays(-60), now.AddDays(60));
            var leaf = Request("CN=" + serverName, key, serverName, ca: false, issuer: ca).Create(ca, now.AddDays(-30), now.AddDays(-1), Serial());
            result.ExpiredIssuer = X509CertificateLoader.LoadCertificate(ca.RawData);
            result.Expired = result.Write("expired", key, leaf, result.ExpiredIssuer);
        }

        using (var rootKey = RSA.Create(2048))
        using (var intermediateKey = RSA.Create(2048))
        using (var key = RSA.Create(2048))
        {
            using var root = Request("CN=PostfixConfig Probe Root, O=PostfixConfig tests", rootKey, null, ca: true).CreateSelfSigned(now.AddHours(-1), now.AddDays(30));
            using var intermediate = Request("CN=PostfixConfig Probe Intermediate, O=PostfixConfig tests", intermediateKey, null, ca: true, issuer: root)
                .Create(root, now.AddHours(-1), now.AddDays(20), Serial());
            using var intermediateWithKey = intermediate.CopyWithPrivateKey(intermediateKey);
            var leaf = Request("CN=" + serverName, key, serverName, ca: false, issuer: intermediate).Create(intermediateWithKey, now.AddHours(-1), now.AddDays(10), Serial());
            result.MisorderedRoot = X509CertificateLoader.LoadCertificate(root.RawData);
            result.MisorderedIntermediate = X509CertificateLoader.LoadCertificate(intermediate.RawData);
            result.Misordered = result.Write("misordered", key, leaf, result.MisorderedRoot, result.MisorderedIntermediate);
        }

        return result;
    }

    private Credential Write(string name, RSA key, X509Certificate2 leaf, params X509Certificate2[] after)
    {
        var keyFile = Path.Combine(Directory, name + ".key.pem");
        var chainFile = Path.Combine(Directory, name + ".chain.pem");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var pem = new StringBuilder().Append(leaf.ExportCertificatePem()).Append('\n');
        foreach (var c in after)
        {
            pem.Append(c.ExportCertificatePem()).Append('\n');
        }

        File.WriteAllText(chainFile, pem.ToString());
        return new Credential(keyFile, chainFile, X509CertificateLoader.LoadCertificate(leaf.RawData));
    }

    private static CertificateRequest Request(string subject, RSA key, string? dnsName, bool ca, X509Certificate2? issuer = null)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(ca
            ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign
            : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        }

        if (dnsName is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            request.CertificateExtensions.Add(san.Build());
        }

        return request;
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}

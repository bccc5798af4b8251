using System.Security.Cryptography;
using PostfixConfig.Tests.Certificates;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Dns;

/// <summary>
/// What the renewal tests of DANE records share: a folder, the current chain of <see cref="Host"/> and the key
/// the next certificate will have, with the SHA-256 of each public key (the data of a 3 1 1 record) in hex.
/// </summary>
internal sealed class RenewalKeys : IDisposable
{
    public const string Host = "mail.example.com";

    public TempDir Dir { get; } = new();

    public TestChain Chain { get; } = new(KeyKind.Ecdsa, names: [Host]);

    public ECDsa NextKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The 3 1 1 data of the current leaf's key.</summary>
    public string CurrentSpki => Convert.ToHexString(SHA256.HashData(Chain.Leaf.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>The 3 1 1 data of the next key.</summary>
    public string NextSpki => Convert.ToHexString(SHA256.HashData(NextKey.ExportSubjectPublicKeyInfo()));

    /// <summary>Writes the next key as <c>next.key</c> in <see cref="Dir"/> and returns its path.</summary>
    public string WriteNextKey() => Dir.Write("next.key", NextKey.ExportPkcs8PrivateKeyPem());

    /// <summary>Writes the current full chain as <paramref name="relativePath"/> in <see cref="Dir"/> and returns its path.</summary>
    public string WriteFullChain(string relativePath = "fullchain.pem")
    {
        var path = Path.Combine(Dir.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Chain.FullChainPem);
        return path;
    }

    public void Dispose()
    {
        NextKey.Dispose();
        Chain.Dispose();
        Dir.Dispose();
    }
}

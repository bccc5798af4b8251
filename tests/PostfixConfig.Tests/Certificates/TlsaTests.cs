using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary>TLSA records equal what Debian's hash-slinger (tlsa) and ldnsutils (ldns-dane) compute.</summary>
public class TlsaTests
{
    private static IReadOnlyList<TlsaRecord> Records(string file, TlsaOptions options)
    {
        var result = PostfixTls.TlsaFile(file, options);
        Assert.False(result.HasErrors, result.Diagnostics.ToString());
        return result.Value;
    }

    /// <summary>hash-slinger: <c>tlsa --create --usage U --selector S --mtype M --certificate FILE --port 25 HOST</c>; it uses the first certificate of the file.</summary>
    private static string HashSlinger(string file, int usage, int selector, int matching) =>
        ToolRunner.Run("tlsa", "--create", "--usage", usage.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--selector", selector.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--mtype", matching.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--certificate", file, "--port", "25", "mail.example.com")
            .Split('\n').Single(l => l.StartsWith("_25._tcp.", StringComparison.Ordinal));

    /// <summary>ldns-dane: <c>ldns-dane -c FILE create HOST 25 U S M</c>, normalised to the hash-slinger form (no TTL).</summary>
    private static string LdnsDane(string file, string parameters)
    {
        var arguments = parameters.Split(' ');
        var options = arguments.Length > 3 ? arguments[..^3] : [];
        var line = ToolRunner.Run("ldns-dane", ["-c", file, .. options, "create", "mail.example.com", "25", .. arguments[^3..]])
            .Split('\n').Single(l => l.StartsWith("_25._tcp.", StringComparison.Ordinal));
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        words.RemoveAt(1); // the TTL
        return string.Join(' ', words);
    }

    [Trait("Category", "Slow")]
    [ToolTheory("tlsa")]
    [InlineData(KeyKind.Rsa, 1, 1)]
    [InlineData(KeyKind.Rsa, 0, 1)]
    [InlineData(KeyKind.Ecdsa, 1, 1)]
    [InlineData(KeyKind.Ecdsa, 1, 2)]
    [InlineData(KeyKind.Ecdsa, 0, 2)]
    public void Tlsa_DaneEe_EqualsHashSlinger(KeyKind kind, int selector, int matching)
    {
        using var chain = new TestChain(kind);
        using var dir = new TempDir();
        var file = dir.Write("fullchain.pem", chain.FullChainPem);

        var record = Assert.Single(Records(file, new TlsaOptions("mail.example.com")
        {
            Usage = TlsaUsage.DaneEe,
            Selector = (TlsaSelector)selector,
            MatchingType = (TlsaMatchingType)matching,
        }));

        Assert.Equal(HashSlinger(file, 3, selector, matching), record.ToString());
    }

    [Trait("Category", "Slow")]
    [ToolFact("tlsa")]
    public void Tlsa_DaneTaForIntermediate_EqualsHashSlinger()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();
        var full = dir.Write("fullchain.pem", chain.FullChainPem);
        var intermediate = dir.Write("chain.pem", chain.Intermediate.Pem);

        var record = Assert.Single(Records(full, new TlsaOptions("mail.example.com") { Usage = TlsaUsage.DaneTa }));

        Assert.Equal(HashSlinger(intermediate, 2, 1, 1), record.ToString());
    }

    [ToolFact("tlsa")]
    public void Tlsa_DaneTaForIntermediateFileAlone_EqualsHashSlinger()
    {
        using var chain = new TestChain(KeyKind.Rsa);
        using var dir = new TempDir();
        var intermediate = dir.Write("intermediate.pem", chain.Intermediate.Pem);

        var record = Assert.Single(Records(intermediate, new TlsaOptions("mail.example.com") { Usage = TlsaUsage.DaneTa }));

        Assert.Equal(HashSlinger(intermediate, 2, 1, 1), record.ToString());
    }

    [Trait("Category", "Slow")]
    [ToolFact("tlsa", "ldns-dane")]
    public void Tlsa_LetsEncryptFullChainDefault_RecommendedPairMatchesBothTools()
    {
        using var chain = new TestChain(KeyKind.Rsa);
        using var dir = new TempDir();
        var full = dir.Write("fullchain.pem", chain.FullChainPem);

        var records = Records(full, new TlsaOptions("Mail.Example.com."));

        Assert.Equal(2, records.Count);
        Assert.Equal(HashSlinger(full, 3, 1, 1), records[0].ToString());
        Assert.Equal(LdnsDane(full, "3 1 1"), records[0].ToString());
        Assert.Equal(HashSlinger(dir.Write("chain.pem", chain.Intermediate.Pem), 2, 1, 1), records[1].ToString());

        // ldns-dane picks a usage-2 certificate by its offset from the end of a validated chain,
        // which must end in a self-signed root: [leaf, intermediate, root] with -o 1.
        var withRoot = dir.Write("fullchain-root.pem", chain.FullChainPem + chain.Root.Pem);
        Assert.Equal(LdnsDane(withRoot, "-o 1 2 1 1"), records[1].ToString());
        Assert.Equal("_25._tcp.mail.example.com.", records[0].OwnerName);
    }

    [ToolFact("ldns-dane")]
    public void Tlsa_FullCertificateSha512_EqualsLdnsDane()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();
        var full = dir.Write("fullchain.pem", chain.FullChainPem);

        var record = Assert.Single(Records(full, new TlsaOptions("mail.example.com") { Usage = TlsaUsage.DaneEe, Selector = TlsaSelector.FullCertificate, MatchingType = TlsaMatchingType.Sha512 }));

        Assert.Equal(LdnsDane(full, "3 0 2"), record.ToString());
    }

    [Trait("Category", "Slow")]
    [ToolFact("tlsa")]
    public void Tlsa_TwoIntermediates_OneDaneTaRecordEachInChainOrder()
    {
        using var root = TestPki.Root(KeyKind.Ecdsa);
        using var upper = TestPki.Intermediate(root, KeyKind.Ecdsa, "Upper CA");
        using var lower = TestPki.Intermediate(upper, KeyKind.Ecdsa, "Lower CA");
        using var leaf = TestPki.Leaf(lower, KeyKind.Ecdsa, ["mail.example.com"]);
        using var dir = new TempDir();
        var full = dir.Write("fullchain.pem", leaf.Pem + lower.Pem + upper.Pem + root.Pem);

        var records = Records(full, new TlsaOptions("mail.example.com"));

        Assert.Equal(
            [
                HashSlinger(dir.Write("leaf.pem", leaf.Pem), 3, 1, 1),
                HashSlinger(dir.Write("lower.pem", lower.Pem), 2, 1, 1),
                HashSlinger(dir.Write("upper.pem", upper.Pem), 2, 1, 1),
            ],
            records.Select(r => r.ToString()));
    }

    [Fact]
    public void Tlsa_LeafOnly_OnlyDaneEeWithInformation()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var result = PostfixTls.TlsaFile(dir.Write("cert.pem", chain.Leaf.Pem), new TlsaOptions("mail.example.com"));

        Assert.Equal(TlsaUsage.DaneEe, Assert.Single(result.Value!).Usage);
        Assert.Equal(DiagnosticCodes.LeafOnly, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Tlsa_DaneTaWithoutIssuer_Error()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var dir = new TempDir();

        var result = PostfixTls.TlsaFile(dir.Write("cert.pem", chain.Leaf.Pem), new TlsaOptions("mail.example.com") { Usage = TlsaUsage.DaneTa });

        Assert.True(result.HasErrors);
        Assert.Equal(DiagnosticCodes.TlsaNotPossible, Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("mail example.com", 25)]
    [InlineData("-mail.example.com", 25)]
    [InlineData("mail.example.com", 0)]
    [InlineData("", 25)]
    public void Tlsa_InvalidHostOrPort_Error(string host, int port)
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var result = PostfixTls.Tlsa([chain.Leaf.Certificate], new TlsaOptions(host) { Port = port });

        Assert.True(result.HasErrors);
        Assert.Equal(DiagnosticCodes.TlsaNotPossible, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Tlsa_Submission_OwnerNameUsesPort()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var record = Assert.Single(PostfixTls.Tlsa([chain.Leaf.Certificate], new TlsaOptions("mail.example.com") { Port = 465 }).Value!);

        Assert.StartsWith("_465._tcp.mail.example.com. IN TLSA 3 1 1 ", record.ToString(), StringComparison.Ordinal);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;
using PostfixConfig.Probe;
using PostfixConfig.Tests.Certificates;

namespace PostfixConfig.Tests.Probe;

/// <summary>
/// DANE matching as an SMTP client does it (RFC 7671, RFC 7672), with certificates made by
/// System.Security.Cryptography. The association data is computed here with .NET's own export of
/// the public key (not the library's ASN.1 reader).
/// </summary>
public class DaneMatchTests
{
    private const string Mx = "mail.example.com";

    private static readonly DateTimeOffset Now = TestPki.Now;

    private static TlsaAssociation Record(int usage, int selector, int matching, X509Certificate2 certificate)
    {
        var data = selector == 0 ? certificate.RawData : certificate.PublicKey.ExportSubjectPublicKeyInfo();
        var digest = matching switch
        {
            1 => SHA256.HashData(data),
            2 => SHA512.HashData(data),
            _ => data,
        };
        return new TlsaAssociation((TlsaUsage)usage, (TlsaSelector)selector, (TlsaMatchingType)matching, Convert.ToHexStringLower(digest));
    }

    private static TlsaAssociation Changed(TlsaAssociation record) =>
        record with { Data = (record.Data[0] == '0' ? "1" : "0") + record.Data[1..] };

    private static DaneResult Match(IReadOnlyList<X509Certificate2> served, string? name, params TlsaAssociation[] records) =>
        PostfixTls.MatchTlsa(served, records, name, Now);

    private static TlsaMatch Single(IReadOnlyList<X509Certificate2> served, string? name, TlsaAssociation record) =>
        Assert.Single(Match(served, name, record).Records);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(0, 0)]
    public void DaneEe_ServerCertificate_Authenticates(int selector, int matching)
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        var served = new[] { chain.Leaf.Certificate, chain.Intermediate.Certificate };

        var result = Match(served, Mx, Record(3, selector, matching, chain.Leaf.Certificate));

        Assert.Equal((TlsaOutcome.Authenticates, 0), (result.Records[0].Outcome, result.Records[0].Depth));
        Assert.Equal(DaneVerdict.Authenticated, result.Verdict);
        Assert.True(result.WouldDeliver);
    }

    [Fact]
    public void DaneEe_ExpiredSelfSignedWithOtherName_StillAuthenticates()
    {
        using var chain = new TestChain(KeyKind.Rsa, names: ["other.example.net"], notBefore: Now.AddDays(-90), notAfter: Now.AddDays(-1));
        using var selfSigned = TestPki.SelfSigned(KeyKind.Ecdsa, "snakeoil.invalid");

        Assert.Equal(TlsaOutcome.Authenticates, Single([chain.Leaf.Certificate, chain.Intermediate.Certificate], Mx, Record(3, 1, 1, chain.Leaf.Certificate)).Outcome);
        Assert.Equal(TlsaOutcome.Authenticates, Single([selfSigned.Certificate], null, Record(3, 1, 1, selfSigned.Certificate)).Outcome);
    }

    [Fact]
    public void DaneEe_RecordOfTheIntermediate_MatchesButIsRejected()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var match = Single([chain.Leaf.Certificate, chain.Intermediate.Certificate], Mx, Record(3, 1, 1, chain.Intermediate.Certificate));

        Assert.Equal((TlsaOutcome.MatchRejected, 1), (match.Outcome, match.Depth));
        Assert.Contains("usage 2 (DANE-TA)", match.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneEe_ChangedDigest_NoMatchAndNotAuthenticated()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var result = Match([chain.Leaf.Certificate, chain.Intermediate.Certificate], Mx, Changed(Record(3, 1, 1, chain.Leaf.Certificate)));

        Assert.Equal(TlsaOutcome.NoMatch, result.Records[0].Outcome);
        Assert.Null(result.Records[0].Depth);
        Assert.Equal(DaneVerdict.NotAuthenticated, result.Verdict);
        Assert.False(result.WouldDeliver);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public void DaneTa_ServedIntermediateAndCoveredName_Authenticates(int selector, int matching)
    {
        using var chain = new TestChain(KeyKind.Rsa);

        var match = Single([chain.Leaf.Certificate, chain.Intermediate.Certificate], Mx, Record(2, selector, matching, chain.Intermediate.Certificate));

        Assert.Equal((TlsaOutcome.Authenticates, 1), (match.Outcome, match.Depth));
    }

    [Fact]
    public void DaneTa_ServedRoot_Authenticates()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var match = Single([chain.Leaf.Certificate, chain.Intermediate.Certificate, chain.Root.Certificate], Mx, Record(2, 1, 1, chain.Root.Certificate));

        Assert.Equal((TlsaOutcome.Authenticates, 2), (match.Outcome, match.Depth));
    }

    [Fact]
    public void DaneTa_ChainServedOutOfOrder_StillAuthenticatesThroughTheIntermediate()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var match = Single([chain.Leaf.Certificate, chain.Root.Certificate, chain.Intermediate.Certificate], Mx, Record(2, 1, 1, chain.Intermediate.Certificate));

        Assert.Equal((TlsaOutcome.Authenticates, 2), (match.Outcome, match.Depth));
    }

    [Theory]
    [InlineData("*.example.com", "mail.example.com", true)]
    [InlineData("*.example.com", "MAIL.EXAMPLE.COM.", true)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("mail.example.com", "mx.example.com", false)]
    public void DaneTa_Names_AreCheckedAsPostfixMatchesThem(string certificateName, string referenceName, bool authenticates)
    {
        using var chain = new TestChain(KeyKind.Ecdsa, names: [certificateName]);

        var match = Single([chain.Leaf.Certificate, chain.Intermediate.Certificate], referenceName, Record(2, 1, 1, chain.Intermediate.Certificate));

        Assert.Equal(authenticates ? TlsaOutcome.Authenticates : TlsaOutcome.MatchRejected, match.Outcome);
        if (!authenticates)
        {
            Assert.Contains("does not cover", match.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DaneTa_NoReferenceName_IsRejected()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var match = Single([chain.Leaf.Certificate, chain.Intermediate.Certificate], null, Record(2, 1, 1, chain.Intermediate.Certificate));

        Assert.Equal(TlsaOutcome.MatchRejected, match.Outcome);
        Assert.Contains("no name to check", match.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneTa_ExpiredServerCertificate_IsRejected()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, notBefore: Now.AddDays(-90), notAfter: Now.AddDays(-1));

        var match = Single([chain.Leaf.Certificate, chain.Intermediate.Certificate], Mx, Record(2, 1, 1, chain.Intermediate.Certificate));

        Assert.Equal((TlsaOutcome.MatchRejected, 1), (match.Outcome, match.Depth));
        Assert.Contains("expired", match.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneTa_ServedCertificateThatIsNoIssuer_IsRejected()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var stranger = TestPki.Intermediate(TestPki.Root(KeyKind.Ecdsa, "Other Root"), KeyKind.Ecdsa, "Unrelated CA");

        var match = Single([chain.Leaf.Certificate, stranger.Certificate, chain.Intermediate.Certificate], Mx, Record(2, 1, 1, stranger.Certificate));

        Assert.Equal((TlsaOutcome.MatchRejected, 1), (match.Outcome, match.Depth));
        Assert.Contains("not an issuer", match.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneTa_RecordOfTheServerCertificate_IsRejected()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var match = Single([chain.Leaf.Certificate, chain.Intermediate.Certificate], Mx, Record(2, 1, 1, chain.Leaf.Certificate));

        Assert.Equal((TlsaOutcome.MatchRejected, 0), (match.Outcome, match.Depth));
        Assert.Contains("usage 3 (DANE-EE)", match.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneTa_IssuerNotServed_NoMatch()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        Assert.Equal(TlsaOutcome.NoMatch, Single([chain.Leaf.Certificate], Mx, Record(2, 1, 1, chain.Intermediate.Certificate)).Outcome);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void PkixUsages_AreNotUsedForSmtpAndLeaveOnlyEncryption(int usage)
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        var served = new[] { chain.Leaf.Certificate, chain.Intermediate.Certificate };

        var result = Match(served, Mx, Record(usage, 1, 1, usage == 0 ? chain.Intermediate.Certificate : chain.Leaf.Certificate));

        Assert.Equal(TlsaOutcome.NotUsedForSmtp, result.Records[0].Outcome);
        Assert.Equal(DaneVerdict.EncryptOnly, result.Verdict);
        Assert.True(result.WouldDeliver);
    }

    [Theory]
    [InlineData(4, 1, 1, 32, "Usage 4")]
    [InlineData(3, 2, 1, 32, "Selector 2")]
    [InlineData(3, 1, 3, 32, "Matching type 3")]
    [InlineData(3, 1, 255, 32, "reserves 255")]
    [InlineData(3, 1, 1, 31, "this one has 31")]
    [InlineData(3, 1, 2, 32, "this one has 32")]
    public void UnusableRecord_IsIgnored(int usage, int selector, int matching, int bytes, string detail)
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        var record = new TlsaAssociation((TlsaUsage)usage, (TlsaSelector)selector, (TlsaMatchingType)matching, new string('a', 2 * bytes));

        var result = Match([chain.Leaf.Certificate], Mx, record);

        Assert.Equal(TlsaOutcome.Unusable, result.Records[0].Outcome);
        Assert.Contains(detail, result.Records[0].Detail, StringComparison.Ordinal);
        Assert.Equal(DaneVerdict.EncryptOnly, result.Verdict);
    }

    [Fact]
    public void OneMatchingRecordAmongOthers_Authenticates()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var renewed = TestPki.Leaf(chain.Intermediate, KeyKind.Ecdsa, [Mx]);

        var result = Match([chain.Leaf.Certificate, chain.Intermediate.Certificate], Mx,
            Record(3, 1, 1, renewed.Certificate), Record(1, 1, 1, chain.Leaf.Certificate), Record(3, 1, 1, chain.Leaf.Certificate));

        Assert.Equal([TlsaOutcome.NoMatch, TlsaOutcome.NotUsedForSmtp, TlsaOutcome.Authenticates], result.Records.Select(r => r.Outcome));
        Assert.Equal(DaneVerdict.Authenticated, result.Verdict);
    }

    [Fact]
    public void NoTls_WithRecords_ClientDefers()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);

        var result = Match([], Mx, Record(3, 1, 1, chain.Leaf.Certificate), Record(1, 1, 1, chain.Leaf.Certificate));

        Assert.Equal(DaneVerdict.NoTls, result.Verdict);
        Assert.False(result.WouldDeliver);
        Assert.Equal(TlsaOutcome.NoMatch, result.Records[0].Outcome);
    }
}

using System.Security.Cryptography;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Dns;

namespace PostfixConfig.Tests.Dns;

/// <summary>
/// <c>tlsa CHAIN --host HOST --next-key FILE --dns</c> against the fake DNS server: a renewal is safe because
/// the next key's 3 1 1 record is published; a record of another selector "matches the current chain"; a
/// record of another key is stale; a 3 1 1 of the current key alone makes a renewal unsafe.
/// </summary>
public sealed class TlsaPublicationTests : IDisposable
{
    private const string Host = RenewalKeys.Host;
    private readonly RenewalKeys _keys = new();

    public void Dispose() => _keys.Dispose();

    private string CurrentSpki => _keys.CurrentSpki;

    private string NextSpki => _keys.NextSpki;

    private (TlsaDnsReport Report, DiagnosticList Diagnostics) Check(params (ushort, byte[])[] published)
    {
        var chain = _keys.WriteFullChain();
        var next = _keys.WriteNextKey();
        using var dns = new FakeDnsServer((name, type, _) => name == $"_25._tcp.{Host}" && type == 52 ? FakeAnswer.Secure(published) : FakeAnswer.Secure());
        var result = PostfixTls.CheckTlsaDns(chain, new TlsaDnsOptions(Host)
        {
            NextKey = next,
            Dns = DnsResolverOptions.Default with { Resolver = dns.Address, Timeout = TimeSpan.FromSeconds(2) },
        });
        return (result.GetValueOrThrow(), result.Diagnostics);
    }

    [Fact]
    public void NextKeysRecordPublished_RenewalIsSafe_WithoutAnIntermediateRecord()
    {
        var (report, diagnostics) = Check(FakeAnswer.Tlsa(3, 1, 1, CurrentSpki), FakeAnswer.Tlsa(3, 1, 1, NextSpki));

        Assert.True(report.CurrentChainAuthenticated);
        Assert.True(report.RenewalSafe);
        Assert.All(report.Published, p => Assert.Equal(TlsaPublicationState.Expected, p.State));
        Assert.Equal(TlsaUsage.DaneTa, Assert.Single(report.ToAdd).Usage); // the 2 1 1 of the intermediate is still advised
        Assert.Contains(diagnostics, d => d.Message.Contains("A renewal keeps DANE delivery working: the next key's 3 1 1 record is published", StringComparison.Ordinal));
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.TlsaRolloverUnsafe);
    }

    [Fact]
    public void OnlyTheCurrentKeysRecord_RenewalIsUnsafe_AndTheNextKeysRecordIsToAdd()
    {
        var (report, diagnostics) = Check(FakeAnswer.Tlsa(3, 1, 1, CurrentSpki));

        Assert.True(report.CurrentChainAuthenticated);
        Assert.False(report.RenewalSafe);
        Assert.Contains(report.ToAdd, r => r.Usage == TlsaUsage.DaneEe && r.Data.Equals(NextSpki, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.TlsaRolloverUnsafe && d.Message.Contains("neither the next key's 3 1 1 record", StringComparison.Ordinal));
    }

    [Fact]
    public void RecordOfTheWholeCertificate_MatchesTheCurrentChain_ButIsNotOneToPublish()
    {
        var (report, _) = Check(FakeAnswer.Tlsa(3, 0, 1, Convert.ToHexString(SHA256.HashData(_keys.Chain.Leaf.Certificate.RawData))));

        Assert.Equal(TlsaPublicationState.MatchesCurrentChain, Assert.Single(report.Published).State);
        Assert.True(report.CurrentChainAuthenticated);
        Assert.False(report.RenewalSafe); // a 3 0 1 record breaks at every renewal
    }

    [Fact]
    public void RecordOfAnotherKey_IsStale_AndTheCurrentChainIsNotAuthenticated()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (report, diagnostics) = Check(FakeAnswer.Tlsa(3, 1, 1, Convert.ToHexString(SHA256.HashData(other.ExportSubjectPublicKeyInfo()))));

        Assert.Equal(TlsaPublicationState.Stale, Assert.Single(report.Published).State);
        Assert.False(report.CurrentChainAuthenticated);
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.TlsaStale && d.Message.Contains("matches neither the key nor the issuers of the chain nor the next key; remove it", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.Contains("No published record authenticates the current chain", StringComparison.Ordinal));
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Dns;
using PostfixConfig.Probe;
using PostfixConfig.Tests.Certificates;
using PostfixConfig.Tests.Probe;

namespace PostfixConfig.Tests.Dns;

/// <summary>
/// <c>probe HOST --dane</c> end to end on loopback: TLSA records from a fake DNS server (with the AD
/// bit or not), the session with a scripted STARTTLS server, and the verdict Postfix would reach.
/// </summary>
public class MxDaneProbeTests
{
    private static async Task<MxHostReport> ProbeAsync(Func<byte[], (ushort, byte[])[]> tlsa, bool tlsaSecure = true)
    {
        using var chain = new TestChain(KeyKind.Ecdsa, names: ["mx.lab.test"]);
        using var leafWithKey = chain.Leaf.Certificate.CopyWithPrivateKey((ECDsa)chain.Leaf.Key);
        var spki = SHA256.HashData(chain.Leaf.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
        await using var smtp = new ScriptedSmtpServer(s => s.StartTlsSession(leafWithKey, chain.Intermediate.Certificate));
        using var dns = new FakeDnsServer((name, type, _) => (name, type) switch
        {
            ("mx.lab.test", 1) => FakeAnswer.Secure(FakeAnswer.A("127.0.0.1")),
            (_, 52) => new FakeAnswer(0, tlsaSecure, tlsa(spki)),
            _ => FakeAnswer.Secure(),
        });

        var result = await Task.Run(() => PostfixTls.ProbeMx(new MxProbeOptions("mx.lab.test")
        {
            LookupMx = false,
            Port = smtp.Port,
            Dns = DnsResolverOptions.Default with { Resolver = dns.Address },
        })).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains(dns.Queries, q => q.Name == $"_{smtp.Port}._tcp.mx.lab.test" && q.Type == 52);
        return Assert.Single(result.GetValueOrThrow().Hosts);
    }

    [Fact]
    public async Task ValidatedMatchingRecord_Authenticated()
    {
        var host = await ProbeAsync(spki => [FakeAnswer.Tlsa(3, 1, 1, Convert.ToHexString(spki))]);

        Assert.Equal((DaneVerdict.Authenticated, DnssecStatus.Secure, true), (host.Dane.Verdict, host.Dnssec!.Value, host.WouldDeliver));
        Assert.Equal(TlsaOutcome.Authenticates, Assert.Single(host.Dane.Records).Outcome);
    }

    [Fact]
    public async Task ValidatedRecordOfAnotherKey_NotAuthenticated_PostfixDefers()
    {
        var host = await ProbeAsync(_ => [FakeAnswer.Tlsa(3, 1, 1, new string('a', 64))]);

        Assert.Equal((DaneVerdict.NotAuthenticated, false), (host.Dane.Verdict, host.WouldDeliver));
    }

    [Fact]
    public async Task MatchingRecordWithoutAd_IsIgnored_EncryptOnly()
    {
        var host = await ProbeAsync(spki => [FakeAnswer.Tlsa(3, 1, 1, Convert.ToHexString(spki))], tlsaSecure: false);

        Assert.Equal((DaneVerdict.EncryptOnly, DnssecStatus.Insecure, true), (host.Dane.Verdict, host.Dnssec!.Value, host.WouldDeliver));
        Assert.Empty(host.Dane.Records);
        Assert.Contains("not DNSSEC-validated, so Postfix ignores them", host.Dane.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordsWithABadUsageOrLength_AreUnusable_AsPostfixDropsThem_EncryptOnly()
    {
        var host = await ProbeAsync(spki => [FakeAnswer.Tlsa(7, 1, 1, Convert.ToHexString(spki)), FakeAnswer.Tlsa(3, 1, 1, Convert.ToHexString(spki)[..20])]);

        Assert.Equal(DaneVerdict.EncryptOnly, host.Dane.Verdict);
        Assert.All(host.Dane.Records, r => Assert.Equal(TlsaOutcome.Unusable, r.Outcome));
        Assert.Contains(host.Dane.Records, r => r.Detail.Contains("Usage 7 is not a defined certificate usage", StringComparison.Ordinal));
        Assert.Contains(host.Dane.Records, r => r.Detail.Contains("has 32 bytes (64 hex digits); this one has 10", StringComparison.Ordinal));
    }
}

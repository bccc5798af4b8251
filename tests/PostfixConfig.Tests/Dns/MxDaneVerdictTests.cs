using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PostfixConfig.Dns;
using PostfixConfig.Probe;
using PostfixConfig.Tests.Certificates;
using PostfixConfig.Tests.Probe;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Dns;

/// <summary>
/// The verdicts of <c>probe --dane</c> that the DNSSEC lab does not reach, on loopback: a bogus TLSA lookup
/// behind secure addresses, a bogus address lookup, a server without STARTTLS, and a domain with several MX
/// hosts whose verdicts differ (found through a real MX lookup, ordered by preference, exit code 1).
/// </summary>
public class MxDaneVerdictTests
{
    private static readonly string Digest = new('a', 64);

    /// <summary>A SERVFAIL that a query with checking disabled answers: what a validating resolver gives for a broken signature.</summary>
    private static FakeAnswer Bogus(bool cd, params (ushort, byte[])[] records) => cd ? FakeAnswer.Insecure(records) : FakeAnswer.ServFail;

    private static MxHostReport ProbeHost(FakeDnsServer dns, int port = 25) =>
        Assert.Single(PostfixTls.ProbeMx(new MxProbeOptions("mx.lab.test")
        {
            LookupMx = false,
            Port = port,
            Timeout = TimeSpan.FromSeconds(10),
            Dns = DnsResolverOptions.Default with { Resolver = dns.Address, Timeout = TimeSpan.FromSeconds(2) },
        }).GetValueOrThrow().Hosts);

    [Fact]
    public void BogusTlsaLookup_BehindSecureAddresses_IsDnsBogus_PostfixDefers_AndNothingIsProbed()
    {
        using var dns = new FakeDnsServer((name, type, cd) => (name, type) switch
        {
            ("mx.lab.test", 1) => FakeAnswer.Secure(FakeAnswer.A("127.0.0.1")),
            (_, 52) => Bogus(cd, FakeAnswer.Tlsa(3, 1, 1, Digest)),
            _ => FakeAnswer.Secure(),
        });

        var host = ProbeHost(dns, port: 1); // nothing listens on port 1: a probe would fail, not give dns-bogus

        Assert.Equal((DaneVerdict.DnsBogus, DnssecStatus.Bogus, DnssecStatus.Secure, DnssecStatus.Bogus, false),
            (host.Dane.Verdict, host.Dnssec, host.AddressDnssec, host.TlsaDnssec, host.WouldDeliver));
        Assert.Contains("The TLSA lookup of _1._tcp.mx.lab.test failed DNSSEC validation: Postfix defers the mail", host.Dane.Detail, StringComparison.Ordinal);
        Assert.Null(host.Probe);
        Assert.Contains(dns.Queries, q => q.Type == 52 && q.Cd);
    }

    [Fact]
    public void BogusAddressLookup_IsDnsBogus_AndNoTlsaIsLookedUp()
    {
        using var dns = new FakeDnsServer((name, type, cd) => type == 1 ? Bogus(cd, FakeAnswer.A("127.0.0.1")) : FakeAnswer.Secure());

        var host = ProbeHost(dns, port: 1);

        Assert.Equal((DaneVerdict.DnsBogus, DnssecStatus.Bogus, DnssecStatus.Bogus, false), (host.Dane.Verdict, host.Dnssec, host.AddressDnssec, host.WouldDeliver));
        Assert.Null(host.TlsaDnssec);
        Assert.Null(host.Address);
        Assert.Contains("The address lookup of mx.lab.test failed DNSSEC validation", host.Dane.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(dns.Queries, q => q.Type == 52);
    }

    [Fact]
    public async Task ServerWithoutStartTls_NoTls_PostfixDeliversInPlainText()
    {
        await using var smtp = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo(offerStartTls: false);
            await s.Read(); // QUIT
            await s.Send("221 2.0.0 Bye\r\n");
        });
        using var dns = new FakeDnsServer((name, type, _) => (name, type) switch
        {
            ("mx.lab.test", 1) => FakeAnswer.Secure(FakeAnswer.A("127.0.0.1")),
            _ => FakeAnswer.Secure(), // validated: no TLSA record
        });

        var host = await Task.Run(() => ProbeHost(dns, smtp.Port)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((DaneVerdict.NoTls, DnssecStatus.Secure, true), (host.Dane.Verdict, host.Dnssec, host.WouldDeliver));
        Assert.Contains("does not offer STARTTLS, so Postfix delivers in plain text", host.Dane.Detail, StringComparison.Ordinal);
        Assert.Null(host.Probe!.Tls);
    }

    [Fact]
    [Trait("Category", "Slow")] // the probe's TLS session with the scripted server ends only at --timeout (5 s)
    public async Task SeveralMx_MixedVerdicts_InPreferenceOrder_ExitCode1()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, names: ["b.mail.test"]);
        using var leafWithKey = chain.Leaf.Certificate.CopyWithPrivateKey((ECDsa)chain.Leaf.Key);
        await using var smtp = new ScriptedSmtpServer(s => s.StartTlsSession(leafWithKey, chain.Intermediate.Certificate));
        using var dns = new FakeDnsServer((name, type, cd) => (name, type) switch
        {
            ("mail.test", 15) => FakeAnswer.Secure(FakeAnswer.Mx(30, "c.mail.test"), FakeAnswer.Mx(10, "b.mail.test"), FakeAnswer.Mx(20, "a.mail.test")),
            ("b.mail.test", 1) => FakeAnswer.Secure(FakeAnswer.A("127.0.0.1")),
            ("c.mail.test", 1) => Bogus(cd, FakeAnswer.A("127.0.0.1")),
            ("a.mail.test", _) => FakeAnswer.NxDomain,
            (_, 52) => FakeAnswer.Insecure(FakeAnswer.Tlsa(3, 1, 1, Digest)), // not validated: ignored
            _ => FakeAnswer.Secure(),
        });

        var r = await Task.Run(() => CliRunner.Run("probe", "mail.test", "--mx", "--dane", "--port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--resolver", dns.Address, "--timeout", "5", "--format", "json")).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(1, r.ExitCode);
        using var json = JsonDocument.Parse(r.StdOut);
        Assert.Equal("secure", json.RootElement.GetProperty("dnssec").GetString());
        Assert.False(json.RootElement.GetProperty("all_receive_with_tls").GetBoolean());
        var mx = json.RootElement.GetProperty("mx").EnumerateArray()
            .Select(h => (h.GetProperty("host").GetString(), h.GetProperty("dane").GetProperty("verdict").GetString())).ToList();
        Assert.Equal([("b.mail.test", "encrypt-only"), ("a.mail.test", "dns-error"), ("c.mail.test", "dns-bogus")], mx);
    }

    [Fact]
    [Trait("Category", "Slow")] // the probe's TLS session with the scripted server ends only at --timeout (5 s)
    public async Task UnusableRecordsFromDns_AreIgnoredAsPostfixDoes_AndTheTextSaysWhichAndWhy_InOneLineEach()
    {
        using var chain = new TestChain(KeyKind.Ecdsa, names: ["mx.lab.test"]);
        using var leafWithKey = chain.Leaf.Certificate.CopyWithPrivateKey((ECDsa)chain.Leaf.Key);
        var spki = Convert.ToHexString(SHA256.HashData(chain.Leaf.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        await using var smtp = new ScriptedSmtpServer(s => s.StartTlsSession(leafWithKey, chain.Intermediate.Certificate));
        using var dns = new FakeDnsServer((name, type, _) => (name, type) switch
        {
            ("mx.lab.test", 1) => FakeAnswer.Secure(FakeAnswer.A("127.0.0.1")),
            (_, 52) => FakeAnswer.Secure(FakeAnswer.Tlsa(7, 1, 1, spki), FakeAnswer.Tlsa(3, 1, 1, spki[..20])),
            _ => FakeAnswer.Secure(),
        });

        var r = await Task.Run(() => CliRunner.Run("probe", "mx.lab.test", "--dane", "--port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--resolver", dns.Address, "--timeout", "5")).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(0, r.ExitCode); // encrypt-only: Postfix delivers over TLS, unauthenticated
        var lines = r.StdOut.Split('\n');
        Assert.Single(lines, l => l.StartsWith("  7 1 1 ", StringComparison.Ordinal) && l.Contains("unusable: Usage 7 is not a defined certificate usage. DANE clients ignore the record.", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("  3 1 1 ", StringComparison.Ordinal) && l.Contains("unusable: A SHA-256 digest (matching type 1) has 32 bytes (64 hex digits); this one has 10.", StringComparison.Ordinal));
        Assert.Contains("verdict:  encrypt-only", r.StdOut, StringComparison.Ordinal);
    }
}

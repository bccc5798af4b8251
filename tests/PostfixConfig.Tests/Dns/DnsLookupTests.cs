using System.Net;
using PostfixConfig.Dns;

namespace PostfixConfig.Tests.Dns;

/// <summary>The DNS client: the query on the wire, reading replies, the resolver addresses, and the DNSSEC status of answers (against <see cref="FakeDnsServer"/>).</summary>
public class DnsLookupTests
{
    [Fact]
    public void Query_HasRdAdAndAnOptRecordWithDo_AndCdOnlyWhenAsked()
    {
        var query = DnsMessage.Query(0x1234, "Example.TEST.", DnsType.Mx, checkingDisabled: false);
        var cd = DnsMessage.Query(0x1234, "example.test", DnsType.Mx, checkingDisabled: true);

        byte[] expected =
        [
            0x12, 0x34, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1,       // id, RD+AD, one question, one additional
            7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0,
            0, 15, 0, 1,                                        // MX IN
            0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0,          // OPT: payload 1232, DO
        ];
        Assert.Equal(expected, query);
        Assert.Equal(0x30, cd[3]); // AD and CD
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("[::1]:5300", "::1", 5300)]
    [InlineData("::1", "::1", 53)]
    public void Resolver_Address_IsParsed(string text, string address, int port)
    {
        var r = ResolverEndpoints.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), Assert.Single(r!.Servers));
    }

    [Theory]
    [InlineData("dns.example.com")]
    [InlineData("1.2.3")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("[::1")]
    public void Resolver_NotAnAddress_IsRefusedWithAReason(string text)
    {
        Assert.Null(ResolverEndpoints.Parse(text, out var error));
        Assert.Contains("is not a resolver address", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvConf_TakesTheFirstThreeNameservers_AndLoopbackWhenThereIsNone()
    {
        var conf = ResolverEndpoints.FromResolvConf("# c\nsearch example.com\nnameserver 192.0.2.1\n; x\nnameserver fe80::1%eth0\nnameserver 192.0.2.3\nnameserver 192.0.2.4\noptions trust-ad\n", "resolv.conf");
        var none = ResolverEndpoints.FromResolvConf("search example.com\n", "resolv.conf");

        Assert.Equal(["192.0.2.1", "fe80::1", "192.0.2.3"], conf.Servers.Select(s => s.Address.ToString()));
        Assert.Equal(IPAddress.Loopback, Assert.Single(none.Servers).Address);
        Assert.Contains("127.0.0.1", none.Source, StringComparison.Ordinal);
    }

    private static DnssecResolver Resolver(FakeDnsServer server, double seconds = 5) =>
        new(ResolverEndpoints.Parse(server.Address, out _)!, TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task Lookup_AdSet_IsSecure_WithoutAd_Insecure_AlwaysAskedWithDo()
    {
        using var server = new FakeDnsServer((name, _, _) => name == "signed.test"
            ? FakeAnswer.Secure(FakeAnswer.Mx(10, "mx.signed.test"))
            : FakeAnswer.Insecure(FakeAnswer.Mx(20, "mx.plain.test")));

        var secure = await Resolver(server).LookupAsync("signed.test", DnsType.Mx, default);
        var insecure = await Resolver(server).LookupAsync("plain.test", DnsType.Mx, default);

        Assert.Equal((DnssecStatus.Secure, "mx.signed.test", (ushort)10), (secure.Status, secure.Records[0].Target, secure.Records[0].Preference));
        Assert.Equal((DnssecStatus.Insecure, "mx.plain.test"), (insecure.Status, insecure.Records[0].Target));
        Assert.All(server.Queries, q => Assert.True(q.Do && !q.Cd));
    }

    [Fact]
    public async Task Lookup_ServFailThatACdQueryAnswers_IsBogus()
    {
        using var server = new FakeDnsServer((_, _, cd) => cd ? FakeAnswer.Insecure(FakeAnswer.A("192.0.2.25")) : FakeAnswer.ServFail);

        var bogus = await Resolver(server).LookupAsync("mx.broken.test", DnsType.A, default);

        Assert.Equal(DnssecStatus.Bogus, bogus.Status);
        Assert.Equal(IPAddress.Parse("192.0.2.25"), bogus.Records[0].Address);
        Assert.Equal([false, true], server.Queries.Select(q => q.Cd));
    }

    [Fact]
    public async Task Lookup_ServFailAlsoWithCd_IsALookupFailure_NotBogus()
    {
        using var server = new FakeDnsServer((_, _, _) => FakeAnswer.ServFail);

        var e = await Assert.ThrowsAsync<DnsLookupException>(() => Resolver(server).LookupAsync("lame.test", DnsType.Mx, default));

        Assert.Contains("SERVFAIL (server failure), also with checking disabled", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_SilentResolver_FailsWithinTheTimeout()
    {
        using var server = new FakeDnsServer((_, _, _) => FakeAnswer.Silence);

        // Bounded, not timed (the machine is shared): the message shows the configured 0.5 s was the wait.
        var e = await Assert.ThrowsAsync<DnsLookupException>(() => Resolver(server, 0.5).LookupAsync("x.test", DnsType.Mx, default).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
        Assert.Contains("no answer within 0.5 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_FollowsACnameInTheAnswer()
    {
        using var server = new FakeDnsServer((_, _, _) => FakeAnswer.Secure((5, FakeAnswer.Name("real.test")), FakeAnswer.A("192.0.2.7")));

        var r = await Resolver(server).LookupAsync("alias.test", DnsType.A, default);

        // The fake server gives every record the question's owner name, so the A record is not at real.test: not found.
        Assert.Equal("real.test", r.CanonicalName);
        Assert.True(r.NotFound);
    }

    [Theory]
    [InlineData("ns:.", null)]
    [InlineData("MX:example.test", null)]
    [InlineData("ns", "format is qtype:qname")]
    [InlineData("ns:", "format is qtype:qname")]
    [InlineData("bogus:.", "format is qtype:qname")]
    [InlineData("ns:exa mple", "is not a DNS name")]
    public void DnssecProbe_Value_IsParsedAsPostfixDoes(string value, string? error)
    {
        var message = DnssecProbe.Parse(value, out _, out _);

        if (error is null)
        {
            Assert.Null(message);
        }
        else
        {
            Assert.Contains(error, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DnssecProbe_IsAvailableExactlyWhenTheReplyHasAd()
    {
        using var validating = new FakeDnsServer((_, _, _) => FakeAnswer.Secure(FakeAnswer.Ns("ns.test")));
        using var plain = new FakeDnsServer((_, _, _) => FakeAnswer.Insecure(FakeAnswer.Ns("ns.test")));
        using var failing = new FakeDnsServer((_, _, _) => FakeAnswer.ServFail);

        DnssecCheck Check(FakeDnsServer s) => PostfixTls.CheckDnssec(DnssecCheckOptions.Default with { Dns = DnsResolverOptions.Default with { Resolver = s.Address } }).GetValueOrThrow();

        Assert.Equal((true, true), (Check(validating).Validates, Check(validating).Answered));
        Assert.Equal((false, true), (Check(plain).Validates, Check(plain).Answered));
        Assert.Contains("received a response that is not DNSSEC validated", Check(plain).Detail, StringComparison.Ordinal);
        Assert.Contains("received no response: SERVFAIL", Check(failing).Detail, StringComparison.Ordinal);
        Assert.Equal(("", (ushort)2), (validating.Queries[0].Name == "." ? "" : validating.Queries[0].Name, validating.Queries[0].Type));
    }
}

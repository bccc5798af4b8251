using System.Diagnostics;
using System.Text.Json;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Dns;
using PostfixConfig.Tests.Probe;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Status;

/// <summary>
/// <c>status --check-dns</c> against the fake DNS server on loopback: a validating resolver (AD bit) means
/// outbound dane works; one without validation means dane silently falls back to may; a silent resolver is
/// one line and exit code 2 within the timeout. The probe sent is main.cf's <c>dnssec_probe</c>, as Postfix's.
/// </summary>
public class StatusCheckDnsTests
{
    private const string DaneMainCf = "smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n";

    private static (CliRunner.CliResult Result, FakeDnsServer Server) Run(TempDir dir, string mainCf, FakeAnswer answer, params string[] extra)
    {
        var server = new FakeDnsServer((_, _, _) => answer);
        var path = dir.Write("main.cf", mainCf);
        return (CliRunner.Run(["status", path, "--postfix-version", "3.7", "--check-dns", "--resolver", server.Address, .. extra]), server);
    }

    [Fact]
    public void ValidatingResolver_DaneWorks_WithTheDefaultProbeSentWithDo()
    {
        using var dir = new TempDir();
        var (r, server) = Run(dir, DaneMainCf, FakeAnswer.Secure(FakeAnswer.Ns("a.root-servers.test")));
        using var _ = server;

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("DNSSEC validation: yes. dnssec_probe 'ns:.' received a response that is DNSSEC validated", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("so outbound DANE works", r.StdOut, StringComparison.Ordinal);
        var query = Assert.Single(server.Queries);
        Assert.Equal((".", (ushort)2, true, false), query);
    }

    [Fact]
    public void NonValidatingResolver_DaneFallsBackToMay_AndDaneOnlyWouldDefer()
    {
        using var dir = new TempDir();
        var (r, server) = Run(dir, DaneMainCf, FakeAnswer.Insecure(FakeAnswer.Ns("a.root-servers.test")));
        using var _ = server;

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("DNSSEC validation: NO. dnssec_probe 'ns:.' received a response that is not DNSSEC validated (no AD bit)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("dane silently works as may and dane-only defers all mail", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidatingResolver_ButDnsSupportLevelNotDnssec_SaysWhatIsMissing()
    {
        using var dir = new TempDir();
        var (r, server) = Run(dir, "smtp_tls_security_level = dane\n", FakeAnswer.Secure());
        using var _ = server;

        Assert.Contains("DNSSEC validation: yes, but dane needs smtp_dns_support_level = dnssec as well.", r.StdOut, StringComparison.Ordinal);
    }

    [SchemaFact]
    [Trait("Category", "Slow")] // runs python3 jsonschema
    public void Json_SaysWorksOrFallsBack_AndIsValidAgainstTheSchema()
    {
        using var dir = new TempDir();
        var (secure, s1) = Run(dir, DaneMainCf, FakeAnswer.Secure(), "--format", "json");
        var (insecure, s2) = Run(dir, DaneMainCf, FakeAnswer.Insecure(), "--format", "json");
        s1.Dispose();
        s2.Dispose();
        var plain = CliRunner.Run("status", dir.File("main.cf"), "--postfix-version", "3.7", "--format", "json");

        using var yes = JsonDocument.Parse(secure.StdOut);
        using var no = JsonDocument.Parse(insecure.StdOut);
        using var notAsked = JsonDocument.Parse(plain.StdOut);
        var v = yes.RootElement.GetProperty("outbound").GetProperty("dnssec_validation");
        Assert.Equal(("ns:.", true, true, "works"), (v.GetProperty("probe").GetString(), v.GetProperty("answered").GetBoolean(), v.GetProperty("validates").GetBoolean(), v.GetProperty("dane").GetString()));
        Assert.Equal("falls-back-to-may", no.RootElement.GetProperty("outbound").GetProperty("dnssec_validation").GetProperty("dane").GetString());
        Assert.Equal(JsonValueKind.Null, notAsked.RootElement.GetProperty("outbound").GetProperty("dnssec_validation").ValueKind);
        Assert.Equal(string.Empty, StatusSchema.Validate(secure.StdOut));
        Assert.Equal(string.Empty, StatusSchema.Validate(insecure.StdOut));
        Assert.Equal(string.Empty, StatusSchema.Validate(plain.StdOut));
        Assert.NotEqual(string.Empty, StatusSchema.Validate(secure.StdOut.Replace("\"works\"", "\"yes\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheProbe_IsTheDnssecProbeTheSmtpClientSees_MasterCfOptionsIncluded()
    {
        using var dir = new TempDir();
        dir.Write("master.cf", "smtp      unix  -       -       y       -       -       smtp -o dnssec_probe=mx:example.test\n");
        var (r, server) = Run(dir, DaneMainCf + "dnssec_probe = ns:other.test\n", FakeAnswer.Secure());
        using var _ = server;

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(("example.test", (ushort)15), (server.Queries[0].Name, server.Queries[0].Type));
        Assert.Contains("dnssec_probe 'mx:example.test'", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyDnssecProbe_IsCheckedWithTheDefault_AndSaysPostfixNeverProbes()
    {
        using var dir = new TempDir();
        var (r, server) = Run(dir, DaneMainCf + "dnssec_probe =\n", FakeAnswer.Insecure());
        using var _ = server;

        Assert.Equal(".", server.Queries[0].Name);
        Assert.Contains("dnssec_probe is empty, so Postfix itself never probes", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedDnssecProbe_IsAnErrorAtItsPosition_Exit1()
    {
        using var dir = new TempDir();
        var (r, server) = Run(dir, DaneMainCf + "dnssec_probe = ns\n", FakeAnswer.Secure());
        using var _ = server;

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("main.cf(3,1): error PFX8020: malformed dnssec_probe value: ns: format is qtype:qname", r.StdErr, StringComparison.Ordinal);
        Assert.Empty(server.Queries);
    }

    [Fact]
    public void Library_SilentResolver_IsAnErrorWithinTheTimeout_AndTheAnswerSaysNotAnswered()
    {
        using var server = new FakeDnsServer((_, _, _) => FakeAnswer.Silence);
        using var dir = new TempDir();
        var path = dir.Write("main.cf", DaneMainCf);
        var clock = Stopwatch.StartNew();

        var status = PostfixTls.Status(path, StatusOptions.Default with
        {
            PostfixVersion = PostfixVersion.Parse("3.7"),
            CheckDns = PostfixConfig.Dns.DnsResolverOptions.Default with { Resolver = server.Address, Timeout = TimeSpan.FromSeconds(1) },
        });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        Assert.Equal(DiagnosticCodes.DnsLookupFailed, Assert.Single(status.Diagnostics.Errors).Code);
        Assert.False(status.Outbound.DnssecValidation!.Answered);
        Assert.False(status.Outbound.DnssecValidation.Validates);
    }
}

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

    [Theory]
    [InlineData(DaneMainCf, true, "DNSSEC validation: yes. dnssec_probe 'ns:.' received a response that is DNSSEC validated", "so outbound DANE works")]
    [InlineData(DaneMainCf, false, "DNSSEC validation: NO. dnssec_probe 'ns:.' received a response that is not DNSSEC validated (no AD bit)", "dane silently works as may and dane-only defers all mail")]
    [InlineData("smtp_tls_security_level = dane\n", true, "DNSSEC validation: yes, but dane needs smtp_dns_support_level = dnssec as well.", "DNSSEC validation: yes, but")]
    public void Resolver_SaysWhetherDaneWorks_WithTheDefaultProbeSentWithDo(string mainCf, bool validating, string verdict, string consequence)
    {
        using var dir = new TempDir();
        var records = FakeAnswer.Ns("a.root-servers.test");
        var (r, server) = Run(dir, mainCf, validating ? FakeAnswer.Secure(records) : FakeAnswer.Insecure(records));
        using var _ = server;

        Assert.Equal(0, r.ExitCode);
        Assert.Contains(verdict, r.StdOut, StringComparison.Ordinal);
        Assert.Contains(consequence, r.StdOut, StringComparison.Ordinal);
        Assert.Equal((".", (ushort)2, true, false), Assert.Single(server.Queries)); // dnssec_probe's default ns:., with the DO bit
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
    public async Task Library_SilentResolver_IsAnErrorWithinTheTimeout_AndTheAnswerSaysNotAnswered()
    {
        using var server = new FakeDnsServer((_, _, _) => FakeAnswer.Silence);
        using var dir = new TempDir();
        var path = dir.Write("main.cf", DaneMainCf);

        // Bounded, not timed: with a 1 s timeout the call must come back (the bound is generous for a loaded machine).
        var status = await Task.Run(() => PostfixTls.Status(path, StatusOptions.Default with
        {
            PostfixVersion = PostfixVersion.Parse("3.7"),
            CheckDns = PostfixConfig.Dns.DnsResolverOptions.Default with { Resolver = server.Address, Timeout = TimeSpan.FromSeconds(1) },
        })).WaitAsync(TimeSpan.FromSeconds(60));

        var error = Assert.Single(status.Diagnostics.Errors);
        Assert.Equal(DiagnosticCodes.DnsLookupFailed, error.Code);
        Assert.Contains("no answer within 1 s", error.Message, StringComparison.Ordinal);
        Assert.False(status.Outbound.DnssecValidation!.Answered);
        Assert.False(status.Outbound.DnssecValidation.Validates);
    }
}

using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Dns;

/// <summary>Bad input to the DNS features: one clear line on standard error and exit code 2, within the timeout.</summary>
public class DnsCliTests
{
    private static readonly string[] OneLineTimeout = ["--timeout", "1"];

    [Theory]
    [InlineData("nxdomain", "has no MX record (NXDOMAIN")]
    [InlineData("nodata", "has no MX record (no MX record (NODATA)")]
    [InlineData("nullmx", "publishes a null MX (RFC 7505)")]
    public void ProbeMxDane_DomainWithoutMx_OneLineExit2(string kind, string message)
    {
        using var server = new FakeDnsServer((_, type, _) => kind switch
        {
            "nxdomain" => FakeAnswer.NxDomain,
            "nullmx" when type == 15 => FakeAnswer.Secure(FakeAnswer.Mx(0, ".")),
            _ => FakeAnswer.Secure(),
        });

        var r = CliRunner.Run("probe", "mail.test", "--mx", "--dane", "--resolver", server.Address);

        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("probe", "mail.test", "--mx", "--dane")]
    [InlineData("probe", "mx.mail.test", "--dane")]
    [InlineData("tlsa", "CHAIN", "--host", "mx.mail.test", "--dns")]
    [InlineData("lint", "MAINCF", "--check-dns")]
    [InlineData("status", "MAINCF", "--check-dns")]
    public void SilentResolver_OneLineExit2_WithinTheTimeout(params string[] args)
    {
        using var server = new FakeDnsServer((_, _, _) => FakeAnswer.Silence);
        using var dir = new TempDir();
        var chain = Path.Combine(RepoPaths.Root, "tools", "PostfixConfig.Fuzz", "Corpus", "pem");
        var cert = Directory.GetFiles(chain, "*.pem").First(f => File.ReadAllText(f).Contains("BEGIN CERTIFICATE", StringComparison.Ordinal));
        var mainCf = dir.Write("main.cf", "smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n");

        var r = CliRunner.Run([.. args.Select(a => a == "CHAIN" ? cert : a == "MAINCF" ? mainCf : a), "--resolver", server.Address, .. OneLineTimeout]);

        // Not timed (the machine is shared): the message shows that --timeout 1 was the wait.
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("did not answer", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("no answer within 1 s", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("probe", "mail.test", "--mx", "--dane", "--resolver", "dns.example.com")]
    [InlineData("lint", "MAINCF", "--check-dns", "--resolver", "1.2.3")]
    [InlineData("status", "MAINCF", "--check-dns", "--resolver", "1.2.3")]
    public void ResolverThatIsNotAnAddress_OneLineExit2(params string[] args)
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "smtp_tls_security_level = dane\n");

        var r = CliRunner.Run([.. args.Select(a => a == "MAINCF" ? mainCf : a)]);

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is not a resolver address", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("probe", "mail.test", "--mx")]
    [InlineData("probe", "mail.test", "--dane", "--tlsa", "3 1 1 00")]
    [InlineData("lint", "main.cf", "--resolver", "127.0.0.1")]
    [InlineData("status", "main.cf", "--resolver", "127.0.0.1")]
    [InlineData("tlsa", "--host", "mx.test")]
    [InlineData("tlsa", "--key", "k.pem", "--dns")]
    public void OptionsThatDoNotGoTogether_OneLineExit2(params string[] args)
    {
        var r = CliRunner.Run(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void LintCheckDns_NoValidation_WithDaneOnly_IsAnError()
    {
        using var server = new FakeDnsServer((_, _, _) => FakeAnswer.Insecure(FakeAnswer.Ns("ns.test")));
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "smtp_tls_security_level = dane-only\nsmtp_dns_support_level = dnssec\ndnssec_probe = mx:example.test\n");

        var r = CliRunner.Run("lint", mainCf, "--check-dns", "--resolver", server.Address, "--postfix-version", "3.7");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error PFX8021: Outbound DANE is NOT effective (smtp_tls_security_level = dane-only): dnssec_probe 'mx:example.test'", r.StdOut, StringComparison.Ordinal);
        Assert.Equal(("example.test", (ushort)15), (server.Queries[0].Name, server.Queries[0].Type));
    }

    [Fact]
    public void LintCheckDns_MalformedDnssecProbe_IsAnErrorAtItsPosition()
    {
        using var dir = new TempDir();
        var mainCf = dir.Write("main.cf", "smtp_tls_security_level = dane\ndnssec_probe = ns\n");

        var r = CliRunner.Run("lint", mainCf, "--check-dns", "--resolver", "127.0.0.1:9", "--postfix-version", "3.7");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{mainCf}(2,16): error PFX8020: malformed dnssec_probe value: ns: format is qtype:qname", r.StdOut, StringComparison.Ordinal);
    }
}

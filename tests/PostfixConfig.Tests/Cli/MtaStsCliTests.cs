using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Cli;

/// <summary>
/// The MTA-STS sections through the command line: bad input is refused with file, line and column,
/// exit code 1, no stack trace and nothing written; good input renders main.cf, mta-sts.txt and
/// dns-records.zone.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class MtaStsCliTests
{
    private const string Prelude = "postfix_version: \"3.7\"\nmain:\n  smtp_tls_CAfile: /etc/ssl/certs/ca-certificates.crt\n";

    public static TheoryData<string, string, string, string> BadInput => new()
    {
        // a policy with no mx
        { Prelude + "publish:\n  domain: example.com\n  mta_sts:\n    mode: enforce\n    mx: []\n", "8,9", DiagnosticCodes.InvalidPublishedPolicy, "needs at least one mx pattern" },
        { Prelude + "publish:\n  domain: example.com\n  mta_sts:\n    mode: testing\n", "6,3", DiagnosticCodes.InvalidPublishedPolicy, "needs at least one mx pattern" },
        // an rua that is neither mailto: nor https:
        { Prelude + "publish:\n  domain: example.com\n  tlsrpt:\n    rua: [mailto:tls@example.com, \"http://reports.example.com/\"]\n", "7,35", DiagnosticCodes.InvalidPublishedPolicy, "neither a mailto: nor an https: URI" },
        // an address without a port
        { Prelude + "mta_sts:\n  resolver: postfix-mta-sts-resolver\n  address: inet:127.0.0.1\n", "6,12", DiagnosticCodes.InvalidMtaStsResolver, "inet:127.0.0.1 has no port" },
        // the malformed socketmap, written by hand
        { Prelude + "  smtp_tls_policy_maps: socketmap:127.0.0.1:8461:postfix\n", "4,25", DiagnosticCodes.InvalidMapReference, "invalid transport name: 127.0.0.1" },
        // an unknown resolver
        { Prelude + "mta_sts:\n  resolver: mta-sts-daemon\n  address: inet:127.0.0.1:8461\n", "5,13", DiagnosticCodes.InvalidMtaStsResolver, "Unknown MTA-STS resolver 'mta-sts-daemon'" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Render_BadInput_IsRefusedWithFileLineAndColumn(string yaml, string position, string code, string message)
    {
        using var dir = new TempDir();
        var config = dir.Write("config.yaml", yaml);
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        var r = CliRunner.Run(["render", config, "--out", outDir]);
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}\n{r.StdErr}");
        Assert.Contains($"config.yaml({position}): error {code}: ", r.StdErr, StringComparison.Ordinal);
        Assert.Contains(message, r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));

        var validate = CliRunner.Run(["validate", config]);
        Assert.Equal(1, validate.ExitCode);
        Assert.Contains($"config.yaml({position}): error {code}: ", validate.StdErr + validate.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TheExample_WritesThePolicyAndTheRecords()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["render", Path.Combine(RepoPaths.Examples, "mta-sts-host.yaml"), "--out", dir.Path]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("smtp_tls_policy_maps = hash:/etc/postfix/tls_policy, socketmap:inet:127.0.0.1:8461:postfix\n", File.ReadAllText(dir.File("main.cf")), StringComparison.Ordinal);
        Assert.Equal("version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 604800\r\n", File.ReadAllText(dir.File("mta-sts.txt")));
        var zone = File.ReadAllText(dir.File("dns-records.zone"));
        Assert.Matches("\n_mta-sts\\.example\\.com\\. IN TXT \"v=STSv1; id=[0-9a-f]{32}\"\n", zone);
        Assert.Contains("\n_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"\n", zone, StringComparison.Ordinal);
        Assert.Contains("; DANE: no TLSA records.", zone, StringComparison.Ordinal); // the example's certificate files are not on this machine
    }
}

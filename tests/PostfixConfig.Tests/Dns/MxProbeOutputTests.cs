using PostfixConfig.Certificates;
using PostfixConfig.Cli.Commands;
using PostfixConfig.Diagnostics;
using PostfixConfig.Dns;
using PostfixConfig.Probe;
using PostfixConfig.Tests.Probe;

namespace PostfixConfig.Tests.Dns;

/// <summary><c>probe --mx --dane --format json</c> is described exactly by <c>schema/probe-report.schema.json</c>; exit codes.</summary>
public class MxProbeOutputTests
{
    internal static MxProbeReport Sample() => new()
    {
        Domain = "example.com",
        Dnssec = DnssecStatus.Secure,
        Resolver = "127.0.0.1 (/etc/resolv.conf)",
        Hosts =
        [
            new MxHostReport
            {
                Host = "mail.example.com",
                Preference = 10,
                Address = "192.0.2.25",
                Dnssec = DnssecStatus.Secure,
                AddressDnssec = DnssecStatus.Secure,
                TlsaDnssec = DnssecStatus.Secure,
                Tlsa = [new TlsaAssociation(PostfixConfig.Certificates.TlsaUsage.DaneEe, PostfixConfig.Certificates.TlsaSelector.SubjectPublicKeyInfo, PostfixConfig.Certificates.TlsaMatchingType.Sha256, new string('a', 64))],
                Dane = ProbeCliTests.Sample().Dane!,
                WouldDeliver = true,
                Probe = ProbeCliTests.Sample(),
                Diagnostics = DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.DaneVerdict, null, "m")]),
            },
            new MxHostReport
            {
                Host = "backup.example.com",
                Preference = 20,
                Dnssec = DnssecStatus.Bogus,
                AddressDnssec = DnssecStatus.Bogus,
                Dane = new DaneResult([], DaneVerdict.DnsBogus, "The address lookup failed DNSSEC validation."),
                WouldDeliver = false,
                Error = "The address lookup failed DNSSEC validation.",
            },
        ],
    };

    [SchemaFact]
    [Trait("Category", "Slow")] // runs python3-jsonschema
    public void Schema_MxReport_IsValid_AndUndocumentedValuesAreRejected()
    {
        var json = MxProbeOutput.ToJson(Sample());

        Assert.Equal(string.Empty, ProbeSchemaTests.Validate(json));
        Assert.NotEqual(string.Empty, ProbeSchemaTests.Validate(json.Replace("\"dnssec\": \"bogus\"", "\"dnssec\": \"maybe\"", StringComparison.Ordinal)));
        Assert.NotEqual(string.Empty, ProbeSchemaTests.Validate(json.Replace("\"verdict\": \"dns-bogus\"", "\"verdict\": \"bogus\"", StringComparison.Ordinal)));
        Assert.NotEqual(string.Empty, ProbeSchemaTests.Validate(json.Replace("\"preference\": 20", "\"preference\": 20, \"extra\": 1", StringComparison.Ordinal)));
    }

    [Fact]
    public void ExitCode_IsZeroOnlyWhenEveryMxReceivesWithTls()
    {
        var report = Sample();
        var allTls = report with { Hosts = [report.Hosts[0], report.Hosts[0] with { Dane = new DaneResult([], DaneVerdict.EncryptOnly, "d") }] };
        var plain = report with { Hosts = [report.Hosts[0] with { Dane = new DaneResult([], DaneVerdict.NoTls, "d"), WouldDeliver = true }] };

        Assert.Equal(1, MxProbeOutput.ExitCode(report));
        Assert.Equal(0, MxProbeOutput.ExitCode(allTls));
        Assert.Equal(1, MxProbeOutput.ExitCode(plain));
    }

    [Fact]
    public void Text_NamesEachMxWithItsVerdictAndDnssecStatus()
    {
        using var writer = new StringWriter { NewLine = "\n" };
        MxProbeOutput.WriteText(Sample(), writer);
        var text = writer.ToString();

        Assert.Contains("mx 10 mail.example.com (192.0.2.25): authenticated, DNSSEC secure", text, StringComparison.Ordinal);
        Assert.Contains("mx 20 backup.example.com: dns-bogus, DNSSEC bogus", text, StringComparison.Ordinal);
        Assert.Contains("verdict:  dns-bogus: Postfix would NOT deliver.", text, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using PostfixConfig.IntegrationTests.Support;

namespace PostfixConfig.IntegrationTests.Dns;

/// <summary>
/// Outbound DANE and published TLSA records, proved in a DNSSEC lab of our own
/// (<c>tests/lab/dnssec-lab.sh</c>, run once by <see cref="DnssecLab"/> in a private network
/// namespace): nsd serves a signed root, <c>test.</c> and four mail domains signed at run time,
/// unbound validates with the lab root's trust anchor, a receiving Postfix has a throw-away
/// certificate, and the sending Postfix's main.cf is rendered by postfix-config (dane + dnssec).
/// The judges are Postfix's own deliveries and posttls-finger; the records are computed by openssl.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed partial class DnssecLabTests(DnssecLab lab) : IClassFixture<DnssecLab>
{
    /// <summary>Each domain of the lab and what Postfix at level dane must do with it.</summary>
    public static TheoryData<string, string, bool> Domains => new()
    {
        { "dane-ok.test", "authenticated", true },
        { "dane-bad.test", "not-authenticated", false },
        { "unsigned.test", "encrypt-only", true },
        { "bogus.test", "dns-bogus", false },
    };

    [DnssecLabFact]
    public void Deliveries_FollowTheDnssecStatusAndTheTlsaRecords()
    {
        lab.RequireCompleted();
        var log = lab.Read("sender-phase1.maillog");
        Assert.Equal("dane\ndnssec\n", lab.Read("sender-levels.txt")); // the rendered main.cf, as Postfix reads it

        Assert.Matches(@"Verified TLS connection established to mx\.dane-ok\.test\[127\.0\.0\.11\]:25", log);
        Assert.Matches(@"to=<user@dane-ok\.test>, relay=mx\.dane-ok\.test\[127\.0\.0\.11\]:25, .*status=sent", log);
        Assert.Matches(@"to=<user@dane-bad\.test>, .*status=deferred \(Server certificate not verified\)", log);
        Assert.DoesNotMatch(@"to=<user@dane-bad\.test>, .*status=sent", log);
        Assert.Matches(@"to=<user@bogus\.test>, .*status=deferred \(Host or domain name not found\. Name service error for name=bogus\.test type=MX: Host not found, try again\)", log);
        Assert.Matches(@"Untrusted TLS connection established to mx\.unsigned\.test\[127\.0\.0\.13\]:25", log);
        Assert.Matches(@"to=<user@unsigned\.test>, relay=mx\.unsigned\.test\[127\.0\.0\.13\]:25, .*status=sent", log);
        Assert.DoesNotContain("DNSSEC validation may be unavailable", log);
    }

    [DnssecLabTheory]
    [MemberData(nameof(Domains))]
    public void ProbeMxDane_AgreesWithPosttlsFingerAndWithPostfix(string domain, string verdict, bool delivered)
    {
        lab.RequireCompleted();
        var finger = lab.Read($"finger-{domain}.txt");
        var json = lab.Read($"probe-{domain}.json");
        var why = lab.Describe($"finger-{domain}.txt", $"probe-{domain}.json", $"probe-{domain}.err");
        Assert.True(json.Length > 0, why);
        using var report = JsonDocument.Parse(json);
        var mx = Assert.Single(report.RootElement.GetProperty("mx").EnumerateArray());

        Assert.Equal($"mx.{domain}", mx.GetProperty("host").GetString());
        Assert.Equal(verdict, mx.GetProperty("dane").GetProperty("verdict").GetString());
        Assert.Equal(verdict, FingerVerdict(finger));
        Assert.Equal(delivered, mx.GetProperty("dane").GetProperty("would_deliver").GetBoolean());
        var log = lab.Read("sender-phase1.maillog");
        Assert.Matches($@"to=<user@{Regex.Escape(domain)}>, .*status={(delivered ? "sent" : "deferred")}", log);
        Assert.Equal(delivered ? "0\n" : "1\n", lab.Read($"probe-{domain}.rc"));
        Assert.Equal("valid\n", lab.Read($"schema-{domain}.txt")); // schema/probe-report.schema.json describes it
    }

    [DnssecLabFact]
    public void ProbeMxDane_ReportsTheDnssecStatusOfEachLookup()
    {
        lab.RequireCompleted();
        JsonElement Mx(string domain, out string mxStatus)
        {
            var doc = JsonDocument.Parse(lab.Read($"probe-{domain}.json"));
            mxStatus = doc.RootElement.GetProperty("dnssec").GetString()!;
            return doc.RootElement.GetProperty("mx")[0];
        }

        var ok = Mx("dane-ok.test", out var okStatus);
        Assert.Equal(("secure", "secure", "secure", "secure"), (okStatus, ok.GetProperty("dnssec").GetString(), ok.GetProperty("address_dnssec").GetString(), ok.GetProperty("tlsa_dnssec").GetString()));
        // The records DNS holds are the ones openssl computed from the receiver's key and intermediate.
        var published = ok.GetProperty("tlsa").EnumerateArray().Select(t => t.GetString()!).Order().ToList();
        Assert.Equal(lab.Read("tlsa-dane-ok.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToList(), published);
        Assert.Contains(ok.GetProperty("dane").GetProperty("records").EnumerateArray(), r => r.GetProperty("result").GetString() == "authenticates");

        var unsigned = Mx("unsigned.test", out var unsignedStatus);
        Assert.Equal(("insecure", "insecure", "insecure"), (unsignedStatus, unsigned.GetProperty("dnssec").GetString(), unsigned.GetProperty("address_dnssec").GetString()));
        Assert.Equal(JsonValueKind.Null, unsigned.GetProperty("tlsa_dnssec").ValueKind); // Postfix does not look them up
        Assert.NotEqual(JsonValueKind.Null, unsigned.GetProperty("tls").ValueKind);

        var bogus = Mx("bogus.test", out var bogusStatus);
        Assert.Equal(("bogus", "bogus"), (bogusStatus, bogus.GetProperty("dnssec").GetString()));
        Assert.Equal(JsonValueKind.Null, bogus.GetProperty("tls").ValueKind); // Postfix does not connect

        var bad = Mx("dane-bad.test", out var badStatus);
        Assert.Equal(("secure", "secure"), (badStatus, bad.GetProperty("tlsa_dnssec").GetString()));
        Assert.Equal(lab.Read("tlsa-other.txt").Trim(), Assert.Single(bad.GetProperty("tlsa").EnumerateArray()).GetString());
    }

    [DnssecLabFact]
    public void DnssecProbe_SaysYesWithTheValidatingResolverAndNoWithoutValidation()
    {
        lab.RequireCompleted();
        Assert.Matches(@"info PFX8021: Outbound DANE is effective \(smtp_tls_security_level = dane\): dnssec_probe 'ns:\.' received a response that is DNSSEC validated", lab.Read("lint-validating.out"));
        Assert.Equal("0\n", lab.Read("lint-validating.rc"));
        foreach (var name in new[] { "lint-plain", "lint-nsd", "lint-after-switch" })
        {
            // A second unbound without a trust anchor, nsd itself, and the same resolv.conf the sender uses in phase 2.
            Assert.Matches(@"warning PFX8021: Outbound DANE is NOT effective \(smtp_tls_security_level = dane\): dnssec_probe 'ns:\.' received a response that is not DNSSEC validated", lab.Read($"{name}.out"));
        }

        // Postfix's own verdict on the same resolver: its dnssec_probe warns, and dane silently becomes may.
        var log = lab.Read("sender.maillog");
        Assert.Contains("warning: DNSSEC validation may be unavailable", log);
        Assert.Contains("warning: reason: dnssec_probe 'ns:.' received a response that is not DNSSEC validated", log);
        Assert.Matches(@"Untrusted TLS connection established to mx\.dane-ok\.test\[127\.0\.0\.11\]:25", log);
        Assert.Matches(@"to=<user2@dane-ok\.test>, .*status=sent", log);
    }

    [DnssecLabFact]
    public void StatusCheckDns_SaysYesWithTheValidatingResolverAndNoWithoutValidation()
    {
        lab.RequireCompleted();
        Assert.Equal("0\n", lab.Read("status-validating.rc"));
        Assert.Matches(@"Outbound \(SMTP client\): level dane\..* DNSSEC validation: yes\. dnssec_probe 'ns:\.' received a response that is DNSSEC validated", lab.Read("status-validating.out"));
        Assert.Equal("works", StatusDane("status-validating-json"));
        Assert.Equal("0\n", lab.Read("status-plain.rc"));
        Assert.Contains("DNSSEC validation: NO. dnssec_probe 'ns:.' received a response that is not DNSSEC validated", lab.Read("status-plain.out"), StringComparison.Ordinal);
        Assert.Contains("dane silently works as may and dane-only defers all mail", lab.Read("status-plain.out"), StringComparison.Ordinal);

        // After the switch of /etc/resolv.conf, the same resolver the sender's Postfix warns about (see the test above).
        Assert.Equal("falls-back-to-may", StatusDane("status-after-switch"));
    }

    private string StatusDane(string name)
    {
        using var json = System.Text.Json.JsonDocument.Parse(lab.Read($"{name}.out"));
        return json.RootElement.GetProperty("outbound").GetProperty("dnssec_validation").GetProperty("dane").GetString()!;
    }

    [DnssecLabFact]
    public void TlsaDns_SaysWhatToAddWhatIsStaleAndWhetherARenewalIsSafe()
    {
        lab.RequireCompleted();
        var next = lab.Read("tlsa-next.txt").Trim();          // 3 1 1 of the next key, by openssl
        var other = lab.Read("tlsa-other.txt").Trim();
        var current = lab.Read("tlsa-dane-ok.txt").Split('\n')[0];
        Assert.Equal($"_25._tcp.mx.dane-ok.test. IN TLSA {next}\n", lab.Read("tlsa-key-next.out"));

        var ok = lab.Read("tlsa-dns-ok.out");
        Assert.Contains($"  add        _25._tcp.mx.dane-ok.test. IN TLSA {next}", ok, StringComparison.Ordinal);
        Assert.Single(ok.Split('\n'), l => l.StartsWith("  add", StringComparison.Ordinal));
        Assert.Contains("current chain: authenticated", ok, StringComparison.Ordinal);
        Assert.Contains("renewal:      safe", ok, StringComparison.Ordinal);
        Assert.Equal("1\n", lab.Read("tlsa-dns-ok.rc")); // the next key is still to be published

        var bad = lab.Read("tlsa-dns-bad.out");
        Assert.Contains($"published  {other[..22]}...  STALE", bad, StringComparison.Ordinal);
        Assert.Contains("STALE", bad, StringComparison.Ordinal);
        Assert.Contains($"  add        _25._tcp.mx.dane-bad.test. IN TLSA {current}", bad, StringComparison.Ordinal);
        Assert.Contains("current chain: NOT authenticated", bad, StringComparison.Ordinal);
        Assert.Contains("renewal:      UNSAFE", bad, StringComparison.Ordinal);
        Assert.Contains("PFX8026", lab.Read("tlsa-dns-unsigned.err"), StringComparison.Ordinal);
        Assert.Contains("fails DNSSEC validation", lab.Read("tlsa-dns-bogus.err"), StringComparison.Ordinal);
    }

    [DnssecLabFact]
    public void Lab_StopsEveryServerItStarted()
    {
        lab.RequireCompleted();
        Assert.Equal("none\n", lab.Read("leftover-pids.txt"));
        var left = Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Where(d =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(lab.Root, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }).ToList();
        Assert.Empty(left);
    }

    /// <summary>What posttls-finger -l dane saw, in the verdict words of probe --mx --dane.</summary>
    private static string FingerVerdict(string output) =>
        output.Contains("Verified TLS connection established", StringComparison.Ordinal) ? "authenticated"
        : output.Contains("no matching DANE TLSA records", StringComparison.Ordinal) ? "not-authenticated"
        : FingerLookupFailed().IsMatch(output) ? "dns-bogus"
        : output.Contains("Untrusted TLS connection established", StringComparison.Ordinal) ? "encrypt-only"
        : "unknown: " + output;

    [GeneratedRegex(@"Destination address lookup failed: .*Host not found, try again")]
    private static partial Regex FingerLookupFailed();
}

using System.Text.RegularExpressions;
using PostfixConfig.IntegrationTests.Support;

namespace PostfixConfig.IntegrationTests.Dns;

/// <summary>
/// MTA-STS both ways, proved in the DNSSEC lab's network namespace (<c>tests/lab/mta-sts-lab.sh</c>,
/// run once by <see cref="MtaStsLab"/>): postfix-config renders what five lab domains publish
/// (mta-sts.txt and dns-records.zone), a DNS server of the lab serves those TXT records, an HTTPS
/// server on loopback serves the policies under a throw-away CA, the Debian package's
/// postfix-mta-sts-resolver (SSL_CERT_FILE = the lab CA) fetches them, and a sending Postfix whose
/// main.cf postfix-config renders from <c>mta_sts:</c> asks it. The judges are Postfix's deliveries,
/// the resolver's answers and its own policy parser, and ldns-read-zone.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed partial class MtaStsLabTests(MtaStsLab lab) : IClassFixture<MtaStsLab>
{
    /// <summary>Each lab domain: its published mode and mx, and whether mail to it is delivered.</summary>
    public static TheoryData<string, string, string, bool> Domains => new()
    {
        { "sts-ok.test", "enforce", "mx.sts-ok.test", true },
        { "sts-mxout.test", "enforce", "mx.elsewhere.test", false },          // the MX host is not in the policy
        { "sts-mxout-testing.test", "testing", "mx.elsewhere.test", true },
        { "sts-badcert.test", "enforce", "mx.sts-badcert.test", false },      // the certificate lacks the MX name
        { "sts-badcert-testing.test", "testing", "mx.sts-badcert-testing.test", true },
    };

    [MtaStsLabFact]
    public void Sender_IsRenderedWithTheResolverAndTheCa()
    {
        lab.RequireCompleted();
        Assert.True(lab.Read("render.rc") == "0\n", lab.Describe("render.txt"));
        var settings = lab.Read("sender-settings.txt").Split('\n');
        Assert.Equal("socketmap:inet:127.0.0.1:8461:postfix", settings[0]); // as Postfix (postconf) reads the rendered main.cf
        Assert.EndsWith("/pki/ca.pem", settings[1], StringComparison.Ordinal);
    }

    [MtaStsLabTheory]
    [MemberData(nameof(Domains))]
    public void Delivery_FollowsThePublishedPolicy(string domain, string mode, string mx, bool delivered)
    {
        lab.RequireCompleted();
        var log = lab.Read("sender.maillog");
        var why = lab.Describe("sender.maillog", "postmap-answers.txt", "mta-sts-daemon.log");
        var d = Regex.Escape(domain);
        var answer = lab.Read("postmap-answers.txt").Split('\n').Single(l => l.StartsWith(domain + " ", StringComparison.Ordinal));

        if (mode == "enforce")
        {
            // The resolver fetched the policy over HTTPS, trusting the lab CA, and answers with its mx patterns.
            Assert.Equal($"{domain} secure match={mx} servername=hostname", answer);
        }
        else
        {
            Assert.Equal($"{domain} (no answer)", answer); // testing: the resolver leaves the level to smtp_tls_security_level
        }

        if (delivered)
        {
            Assert.Matches($@"to=<user@{d}>, relay=mx\.{d}\[127\.0\.0\.\d+\]:25, .*status=sent", log);
        }
        else
        {
            Assert.Matches($@"to=<user@{d}>, relay=mx\.{d}\[127\.0\.0\.\d+\]:25, .*status=deferred \(Server certificate not verified\)", log);
            Assert.DoesNotMatch($@"to=<user@{d}>, .*status=sent", log);
        }

        if (domain == "sts-ok.test")
        {
            Assert.True(Regex.IsMatch(log, @"Verified TLS connection established to mx\.sts-ok\.test\[127\.0\.0\.21\]:25"), why);
        }
    }

    [MtaStsLabTheory]
    [MemberData(nameof(Domains))]
    public void PublishedFiles_AreReadByTheResolversParser_AndByLdnsReadZone(string domain, string mode, string mx, bool delivered)
    {
        _ = delivered;
        lab.RequireCompleted();
        Assert.True(lab.Read($"publish-{domain}.render.rc") == "0\n", lab.Describe($"publish-{domain}.render.txt"));

        // mta-sts.txt: RFC 8461 section 3.2 lines, each ended by CRLF, accepted by postfix-mta-sts-resolver's parser.
        var bytes = lab.ReadBytes($"mta-sts-{domain}.txt");
        Assert.Equal($"version: STSv1\r\nmode: {mode}\r\nmx: {mx}\r\nmax_age: 86400\r\n", System.Text.Encoding.ASCII.GetString(bytes));
        Assert.Equal($"{mode} 86400 {mx}\n", lab.Read($"parse-{domain}.txt"));

        // dns-records.zone: ldns-read-zone reads both TXT records as written, and the lab's DNS serves the id.
        Assert.True(lab.Read($"ldns-{domain}.rc") == "0\n", lab.Describe($"ldns-{domain}.txt"));
        var records = lab.Read($"ldns-{domain}.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        var sts = Assert.Single(records, r => r[0] == $"_mta-sts.{domain}." && r[3] == "TXT");
        var id = Regex.Match(sts[4], "^\"v=STSv1; id=([A-Za-z0-9]{1,32})\"$");
        Assert.True(id.Success, sts[4]);
        Assert.Equal($"\"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\"", Assert.Single(records, r => r[0] == $"_smtp._tls.{domain}." && r[3] == "TXT")[4]);
        Assert.Equal(sts[4] + "\n", lab.Read($"dig-{domain}.txt"));
    }

    [MtaStsLabFact]
    public void PolicyIds_DifferBetweenPolicies()
    {
        lab.RequireCompleted();
        var ids = Domains.Select(row => lab.Read($"dig-{(string)row[0]}.txt")).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [MtaStsLabFact]
    public void Lab_LeavesNoProcessBehind()
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
}

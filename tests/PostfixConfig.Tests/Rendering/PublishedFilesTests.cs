using System.Security.Cryptography;
using System.Text;
using PostfixConfig.Rendering;
using PostfixConfig.Tests.Certificates;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

/// <summary>
/// mta-sts.txt and dns-records.zone as render writes them, judged by the tools that read them:
/// postfix-mta-sts-resolver's own policy parser (and the checks its resolver makes), ldns-read-zone
/// for the zone file lines, and TLSA data computed here from the certificate's public key.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PublishedFilesTests
{
    private static string Yaml(string chainFiles, string mode = "enforce") => $"""
        postfix_version: "3.7"
        main:
          myhostname: mail.example.com
          smtpd_tls_chain_files: {chainFiles}
        publish:
          domain: example.com
          mta_sts:
            mode: {mode}
            mx: [mail.example.com, "*.example.net"]
            max_age: 1209600
          tlsrpt:
            rua: [mailto:tls-reports@example.com, "https://reports.example.com/tlsrpt"]
        """;

    private static RenderedConfiguration Render(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "p.yaml");
        Assert.False(loaded.HasErrors, loaded.Diagnostics.ToString());
        var rendered = PostfixTls.Render(loaded.Value);
        Assert.False(rendered.HasErrors, rendered.Diagnostics.ToString());
        return rendered.Value!;
    }

    [Fact]
    public void Render_WithReadableCertificates_WritesTheTlsaRecordsOfTheKeyAndIssuer()
    {
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        var key = files.Key("privkey.pem", chain.Leaf);
        var full = files.Write("fullchain.pem", chain.FullChainPem);
        var zone = Render(Yaml($"[{key}, {full}]")).Find("dns-records.zone")!.Content;

        string Spki(TestCertificate c) => Convert.ToHexStringLower(SHA256.HashData(c.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Contains($"\n_25._tcp.mail.example.com. IN TLSA 3 1 1 {Spki(chain.Leaf)}\n", zone, StringComparison.Ordinal);
        Assert.Contains($"\n_25._tcp.mail.example.com. IN TLSA 2 1 1 {Spki(chain.Intermediate)}\n", zone, StringComparison.Ordinal);
        Assert.DoesNotContain(Spki(chain.Root), zone, StringComparison.Ordinal);
        Assert.Contains($"\n; DANE: TLSA records for mail.example.com port 25, from {key}, {full}.\n"
            + "; They belong in the zone of the mail host, which must be signed with DNSSEC. The 3 1 1 record\n"
            + "; pins the current key; the 2 1 1 records pin its issuer, so a renewal with a new key from the\n"
            + "; same CA keeps matching ('postfix-config tlsa --next-key' checks a planned key change).\n", zone, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostNameNotFitForTlsa_ZoneSaysWhy_OneFullStop()
    {
        // Postfix takes '_' in myhostname; a TLSA owner name must be a host name, so the records are left out and the zone says why.
        using var chain = new TestChain(KeyKind.Ecdsa);
        using var files = new CertificateFiles();
        var key = files.Key("privkey.pem", chain.Leaf);
        var full = files.Write("fullchain.pem", chain.FullChainPem);
        var zone = Render(Yaml($"[{key}, {full}]").Replace("myhostname: mail.example.com", "myhostname: mail_1.example.com", StringComparison.Ordinal)).Find("dns-records.zone")!.Content;
        Assert.Contains("\n; DANE: no TLSA records.\n; Not written: 'mail_1.example.com' port 25 is not a host name and port for a TLSA record.", zone, StringComparison.Ordinal);
        Assert.EndsWith("(25 for SMTP).\n", zone, StringComparison.Ordinal);
        Assert.DoesNotContain(" IN TLSA ", zone, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("myhostname: $mail_name_here.example.com\n", "myhostname = $mail_name_here.example.com: $mail_name_here is not set in this configuration")]
    [InlineData("", "myhostname is not set, so the mail host's name is unknown")]
    public void Render_MailHostNameUnknown_ZoneSaysWhyNoTlsaRecords(string myhostname, string why)
    {
        var loaded = PostfixTls.LoadYaml($"postfix_version: \"3.7\"\nmain:\n  smtp_tls_security_level: may\n  {myhostname}publish: {{domain: example.org, tlsrpt: {{rua: \"mailto:tls@example.org\"}}}}\n".Replace("  publish", "publish", StringComparison.Ordinal), "p.yaml");
        var rendered = PostfixTls.Render(loaded.GetValueOrThrow());
        var zone = rendered.GetValueOrThrow().Find("dns-records.zone")!.Content;
        Assert.Contains($"\n; DANE: no TLSA records.\n; Not written: {why}.\n", zone, StringComparison.Ordinal);
        Assert.Contains(rendered.Diagnostics, d => d.Code == PostfixConfig.Diagnostics.DiagnosticCodes.NotChecked && d.Message.Contains(why, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_MtaStsWithoutMx_SaysNone()
    {
        var zone = Render("postfix_version: \"3.7\"\npublish: {domain: example.org, mta_sts: {mode: none, max_age: 86400}}\n").Find("dns-records.zone")!.Content;
        Assert.Contains("\n; MTA-STS: mode none, MX (none), max_age 86400.\n", zone, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IdIsTheDigestOfThePolicyFile_AndFollowsThePolicy()
    {
        var enforce = Render(Yaml("/nonexistent/key.pem"));
        var testing = Render(Yaml("/nonexistent/key.pem", "testing"));
        string Id(RenderedConfiguration r) => System.Text.RegularExpressions.Regex.Match(r.Find("dns-records.zone")!.Content, "id=([0-9a-f]+)\"").Groups[1].Value;

        var file = enforce.Find("mta-sts.txt")!.Content;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file)))[..32], Id(enforce));
        Assert.NotEqual(Id(enforce), Id(testing));
        Assert.Equal(Id(enforce), Id(Render(Yaml("/other/key.pem")))); // the policy, not the rest of the configuration
        Assert.Equal(RenderedFileKind.Published, enforce.Find("mta-sts.txt")!.Kind);
        Assert.Contains("; DANE: no TLSA records.", enforce.Find("dns-records.zone")!.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutPublish_WritesNeither_AndWithoutMtaSts_NoPolicyFile()
    {
        var plain = Render("postfix_version: \"3.7\"\nmain: {smtp_tls_security_level: may}\n");
        Assert.Null(plain.Find("mta-sts.txt"));
        Assert.Null(plain.Find("dns-records.zone"));

        var reportsOnly = Render("postfix_version: \"3.7\"\npublish: {domain: example.org, tlsrpt: {rua: \"mailto:tls@example.org\"}}\n");
        Assert.Null(reportsOnly.Find("mta-sts.txt"));
        Assert.Contains("_smtp._tls.example.org. IN TXT \"v=TLSRPTv1; rua=mailto:tls@example.org\"", reportsOnly.Find("dns-records.zone")!.Content, StringComparison.Ordinal);
    }

    [ToolFact("ldns-read-zone")]
    [Trait("Category", "Slow")] // runs ldns-read-zone
    public void DnsRecords_ReadByLdnsReadZone_AsWritten()
    {
        using var chain = new TestChain(KeyKind.Rsa);
        using var files = new CertificateFiles();
        var key = files.Key("privkey.pem", chain.Leaf);
        var full = files.Write("fullchain.pem", chain.FullChainPem);
        var zone = Render(Yaml($"[{key}, {full}]")).Find("dns-records.zone")!.Content;
        var path = files.Write("dns-records.zone", zone);

        var r = PostfixTools.Run(Tools.Require("ldns-read-zone"), path);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var read = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        var written = zone.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(';')).ToList();
        Assert.Equal(written.Count, read.Count);
        Assert.All(read, f => Assert.Equal("IN", f[2]));
        Assert.Equal(["TXT", "TXT", "TLSA", "TLSA"], read.Select(f => f[3]).ToArray());
        Assert.Equal(written.Select(l => l.Split(' ', 4)[3]), read.Select(f => f[4]));
        Assert.Equal(["_mta-sts.example.com.", "_smtp._tls.example.com.", "_25._tcp.mail.example.com.", "_25._tcp.mail.example.com."], read.Select(f => f[0]).ToArray());
    }

    [ToolFact("mta-sts-daemon")]
    [Trait("Category", "Slow")] // runs python3 with the resolver's module
    public void PolicyFile_ParsedAndAcceptedByPostfixMtaStsResolver()
    {
        using var dir = new TempDir();
        var policy = Render(Yaml("/nonexistent/key.pem")).Find("mta-sts.txt")!;
        var path = dir.Write("mta-sts.txt", policy.Content);
        // The resolver's parser, then the checks STSResolver.resolve makes before it accepts a policy (resolver.py, 1.1.2).
        const string Script = """
            import sys
            from postfix_mta_sts_resolver.utils import parse_mta_sts_policy
            text = open(sys.argv[1], 'rb').read().decode('ascii')
            pol = parse_mta_sts_policy(text)
            assert pol.get('version') == 'STSv1', pol
            max_age = int(pol.get('max_age', '-1'))
            assert 0 <= max_age <= 31557600, pol
            assert pol['mode'] in ('none', 'testing', 'enforce'), pol
            assert pol['mode'] == 'none' or pol['mx'], pol
            print(pol['mode'], max_age, ' '.join(pol['mx']))
            """;
        var r = PostfixTools.Run(ResolverPython(), "-c", Script, path);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("enforce 1209600 mail.example.com *.example.net\n", r.StdOut);
    }

    /// <summary>The interpreter the installed resolver runs under (its #! line): the one that has its module, not whatever python3 PATH finds first.</summary>
    internal static string ResolverPython()
    {
        var first = File.ReadLines(Tools.Require("mta-sts-daemon")).First();
        Assert.StartsWith("#!", first, StringComparison.Ordinal);
        return first[2..].Trim().Split(' ')[0];
    }
}

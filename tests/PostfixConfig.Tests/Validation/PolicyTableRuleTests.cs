using System.Text.RegularExpressions;
using CsCheck;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Validation;
using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// Rules that walk every entry of the policy table, in the shapes their allocation-free paths take:
/// one diagnostic per table where the cause is in main.cf, case folding only when a key can fold,
/// fingerprints and match lists read without splitting into strings.
/// </summary>
public class PolicyTableRuleTests
{
    private const string Maps = "smtp_tls_policy_maps: hash:/etc/postfix/tls_policy";

    [Fact]
    public void ManyDaneEntriesWithoutDnssec_OneDiagnosticPerProblemAtTheFirst()
    {
        var yaml = $"main: {{{Maps}, smtp_host_lookup: native}}\ntls_policy:\n  a.example: may\n  b.example: dane\n  c.example: dane-only\n  d.example: {{level: dane}}\n";
        var all = Check.Validate(yaml, "3.7");
        var dnssec = Assert.Single(all, d => d.Code == DiagnosticCodes.DaneWithoutDnssec);
        Assert.Equal("tls_policy[b.example]", dnssec.Parameter);
        Assert.Equal(4, dnssec.Span!.Value.Line);
        Assert.StartsWith("Level dane for b.example (and 2 more policy entries with dane or dane-only) needs smtp_dns_support_level = dnssec", dnssec.Message, StringComparison.Ordinal);
        var lookup = Assert.Single(all, d => d.Code == DiagnosticCodes.DaneDnsSettings);
        Assert.Contains("(and 2 more policy entries with dane or dane-only)", lookup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneInMainCfAndInTheTable_EachReported()
    {
        var all = Check.Validate($"main: {{{Maps}, smtp_tls_security_level: dane}}\ntls_policy:\n  b.example: dane-only\n  c.example: dane-only\n", "3.7");
        var reported = all.Where(d => d.Code == DiagnosticCodes.DaneWithoutDnssec).Select(d => d.Parameter).ToList();
        Assert.Equal(["smtp_tls_security_level", "tls_policy[b.example]"], reported.Order(StringComparer.Ordinal));
        Assert.Contains(all, d => d.Code == DiagnosticCodes.DaneWithoutDnssec && d.Message.Contains("(and 1 more policy entry with dane or dane-only)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Example.com", "example.com")]
    [InlineData("example.com", "EXAMPLE.COM")]
    [InlineData("[MX.example.com]:25", "[mx.example.com]:25")]
    [InlineData("exämple.com", "EXÄMPLE.com")]
    public void KeysThatDifferOnlyInCase_Reported(string first, string second)
    {
        var all = Check.Validate($"main: {{{Maps}}}\ntls_policy:\n  \"{first}\": may\n  other.example: may\n  \"{second}\": encrypt\n", "3.7");
        var d = Assert.Single(all, x => x.Code == DiagnosticCodes.DuplicateDestination);
        Assert.Equal($"tls_policy[{second}]", d.Parameter);
        Assert.Contains($"'{first}'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LowerCaseKeys_NeverReportedAsCaseDuplicates()
    {
        var keys = Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? $".d{i}.example" : i % 3 == 1 ? $"[mx.d{i}.example]:25" : $"d{i}.example");
        var yaml = $"main: {{{Maps}}}\ntls_policy:\n" + string.Concat(keys.Select(k => $"  \"{k}\": may\n"));
        Assert.DoesNotContain(Check.Validate(yaml, "3.7"), x => x.Code == DiagnosticCodes.DuplicateDestination);
    }

    [Fact]
    public void MatchPatterns_EachBadNameReportedOnce_SplitAtColons()
    {
        var yaml = $"main: {{{Maps}, smtp_tls_CApath: /etc/ssl/certs}}\ntls_policy:\n  a.example: {{level: secure, match: [nexthop, .example.com, \"*.bad.example\", \"hostname:*.worse.example\"]}}\n";
        var warnings = Check.Validate(yaml, "3.7").Where(d => d.Code == DiagnosticCodes.InvalidCertificateMatch).Select(d => d.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("match '*.bad.example' is neither", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("match '*.worse.example' is neither", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void MatchWithWhitespaceOrComma_LeftToTheTokenRule()
    {
        var all = Check.Validate($"main: {{{Maps}, smtp_tls_CApath: /etc/ssl/certs}}\ntls_policy:\n  a.example: {{level: verify, match: [\"a b\", \"c,*.d\"]}}\n", "3.7");
        Assert.DoesNotContain(all, d => d.Code == DiagnosticCodes.InvalidCertificateMatch);
        Assert.Contains(all, d => d.Code == DiagnosticCodes.PolicyTokenWouldSplit);
    }

    [Fact]
    public void SameBadExcludeInManyEntries_ReportedForEach()
    {
        var yaml = $"main: {{{Maps}}}\ntls_policy:\n  a.example: {{level: encrypt, exclude: [\"!RC4\"]}}\n  b.example: {{level: encrypt, exclude: [\"!RC4\"]}}\n  c.example: {{level: encrypt, exclude: [RC4]}}\n";
        var reported = Check.Validate(yaml, "3.7").Where(d => d.Code == DiagnosticCodes.CipherExclusionSyntax).Select(d => d.Parameter).ToList();
        Assert.Equal(["tls_policy[a.example]", "tls_policy[b.example]"], reported);
    }

    [Theory]
    [InlineData("ciphers: \"\"", "ciphers")]
    [InlineData("servername: \"\"", "servername")]
    [InlineData("policy_ttl: \"\"", "policy_ttl")]
    public void EmptyAttributeValue_Reported(string attribute, string name)
    {
        var all = Check.Validate($"main: {{{Maps}}}\ntls_policy:\n  a.example: {{level: encrypt, {attribute}}}\n", "3.10");
        Assert.Contains(all, d => d.Code == DiagnosticCodes.InvalidPolicyAttributeValue && d.Message.StartsWith($"Policy attribute {name} has an empty value", StringComparison.Ordinal));
    }

    [Fact]
    public void ConnectionReuseInAnEntry_NotedOnce()
    {
        var all = Check.Validate($"main: {{{Maps}}}\ntls_policy:\n  a.example: may\n  b.example: {{level: encrypt, connection_reuse: yes}}\n  c.example: {{level: encrypt, connection_reuse: yes}}\n", "3.7");
        var d = Assert.Single(all, x => x.Code == DiagnosticCodes.DeploymentNote && x.Message.Contains("tlsproxy", StringComparison.Ordinal));
        Assert.Equal("tls_policy[b.example]", d.Parameter);
    }

    [Fact]
    public void RawPublicKeysWithCompactFingerprintRow_Noted()
    {
        var yaml = "main: {smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\", smtp_tls_enable_rpk: yes, smtp_tls_fingerprint_digest: sha256, smtp_tls_fingerprint_cert_match: \""
            + Sha256 + "\"}\ntls_policy:\n  \"[relay.example]\": fingerprint\n";
        Assert.Contains(Check.Validate(yaml, "3.9"), d => d.Code == DiagnosticCodes.RawPublicKeyFingerprints && d.Parameter == "smtp_tls_enable_rpk");
    }

    private static readonly string Sha256 = string.Join(':', Enumerable.Range(0, 32).Select(i => (i * 7 % 256).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The fingerprint reader's verdict against a regular expression of the syntax: colon-separated hex bytes, or (3.7) plain hex.</summary>
    [Fact]
    public void FingerprintSyntax_AgreesWithThePattern()
    {
        var catalog = ParameterCatalog.Default;
        var target = new ValidationTarget(new TlsConfiguration(), TargetRelease.For(PostfixVersion.Parse("3.7"), catalog), catalog);
        var pattern = new Regex("^(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*|(?:[0-9A-Fa-f]{2})+)$", RegexOptions.CultureInvariant);
        Gen.OneOf(Gen.Const('A'), Gen.Const('f'), Gen.Const('0'), Gen.Const(':'), Gen.Const('g'), Gen.Const(' '))
            .Array[1, 12].Select(c => new string(c))
            .Sample(fp =>
            {
                var (bytes, issue) = FingerprintRules.Read(target, fp);
                var valid = pattern.IsMatch(fp);
                Assert.True(valid == (issue is null), $"'{fp}': pattern says {valid}, reader says {issue?.Message ?? "fine"}");
                Assert.Equal(valid ? fp.Count(char.IsAsciiHexDigit) / 2 : 0, bytes);
            }, iter: 20_000);
    }

    [Theory]
    [InlineData("AB:CD:EF", true)]
    [InlineData("ABCDEF", true)]
    [InlineData("AB:CDEF", false)]
    [InlineData(":AB:CD", false)]
    [InlineData("AB::CD", false)]
    [InlineData("AB:CD:", false)]
    [InlineData("ABC", false)]
    [InlineData("GG:00", false)]
    public void FingerprintSyntax_Examples(string fingerprint, bool valid)
    {
        var catalog = ParameterCatalog.Default;
        var target = new ValidationTarget(new TlsConfiguration(), TargetRelease.For(PostfixVersion.Parse("3.7"), catalog), catalog);
        Assert.Equal(valid, FingerprintRules.Read(target, fingerprint).Issue is null);
    }
}

using PostfixConfig.Catalog;
using PostfixConfig.Tests.Support;
using PostfixConfig.Validation;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// How validation evaluates <c>$</c> values: against the installed Postfix (<c>postconf -x</c> of
/// 3.7.11 expands the same settings), and the cases that must stay "unknown".
/// </summary>
public class ExpansionTests
{
    private static ValidationTarget Target(string version, params (string Name, string Value)[] main)
    {
        var config = new TlsConfiguration();
        foreach (var (name, value) in main)
        {
            config = config.Set(name, value);
        }

        var catalog = ParameterCatalog.Default;
        return new ValidationTarget(config, TargetRelease.For(PostfixVersion.Parse(version), catalog), catalog);
    }

    /// <summary>Settings and the parameters whose expanded value postconf -x and the validator must agree on.</summary>
    public static TheoryData<string, string> OracleCases() => new()
    {
        { "compatibility_level = 3.6", "smtp_tls_fingerprint_digest smtpd_tls_fingerprint_digest" },
        { "compatibility_level = 2", "smtp_tls_fingerprint_digest lmtp_tls_fingerprint_digest" },
        { "compatibility_level = 3.10\nsmtp_tls_security_level = dane", "smtp_tls_fingerprint_digest smtp_tls_dane_insecure_mx_policy tlsproxy_client_security_level" },
        { "smtp_tls_security_level = encrypt", "smtp_tls_dane_insecure_mx_policy tlsproxy_client_security_level" },
        { "tlsproxy_client_level = encrypt\ntlsproxy_client_policy = hash:/etc/postfix/p", "tlsproxy_client_security_level tlsproxy_client_policy_maps" },
        { "smtpd_tls_cert_file = /etc/ssl/certs/mail.pem", "smtpd_tls_key_file tlsproxy_tls_cert_file tlsproxy_tls_key_file" },
        { "smtpd_tls_security_level = encrypt", "postscreen_tls_security_level tlsproxy_tls_security_level" },
        { "my_level = may\nsmtp_tls_security_level = $my_level", "smtp_tls_security_level tlsproxy_client_security_level" },
        { "smtp_use_tls = yes\nsmtp_tls_security_level = ${smtp_use_tls?{may}:{none}}", "smtp_tls_security_level" },
        { "smtp_use_tls = no\nsmtp_tls_security_level = ${smtp_use_tls:none}", "smtp_tls_security_level" },
    };

    [Trait("Category", "Slow")]
    [PostfixTheory]
    [MemberData(nameof(OracleCases))]
    public void Resolve_AgreesWithPostconfExpansion(string mainCf, string names)
    {
        using var dir = new TempDir();
        dir.Write("main.cf", mainCf + "\n");
        dir.Write("master.cf", string.Empty);
        var r = PostfixTools.Run(PostfixTools.Postconf, ["-c", dir.Path, "-x", .. names.Split(' ')]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var settings = mainCf.Split('\n').Select(l => l.Split(" = ", 2)).Select(p => (p[0], p[1])).ToArray();
        var target = Target("3.7.11", settings);
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf(" =", StringComparison.Ordinal);
            var name = line[..eq];
            var expected = line.Length > eq + 2 ? line[(eq + 3)..] : string.Empty;
            Assert.True(expected == target.Resolve(name), $"{name}: postconf -x says '{expected}', validation resolved '{target.Resolve(name)}'");
        }
    }

    [Fact]
    public void Resolve_UnsetCompatibilityLevel_IsUnknown()
    {
        // The compiled-in 0 would give md5, but installed main.cf files set the level; the validator must not guess.
        Assert.Null(Target("3.7").Resolve("smtp_tls_fingerprint_digest"));
        Assert.Equal("md5", Target("3.5").Resolve("smtp_tls_fingerprint_digest"));
    }

    [Theory]
    [InlineData("${domain_to_ascii{$myhostname}}")]
    [InlineData("$myhostname.example")]
    [InlineData("${undefined_thing}")]
    [InlineData("${x")]
    public void Resolve_ComplexOrUnknownValue_IsNull(string value) =>
        Assert.Null(Target("3.11", ("smtp_tls_servername", value)).Resolve("smtp_tls_servername"));

    [Theory]
    [InlineData("$$", "$")]
    [InlineData("$$hostname", "$hostname")]
    [InlineData("${smtp_tls_security_level}.example", "may.example")]
    public void Resolve_LiteralDollarAndMixedText_ExpandAsPostfixDoes(string value, string expected) =>
        Assert.Equal(expected, Target("3.11", ("smtp_tls_servername", value), ("smtp_tls_security_level", "may")).Resolve("smtp_tls_servername"));

    [Theory]
    [InlineData("3.10", "3.9", 1)]
    [InlineData("3.6", "3.6.0", 0)]
    [InlineData("2", "3.6", -1)]
    [InlineData("3.11.1", "3.11", 1)]
    public void TryParseLevel_ComparesAsVersionsNotDecimals(string a, string b, int sign)
    {
        Assert.True(Expansion.TryParseLevel(a, out var la));
        Assert.True(Expansion.TryParseLevel(b, out var lb));
        Assert.Equal(sign, Math.Sign(la.CompareTo(lb)));
    }
}

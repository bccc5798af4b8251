using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Profiles;

/// <summary>
/// What <c>profile:</c> expands to. The expectations are facts of Postfix and OpenSSL (protocol
/// syntax by release, TLS 1.3 with OpenSSL 1.1.1, curve and group defaults), not a copy of the
/// data file, and every expansion is judged by the same validation rules as a hand-written main.cf.
/// </summary>
public class ProfileExpansionTests
{
    private const string Chain = "smtpd_tls_chain_files: [/etc/letsencrypt/live/mail.example.com/privkey.pem, /etc/letsencrypt/live/mail.example.com/fullchain.pem]";
    private const string CertAndKey = "smtpd_tls_cert_file: /etc/ssl/certs/mail.pem, smtpd_tls_key_file: /etc/ssl/private/mail.key";

    private static readonly string[] OpenSslVersions = ["0.9.8", "1.0.1", "1.0.2", "1.1.0", "1.1.1", "3.0", "3.5"];

    private static TlsConfiguration Load(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "test.yaml");
        Assert.False(loaded.HasErrors, string.Join('\n', loaded.Diagnostics));
        return loaded.Value;
    }

    private static Result<ExpandedConfiguration> Expand(string version, string profile, string? openSsl = null, string main = CertAndKey) =>
        PostfixTls.Expand(Load($"postfix_version: \"{version}\"\n{(openSsl is null ? "" : $"openssl_version: \"{openSsl}\"\n")}profile: {profile}\nmain: {{{main}}}\n"));

    private static string? Value(Result<ExpandedConfiguration> r, string name)
    {
        Assert.False(r.HasErrors, string.Join('\n', r.Diagnostics));
        return r.Value.Configuration.Main.GetText(name);
    }

    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in ParameterCatalog.Default.Releases.Newest)
        {
            foreach (var profile in ProfileCatalog.ProfileNames)
            {
                foreach (var ssl in OpenSslVersions)
                {
                    data.Add(line.Line.ToString(), profile, ssl);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// For every release line, profile and OpenSSL version: either the profile is refused with a
    /// reason, or what it expands to passes every validation rule of that release without an error
    /// or a warning (so the data file cannot name a protocol, syntax or parameter the release lacks).
    /// </summary>
    [Theory]
    [MemberData(nameof(Matrix))]
    public void Expand_EveryReleaseAndOpenSsl_RefusedOrValidWithoutWarnings(string version, string profile, string openSsl)
    {
        var main = PostfixVersion.Parse(version) >= new PostfixVersion(3, 4) ? Chain : CertAndKey;
        var r = Expand(version, profile, openSsl, main);
        if (r.HasErrors)
        {
            Assert.All(r.Diagnostics.Errors, d => Assert.Equal(DiagnosticCodes.ProfileNotExpressible, d.Code));
            return;
        }

        var validation = PostfixTls.Validate(Load($"postfix_version: \"{version}\"\nopenssl_version: \"{openSsl}\"\nprofile: {profile}\nmain: {{{main}}}\n"));
        var problems = validation.Where(d => d.Severity != DiagnosticSeverity.Info).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal("may", Value(r, "smtpd_tls_security_level"));
        Assert.Equal("may", Value(r, "smtp_tls_security_level"));
    }

    [Theory]
    [InlineData("3.7", "intermediate", "smtpd_tls_mandatory_protocols", ">=TLSv1.2")]
    [InlineData("3.7", "intermediate", "smtpd_tls_protocols", ">=TLSv1")]
    [InlineData("3.7", "intermediate", "smtp_tls_mandatory_protocols", ">=TLSv1.2")]
    [InlineData("3.7", "modern", "smtpd_tls_mandatory_protocols", ">=TLSv1.3")]
    [InlineData("3.7", "modern", "smtpd_tls_protocols", ">=TLSv1.2")]
    [InlineData("3.7", "old", "smtpd_tls_mandatory_protocols", ">=TLSv1")]
    [InlineData("3.7", "old", "smtpd_tls_mandatory_ciphers", "medium")]
    [InlineData("3.7", "intermediate", "smtpd_tls_mandatory_ciphers", "high")]
    [InlineData("3.7", "old", "tls_preempt_cipherlist", "yes")]
    [InlineData("3.7", "modern", "tls_preempt_cipherlist", "no")]
    [InlineData("3.7", "intermediate", "tls_eecdh_auto_curves", "X25519 prime256v1 secp384r1")]
    // The >= syntax exists from 3.6: before, the same floor is written as exclusions.
    [InlineData("3.5", "intermediate", "smtpd_tls_mandatory_protocols", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1")]
    [InlineData("3.5", "modern", "smtpd_tls_mandatory_protocols", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.2")]
    [InlineData("3.5", "old", "smtpd_tls_protocols", "!SSLv2, !SSLv3")]
    // smtpd_tls_eecdh_grade is obsolete from 3.6 and left alone; before, 'auto' with OpenSSL 1.0.2 and later.
    [InlineData("3.5", "intermediate", "smtpd_tls_eecdh_grade", "auto")]
    [InlineData("3.6", "intermediate", "smtpd_tls_eecdh_grade", null)]
    // Before 2.6 there is no opportunistic protocol setting.
    [InlineData("2.5", "old", "smtpd_tls_protocols", null)]
    [InlineData("2.5", "old", "smtpd_tls_mandatory_protocols", "!SSLv2, !SSLv3")]
    // No DH parameter file: Postfix's own group is the better choice (and 3.9's postconf warns about the setting).
    [InlineData("3.9", "intermediate", "smtpd_tls_dh1024_param_file", null)]
    public void Expand_KnownFacts(string version, string profile, string parameter, string? expected) =>
        Assert.Equal(expected, Value(Expand(version, profile), parameter));

    [Fact]
    public void Expand_Postfix311WithOpenSsl35_KeepsTheDefaultCurvesWithPostQuantumHybrid()
    {
        var r = Expand("3.11", "intermediate", "3.5");
        Assert.Null(Value(r, "tls_eecdh_auto_curves"));
        Assert.Contains(r.Diagnostics, d => d.Code == DiagnosticCodes.ProfileNote && d.Message.Contains("X25519MLKEM768", StringComparison.Ordinal));
        Assert.Equal("X25519 prime256v1 secp384r1", Value(Expand("3.10", "intermediate", "3.5"), "tls_eecdh_auto_curves"));
        Assert.Equal("X25519 prime256v1 secp384r1", Value(Expand("3.11", "intermediate", "3.0"), "tls_eecdh_auto_curves"));
    }

    [Fact]
    public void Expand_ModernFfdheGroups_EmptyOnlyWherePostfixAcceptsAnEmptyListAndOpenSslHasThem()
    {
        Assert.Equal(string.Empty, Value(Expand("3.8.8", "modern", "3.0"), "tls_ffdhe_auto_groups"));
        Assert.Null(Value(Expand("3.8.7", "modern", "3.0"), "tls_ffdhe_auto_groups"));
        Assert.Null(Value(Expand("3.10", "modern", "1.1.1"), "tls_ffdhe_auto_groups"));
        Assert.Null(Value(Expand("3.10", "intermediate", "3.0"), "tls_ffdhe_auto_groups"));
    }

    [Fact]
    public void Expand_OldOpenSsl_LeavesX25519Out()
    {
        Assert.Equal("prime256v1 secp384r1", Value(Expand("3.4", "intermediate", "1.0.2"), "tls_eecdh_auto_curves"));
    }

    [Theory]
    [InlineData("3.3", "modern", null, "OpenSSL 1.1.1")] // Debian's 3.3-era OpenSSL is 1.1.0: no TLS 1.3
    [InlineData("3.0.13", "modern", "1.1.1", "3.4")] // TLS 1.3 control arrived in 3.0.14
    [InlineData("2.11", "modern", "1.1.1", "3.4")]
    [InlineData("2.9.1", "intermediate", "1.0.1", "TLSv1.2")]
    [InlineData("3.6", "intermediate", "1.1.0", "Postfix 3.6 and later need OpenSSL 1.1.1")]
    [InlineData("2.2", "old", null, "2.3")]
    public void Expand_NotExpressible_RefusedWithTheReason(string version, string profile, string? openSsl, string reason)
    {
        var r = Expand(version, profile, openSsl);
        Assert.True(r.HasErrors);
        var error = Assert.Single(r.Diagnostics.Errors);
        Assert.Equal(DiagnosticCodes.ProfileNotExpressible, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("test.yaml", version == "2.2" || openSsl is null ? 2 : 3, 10), error.Span);
    }

    [Theory]
    [InlineData("3.3", "modern", "1.1.1")] // back-ported TLS 1.3 control (3.3.2)
    [InlineData("3.0", "modern", "1.1.1")] // 3.0.15
    [InlineData("2.10", "intermediate", "1.0.1")]
    public void Expand_BackPortedFeatures_Accepted(string version, string profile, string openSsl) =>
        Assert.False(Expand(version, profile, openSsl).HasErrors);

    [Fact]
    public void Expand_ExplicitMainWinsOverTheProfile()
    {
        var r = Expand("3.7", "modern", main: CertAndKey + ", smtpd_tls_protocols: \">=TLSv1\", smtp_tls_security_level: dane, smtp_dns_support_level: dnssec");
        Assert.Equal(">=TLSv1", Value(r, "smtpd_tls_protocols"));
        Assert.Equal("dane", Value(r, "smtp_tls_security_level"));
        Assert.Equal(">=TLSv1.3", Value(r, "smtpd_tls_mandatory_protocols"));
        Assert.Equal(ValueSource.Main, r.Value!.Origins.Single(o => o.Name == "smtpd_tls_protocols").Source);
        var fromProfile = r.Value.Origins.Single(o => o.Name == "smtpd_tls_mandatory_protocols");
        Assert.Equal(ValueSource.Profile, fromProfile.Source);
        Assert.Contains("profile modern (profiles.txt line", fromProfile.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_NoOpenSslVersion_SaysWhichOneIsAssumed()
    {
        var r = Expand("3.7", "intermediate");
        var note = Assert.Single(r.Diagnostics, d => d.Parameter == "openssl_version");
        Assert.Contains("OpenSSL 3.0", note.Message, StringComparison.Ordinal);
        Assert.Equal(new OpenSslVersion(3, 0), PostfixTls.DefaultOpenSslVersion(PostfixVersion.Parse("3.7")));
        Assert.Equal(new OpenSslVersion(1, 1, 1), PostfixTls.DefaultOpenSslVersion(PostfixVersion.Parse("3.5.9")));
        Assert.Equal(new OpenSslVersion(3, 5), PostfixTls.DefaultOpenSslVersion(PostfixVersion.Parse("3.10")));
    }

    [Fact]
    public void Validate_ProfileValueProblem_ReportedAtTheProfileKey()
    {
        // No certificate: the profile turns server TLS on, so the warning points at the profile line.
        var validation = PostfixTls.Validate(Load("postfix_version: \"3.7\"\nprofile: intermediate\n"));
        var warning = Assert.Single(validation, d => d.Code == DiagnosticCodes.ServerTlsWithoutCertificate);
        Assert.Equal(new SourceSpan("test.yaml", 2, 10), warning.Span);
    }

    [Fact]
    public void Validate_ShowOrigins_ListsEveryEffectiveSetting()
    {
        var config = Load("postfix_version: \"3.7\"\nprofile: old\nmain: {" + CertAndKey + "}\nservices: {submission: {smtpd_sasl_auth_enable: yes}}\n");
        var expanded = PostfixTls.Expand(config).GetValueOrThrow();
        var origins = PostfixTls.Validate(config, ValidationOptions.Default with { ShowOrigins = true }).Where(d => d.Code == DiagnosticCodes.ValueOrigin).ToList();
        Assert.Equal(expanded.Configuration.Main.Count + expanded.Configuration.Services.Sum(s => s.Overrides.Count), origins.Count);
        Assert.Contains(origins, d => d.Parameter == "submission/inet/smtpd_sasl_auth_enable" && d.Message.Contains("services.submission", StringComparison.Ordinal) && d.Span!.Value.Line == 4);
        Assert.Contains(origins, d => d.Parameter == "submission/inet/smtpd_tls_security_level" && d.Message.Contains("default", StringComparison.Ordinal));
        Assert.Contains(origins, d => d.Parameter == "smtpd_tls_mandatory_protocols" && d.Message.Contains("profile old", StringComparison.Ordinal));
        Assert.DoesNotContain(PostfixTls.Validate(config), d => d.Code == DiagnosticCodes.ValueOrigin);
    }

    [Theory]
    [InlineData("profile: Intermediate", DiagnosticCodes.UnknownProfile, "did you mean 'intermediate'", 1, 10)]
    [InlineData("profile: strict", DiagnosticCodes.UnknownProfile, "modern, intermediate, old", 1, 10)]
    [InlineData("openssl_version: \"3.x\"", DiagnosticCodes.InvalidOpenSslVersion, "OpenSSL version", 1, 18)]
    [InlineData("profil: modern", DiagnosticCodes.UnknownTopLevelKey, "did you mean 'profile'", 1, 1)]
    public void LoadYaml_BadProfileKeys_ErrorWithPosition(string yaml, string code, string message, int line, int column)
    {
        var loaded = PostfixTls.LoadYaml(yaml + "\n", "bad.yaml");
        var error = Assert.Single(loaded.Diagnostics.Errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("bad.yaml", line, column), error.Span);
    }

    [Fact]
    public void ToYaml_ProfileOpenSslAndServices_RoundTrip()
    {
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7"), Profile = TlsProfile.Modern, OpenSslVersion = OpenSslVersion.Parse("3.0.13") }
            .Set(ServerTls.ChainFiles, ["/k.pem", "/c.pem"])
            .WithService(new ServiceSettings("submission") { Listen = "127.0.0.1:587" }.Set("smtpd_sasl_auth_enable", "yes"))
            .WithService(new ServiceSettings("submissions"));
        var yaml = PostfixTls.ToYaml(config);
        var back = PostfixTls.LoadYaml(yaml);
        Assert.False(back.HasErrors, string.Join('\n', back.Diagnostics) + "\n" + yaml);
        Assert.Equal(config, back.Value);
    }

    [Fact]
    public void ProfileCatalog_EveryRowNamesACatalogParameter()
    {
        var catalog = ParameterCatalog.Default;
        foreach (var row in ProfileCatalog.Default.Rows.Where(r => r.Kind == ProfileRowKind.Parameter))
        {
            Assert.True(catalog.Find(row.Parameter!) is not null, $"profiles.txt line {row.Line}: {row.Parameter} is not in the TLS catalog");
        }
    }

    [Theory]
    [InlineData("[@openssl]\n3.x = 1.0\n[@rows]\n* | !note | * | x\n", "line 2")]
    [InlineData("[@openssl]\n2.2 = 1.0.1\n[@rows]\nstrict | smtpd_tls_protocols | * | x\n", "unknown profile")]
    [InlineData("[@openssl]\n2.2 = 1.0.1\n[@rows]\n* | smtpd_tls_protocols | postfix>3.6 | x\n", "bad condition")]
    [InlineData("[@openssl]\n2.2 = 1.0.1\n[@rows]\n* | smtpd_tls_protocols | *\n", "expected")]
    public void ProfileCatalog_MalformedData_FormatExceptionNamingTheLine(string profiles, string message)
    {
        var e = Assert.Throws<FormatException>(() => ProfileCatalog.Load(profiles, string.Empty));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}

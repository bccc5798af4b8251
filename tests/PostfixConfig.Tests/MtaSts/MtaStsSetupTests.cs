namespace PostfixConfig.Tests.MtaSts;

/// <summary>
/// The resolver's set-up in the effective configuration: the socketmap with the map name the resolver
/// and the release need, after the site's own table, and what the release needs for it. Release facts
/// from the Postfix sources: policy plugin attributes in smtp_tls_policy.c from 3.10, and
/// smtp_tls_enforce_sts_mx_patterns from 3.10.5 (HISTORY 20251022) and 3.11.
/// </summary>
public class MtaStsSetupTests
{
    private static TlsConfiguration Effective(string yaml, string version)
    {
        var loaded = PostfixTls.LoadYaml(yaml, "t.yaml");
        Assert.False(loaded.HasErrors, loaded.Diagnostics.ToString());
        var expanded = PostfixTls.Expand(loaded.Value, ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse(version) });
        return expanded.GetValueOrThrow().Configuration;
    }

    private const string Tlspol = "mta_sts: {resolver: postfix-tlspol, address: \"inet:127.0.0.1:8642\"}\n";
    private const string Resolver = "mta_sts: {resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\"}\n";

    [Theory]
    [InlineData("3.4", "socketmap:inet:127.0.0.1:8642:QUERY")]
    [InlineData("3.9", "socketmap:inet:127.0.0.1:8642:QUERY")]
    [InlineData("3.10", "socketmap:inet:127.0.0.1:8642:QUERYwithTLSRPT")]
    [InlineData("3.12", "socketmap:inet:127.0.0.1:8642:QUERYwithTLSRPT")]
    public void Tlspol_MapNameFollowsTheRelease(string version, string expected)
    {
        Assert.Equal(expected, Effective(Tlspol, version).Main.GetText("smtp_tls_policy_maps"));
    }

    [Theory]
    [InlineData("3.3", "mta_sts: {resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\", require_sni: no}\n")] // servername= needs 3.4
    [InlineData("3.7", Resolver)]
    [InlineData("3.11", Resolver)]
    public void MtaStsResolver_IsAskedAsPostfixOnEveryRelease(string version, string yaml)
    {
        Assert.Equal("socketmap:inet:127.0.0.1:8461:postfix", Effective(yaml, version).Main.GetText("smtp_tls_policy_maps"));
    }

    [Fact]
    public void SiteTable_StaysFirst_AndTheResolverIsAppended()
    {
        var main = Effective("main:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\n" + Resolver, "3.7").Main;
        Assert.Equal("hash:/etc/postfix/tls_policy, socketmap:inet:127.0.0.1:8461:postfix", main.GetText("smtp_tls_policy_maps"));

        var list = Effective("main:\n  smtp_tls_policy_maps: [hash:/etc/postfix/tls_policy, \"texthash:/etc/postfix/more\"]\n" + Resolver, "3.7").Main["smtp_tls_policy_maps"];
        Assert.Equal(["hash:/etc/postfix/tls_policy", "texthash:/etc/postfix/more", "socketmap:inet:127.0.0.1:8461:postfix"], list.Items.ToArray());
    }

    [Fact]
    public void ResolverAlreadyListed_IsNotAddedTwice()
    {
        const string Yaml = "main:\n  smtp_tls_policy_maps: socketmap:inet:127.0.0.1:8461:postfix, hash:/etc/postfix/tls_policy\n" + Resolver;
        Assert.Equal("socketmap:inet:127.0.0.1:8461:postfix, hash:/etc/postfix/tls_policy", Effective(Yaml, "3.7").Main.GetText("smtp_tls_policy_maps"));
    }

    [Theory]
    [InlineData("3.10.4", null)]
    [InlineData("3.10.5", "yes")]
    [InlineData("3.11", "yes")]
    public void Tlspol_WithTlsRptAttributes_SetsEnforceStsMxPatternsWhereItExists(string version, string? expected)
    {
        Assert.Equal(expected, Effective(Tlspol, version).Main.GetText("smtp_tls_enforce_sts_mx_patterns"));
    }

    [Fact]
    public void MtaStsResolver_WithoutTlsRpt_LeavesEnforceStsMxPatternsAlone_WithTlsRptSetsIt()
    {
        Assert.Null(Effective(Resolver, "3.11").Main.GetText("smtp_tls_enforce_sts_mx_patterns"));
        var withTlsRpt = "mta_sts: {resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\", tlsrpt: yes}\n";
        Assert.Equal("yes", Effective(withTlsRpt, "3.11").Main.GetText("smtp_tls_enforce_sts_mx_patterns"));
    }

    [Fact]
    public void ExplicitSettings_Win()
    {
        var main = Effective("main:\n  smtp_tls_enforce_sts_mx_patterns: \"no\"\n  smtp_tls_dane_insecure_mx_policy: may\n" + Tlspol, "3.11").Main;
        Assert.Equal("no", main.GetText("smtp_tls_enforce_sts_mx_patterns"));
        Assert.Equal("may", main.GetText("smtp_tls_dane_insecure_mx_policy"));
    }

    [Theory]
    [InlineData("3.6.16", "may", "dane")]   // default ${{$smtp_tls_security_level} == {dane} ? {dane} : {may}} (the 3.6 regression)
    [InlineData("3.6.17", "may", null)]     // default dane again
    [InlineData("3.6.16", "dane", null)]    // the expression gives dane
    public void Tlspol_OnReleasesWithTheInsecureMxRegression_SetsDane(string version, string level, string? expected)
    {
        var main = Effective($"main:\n  smtp_dns_support_level: dnssec\n  smtp_tls_security_level: {level}\n" + Tlspol, version).Main;
        Assert.Equal(expected, main.GetText("smtp_tls_dane_insecure_mx_policy"));
    }

    [Fact]
    public void MalformedAddress_SetsNothingUp()
    {
        var loaded = PostfixTls.LoadYaml("mta_sts: {resolver: postfix-tlspol, address: \"inet:127.0.0.1\"}\n", "t.yaml").Value!;
        var expanded = PostfixTls.Expand(loaded, ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.11") });
        Assert.True(expanded.HasErrors);
        Assert.Contains(expanded.Diagnostics, d => d.Code == PostfixConfig.Diagnostics.DiagnosticCodes.InvalidMtaStsResolver);
    }

    [Fact]
    public void ShowOrigin_SaysTheResolverWasAppended()
    {
        var loaded = PostfixTls.LoadYaml("main:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\n" + Tlspol, "t.yaml").Value!;
        var found = PostfixTls.Validate(loaded, ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.9"), ShowOrigins = true });
        var origin = Assert.Single(found, d => d.Code == PostfixConfig.Diagnostics.DiagnosticCodes.ValueOrigin && d.Parameter == "smtp_tls_policy_maps");
        Assert.Contains("with the resolver of mta_sts (resolver postfix-tlspol, map name QUERY for Postfix 3.9", origin.Message, StringComparison.Ordinal);
    }
}

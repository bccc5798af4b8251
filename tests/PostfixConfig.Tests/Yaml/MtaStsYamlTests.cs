using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Yaml;

/// <summary>The mta_sts and publish sections: what they read into, where problems are reported, and the way back to YAML.</summary>
public class MtaStsYamlTests
{
    private const string Both = """
        postfix_version: "3.11"
        mta_sts:
          resolver: postfix-mta-sts-resolver
          address: inet:127.0.0.1:8461
          require_sni: false
          tlsrpt: true
        publish:
          domain: example.com
          mta_sts:
            mode: testing
            mx: [mail.example.com, "*.example.net"]
            max_age: 86400
          tlsrpt:
            rua: mailto:tls@example.com
        """;

    private static Result<TlsConfiguration> Load(string yaml) => PostfixTls.LoadYaml(yaml, "c.yaml");

    [Fact]
    public void LoadYaml_BothSections_ReadIntoTheModel()
    {
        var r = Load(Both);
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        var resolver = r.Value.MtaSts!;
        Assert.Equal((MtaStsResolverKind.PostfixMtaStsResolver, "inet:127.0.0.1:8461", false, true), (resolver.Kind, resolver.Address, resolver.RequireSni, resolver.TlsRpt));
        var publish = r.Value.Publish!;
        Assert.Equal("example.com", publish.Domain);
        Assert.Equal(MtaStsMode.Testing, publish.MtaSts!.Mode);
        Assert.Equal(["mail.example.com", "*.example.net"], publish.MtaSts.Mx.ToArray());
        Assert.Equal(86400, publish.MtaSts.MaxAge);
        Assert.Equal(["mailto:tls@example.com"], publish.TlsRpt!.Rua.ToArray());
        Assert.Equal(new SourceSpan("c.yaml", 11, 28), publish.MtaSts.SpanOfMx(1));
    }

    [Fact]
    public void LoadYaml_Defaults_RequireSniOnTlsRptOffMaxAgeAWeek()
    {
        var r = Load("mta_sts: {resolver: postfix-tlspol, address: \"unix:/run/tlspol.sock\"}\npublish: {domain: example.com, mta_sts: {mode: enforce, mx: mail.example.com}}\n");
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        Assert.True(r.Value.MtaSts!.RequireSni);
        Assert.False(r.Value.MtaSts.TlsRpt);
        Assert.Equal(MtaStsPolicy.DefaultMaxAge, r.Value.Publish!.MtaSts!.MaxAge);
        Assert.Equal(["mail.example.com"], r.Value.Publish.MtaSts.Mx.ToArray());
    }

    [Theory]
    [InlineData("mta_sts:\n  resolver: postfix-sts\n  address: inet:127.0.0.1:8461\n", DiagnosticCodes.InvalidMtaStsResolver, 2, 13, "Unknown MTA-STS resolver 'postfix-sts'")]
    [InlineData("mta_sts:\n  address: inet:127.0.0.1:8461\n", DiagnosticCodes.InvalidMtaStsResolver, 1, 1, "mta_sts needs 'resolver'")]
    [InlineData("mta_sts:\n  resolver: postfix-tlspol\n", DiagnosticCodes.InvalidMtaStsResolver, 1, 1, "mta_sts needs 'address'")]
    [InlineData("mta_sts:\n  resolver: postfix-tlspol\n  adress: inet:127.0.0.1:8642\n", DiagnosticCodes.InvalidMtaStsResolver, 3, 3, "did you mean 'address'?")]
    [InlineData("mta_sts: inet:127.0.0.1:8461\n", DiagnosticCodes.WrongShape, 1, 10, "'mta_sts' must be a mapping")]
    [InlineData("publish:\n  mta_sts: {mode: enforce, mx: [mx.example.com]}\n", DiagnosticCodes.InvalidPublishedPolicy, 1, 1, "publish needs 'domain'")]
    [InlineData("publish:\n  domain: example.com\n  mta_sts: {mode: Enforce, mx: [mx.example.com]}\n", DiagnosticCodes.InvalidPublishedPolicy, 3, 19, "'Enforce' is not an MTA-STS mode")]
    [InlineData("publish:\n  domain: example.com\n  mta_sts: {mx: [mx.example.com]}\n", DiagnosticCodes.InvalidPublishedPolicy, 3, 3, "needs 'mode'")]
    [InlineData("publish:\n  domain: example.com\n  mta_sts: {mode: testing, mx: [mx.example.com], max_age: 1w}\n", DiagnosticCodes.InvalidPublishedPolicy, 3, 59, "max_age is a number of seconds")]
    [InlineData("publish:\n  domain: example.com\n  tlsrpt: {ruf: mailto:x@example.com}\n", DiagnosticCodes.InvalidPublishedPolicy, 3, 12, "Unknown key 'ruf' in publish.tlsrpt")]
    [InlineData("publish:\n  domain: example.com\n  mta_sts: {mode: testing, mx: [{a: b}]}\n", DiagnosticCodes.WrongShape, 3, 33, "must be a single value")]
    public void LoadYaml_MalformedSections_ReportedWhereTheyAre(string yaml, string code, int line, int column, string message)
    {
        var r = Load(yaml);
        Assert.True(r.HasErrors);
        var d = Assert.Single(r.Diagnostics, d => d.Code == code && d.Message.Contains(message, StringComparison.Ordinal)); // a typo also leaves the key missing
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(new SourceSpan("c.yaml", line, column), d.Span);
    }

    [Fact]
    public void LoadYaml_EmptySections_AreNone()
    {
        var r = Load("mta_sts:\npublish:\n");
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        Assert.Null(r.Value.MtaSts);
        Assert.Null(r.Value.Publish);
    }

    [Fact]
    public void ToYaml_ThenLoad_GivesAnEqualModel()
    {
        var config = Load(Both).Value!;
        var yaml = PostfixTls.ToYaml(config);
        var again = Load(yaml);
        Assert.False(again.HasErrors, yaml + "\n" + again.Diagnostics);
        Assert.Equal(config, again.Value);
        Assert.Equal(config.GetHashCode(), again.Value!.GetHashCode());
    }

    [Fact]
    public void Equality_SeesTheNewSections()
    {
        var config = Load(Both).Value!;
        Assert.NotEqual(config, config with { MtaSts = null });
        Assert.NotEqual(config, config with { Publish = config.Publish! with { MtaSts = config.Publish.MtaSts! with { MaxAge = 1 } } });
        Assert.NotEqual(config, config with { Publish = config.Publish! with { TlsRpt = new TlsRptPolicy(["mailto:other@example.com"]) } });
        Assert.Equal(config, config with { Publish = config.Publish! with { } });
    }
}

using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Yaml;

public class YamlReaderTests
{
    private static Result<TlsConfiguration> Load(string yaml) => PostfixTls.LoadYaml(yaml, "c.yaml");

    [Fact]
    public void LoadYaml_SeedShape_ReadsVersionParametersAndPolicy()
    {
        var r = Load("""
            postfix_version: "3.7"
            main:
              smtpd_tls_chain_files:
                - /k.pem
                - /c.pem
              smtpd_tls_auth_only: true
              smtp_tls_loglevel: 1
              smtpd_tls_cert_file:
            tls_policy:
              gmail.com:
                level: encrypt
                protocols: TLSv1.2
              "[mx.example.com]:25": secure
            """);
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        var c = r.Value;
        Assert.Equal(PostfixVersion.Parse("3.7"), c.PostfixVersion);
        Assert.Equal(["/k.pem", "/c.pem"], c.Main["smtpd_tls_chain_files"].Items.ToArray());
        Assert.Equal("yes", c.Main["smtpd_tls_auth_only"].Text);
        Assert.Equal("1", c.Main["smtp_tls_loglevel"].Text);
        Assert.Equal(string.Empty, c.Main["smtpd_tls_cert_file"].Text);
        Assert.Equal(new SourceSpan("c.yaml", 4, 5), c.Main["smtpd_tls_chain_files"].Span);
        Assert.Equal("encrypt protocols=TLSv1.2", c.TlsPolicy.Find("gmail.com")!.RenderValue());
        Assert.Equal("secure", c.TlsPolicy.Find("[mx.example.com]:25")!.Level);
    }

    [Fact]
    public void LoadYaml_DuplicateKeys_AllReportedWithPositions()
    {
        var r = Load("""
            main:
              smtpd_tls_security_level: may
              smtpd_tls_security_level: encrypt
            tls_policy:
              a.example: may
              a.example: encrypt
            """);
        var dups = r.Diagnostics.Where(d => d.Code == DiagnosticCodes.DuplicateKey).ToList();
        Assert.Equal(2, dups.Count);
        Assert.Equal(3, dups[0].Span!.Value.Line);
        Assert.Equal(6, dups[1].Span!.Value.Line);
        Assert.Equal("tls_policy[a.example]", dups[1].Parameter);
    }

    [Theory]
    [InlineData("main: [a, b]\n", DiagnosticCodes.WrongShape, 1, 7)]
    [InlineData("- a\n- b\n", DiagnosticCodes.WrongShape, 1, 1)]
    [InlineData("mian:\n  a: b\n", DiagnosticCodes.UnknownTopLevelKey, 1, 1)]
    [InlineData("main:\n  smtpd_tls_security_level: {a: b}\n", DiagnosticCodes.WrongShape, 2, 29)]
    [InlineData("postfix_version: three\n", DiagnosticCodes.InvalidPostfixVersion, 1, 18)]
    [InlineData("main:\n  x: \"unclosed\n", DiagnosticCodes.YamlSyntax, 2, 6)]
    [InlineData("main:\n\tsmtpd_use_tls: yes\n", DiagnosticCodes.YamlSyntax, 2, 1)]
    [InlineData("", DiagnosticCodes.NotOneDocument, 1, 1)]
    [InlineData("tls_policy:\n  a.example:\n    protocols: TLSv1.2\n", DiagnosticCodes.InvalidPolicyLevel, 3, 5)]
    public void LoadYaml_BadInput_ReportsCodeAndPosition(string yaml, string code, int line, int column)
    {
        var r = Load(yaml);
        Assert.True(r.HasErrors);
        var d = Assert.Single(r.Diagnostics, d => d.Code == code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal((line, column), (d.Span!.Value.Line, d.Span!.Value.Column));
        Assert.Equal("c.yaml", d.Span!.Value.File);
    }

    [Fact]
    public void LoadYaml_AliasBomb_RefusedQuickly()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 9; i++)
        {
            var prev = (char)('a' + i);
            var next = (char)('b' + i);
            yaml += $"{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n";
        }

        var r = Load("main:\n  " + yaml.Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd() + "\n");
        Assert.Contains(r.Diagnostics, d => d.Code == DiagnosticCodes.AliasExpansionTooLarge);
    }

    [Fact]
    public void ToYaml_ThenLoad_GivesEqualModel()
    {
        var original = Rendering.SeedConfigurationTests.BuildInCode()
            .Set("smtpd_tls_received_header", "true")
            .Set("some_empty", string.Empty)
            .Set("odd", " leading space");
        var yaml = PostfixTls.ToYaml(original);
        var back = PostfixTls.LoadYaml(yaml);
        Assert.False(back.HasErrors, back.Diagnostics.ToString() + "\n" + yaml);
        Assert.Equal(original, back.Value);
    }
}

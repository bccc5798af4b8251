using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Apply;

/// <summary>The typed SNI table: YAML shape, rules, rendering.</summary>
public class SniTests
{
    private const string Maps = "  tls_server_sni_maps: hash:/etc/postfix/sni\n";

    private static DiagnosticList Validate(string version, string main, string sni)
    {
        var loaded = PostfixTls.LoadYaml($"postfix_version: \"{version}\"\nmain:\n  smtpd_tls_chain_files: [/k.pem, /c.pem]\n{main}sni:\n{sni}", "sni.yaml");
        return loaded.HasErrors ? loaded.Diagnostics : PostfixTls.Validate(loaded.Value);
    }

    [Theory]
    [InlineData("3.3", Maps, "  mail.example.com: [/k.pem, /c.pem]\n", DiagnosticCodes.SniNotInRelease, 6, 3)] // besides PFX1002 for the 3.4 parameters
    [InlineData("3.7", "", "  mail.example.com: [/k.pem, /c.pem]\n", DiagnosticCodes.SniMapsMissing, 5, 3)]
    [InlineData("3.7", "  tls_server_sni_maps: texthash:/etc/postfix/sni\n", "  mail.example.com: [/k.pem, /c.pem]\n", DiagnosticCodes.SniMapsMissing, 4, 24)]
    [InlineData("3.7", Maps, "  \"[mail.example.com]\": [/k.pem, /c.pem]\n", DiagnosticCodes.InvalidSniEntry, 6, 3)]
    [InlineData("3.7", Maps, "  mail.example.com: [k.pem, /c.pem]\n", DiagnosticCodes.InvalidSniEntry, 6, 21)]
    [InlineData("3.7", Maps, "  mail.example.com: [\"/my key.pem\", /c.pem]\n", DiagnosticCodes.InvalidSniEntry, 6, 21)]
    [InlineData("3.7", Maps, "  mail.example.com: []\n", DiagnosticCodes.InvalidSniEntry, 6, 21)]
    [InlineData("3.7", Maps, "  mail.example.com: [/k.pem, /c.pem]\n  Mail.Example.com: [/k.pem, /c.pem]\n", DiagnosticCodes.InvalidSniEntry, 7, 3)]
    [InlineData("3.7", "  tls_server_sni_maps: hash:/etc/postfix/main.cf\n", "  mail.example.com: [/k.pem, /c.pem]\n", DiagnosticCodes.UnsafeMapPath, 4, 24)]
    public void Validate_BadSni_ErrorWithPosition(string version, string main, string sni, string code, int line, int column)
    {
        var error = Assert.Single(Validate(version, main, sni).Errors, d => d.Code == code);
        Assert.Equal(code, error.Code);
        Assert.Equal(new SourceSpan("sni.yaml", line, column), error.Span);
    }

    [Fact]
    public void Validate_GoodSni_NoError()
    {
        Assert.False(Validate("3.7", Maps, "  mail.example.com: [/k.pem, /c.pem]\n  .example.org: /combined.pem\n").HasErrors);
    }

    [Fact]
    public void Render_SniSource_OneLinePerNameLowerCaseFilesInOrder()
    {
        var loaded = PostfixTls.LoadYaml("postfix_version: \"3.7\"\nmain:\n  smtpd_tls_chain_files: [/k.pem, /c.pem]\n" + Maps + "sni:\n  Mail.Example.com: [/etc/le/privkey.pem, /etc/le/fullchain.pem]\n  .example.org: /etc/ssl/combined.pem\n");
        var file = PostfixTls.Render(loaded.GetValueOrThrow()).GetValueOrThrow().Files.Single(f => f.Kind == RenderedFileKind.SniMap);
        Assert.Equal("sni", file.FileName);
        Assert.Equal("hash", file.MapType);
        var lines = file.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(["mail.example.com /etc/le/privkey.pem /etc/le/fullchain.pem", ".example.org /etc/ssl/combined.pem"], lines);
    }

    [Fact]
    public void ToYaml_Sni_RoundTrip()
    {
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
            .Set("tls_server_sni_maps", "hash:/etc/postfix/sni")
            .WithSni(new SniEntry("mail.example.com", ["/k.pem", "/c.pem"]));
        Assert.Equal(config, PostfixTls.LoadYaml(PostfixTls.ToYaml(config)).GetValueOrThrow());
    }
}

using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

/// <summary>The seed configuration, through YAML and through the C# API, gives the same files; Postfix reads them as intended.</summary>
public class SeedConfigurationTests
{
    /// <summary>The newsletter host of examples/newsletter.yaml, built in C#.</summary>
    internal static TlsConfiguration BuildInCode() =>
        new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
            .Set("myhostname", "mail.example.com")
            .Set(ServerTls.ChainFiles, ["/etc/letsencrypt/live/mail.example.com/privkey.pem", "/etc/letsencrypt/live/mail.example.com/fullchain.pem"])
            .Set(ServerTls.SecurityLevel, ServerSecurityLevel.May)
            .Set(ClientTls.SecurityLevel, ClientSecurityLevel.Dane)
            .Set(ClientTls.DnsSupportLevel, DnsSupportLevel.Dnssec)
            .Set(ClientTls.SessionCacheDatabase, "btree:${data_directory}/smtp_scache")
            .Set(ClientTls.PolicyMaps, ["hash:/etc/postfix/tls_policy"])
            .WithPolicy(new TlsPolicyEntry("gmail.com", ClientSecurityLevel.Encrypt) { Protocols = ["TLSv1.2"] })
            .WithPolicy(new TlsPolicyEntry("[contoso-com.mail.protection.outlook.com]", ClientSecurityLevel.Encrypt));

    [Fact]
    public void CSharpApi_AndYaml_RenderTheSameFiles()
    {
        var fromYaml = PostfixTls.LoadYamlFile(Path.Combine(RepoPaths.Examples, "newsletter.yaml")).GetValueOrThrow() with { SourcePath = null };
        var fromCode = BuildInCode();
        Assert.Equal(fromYaml, fromCode);
        var a = PostfixTls.Render(fromYaml).GetValueOrThrow();
        var b = PostfixTls.Render(fromCode).GetValueOrThrow();
        Assert.Equal(a.Files.Select(f => (f.FileName, f.Content)), b.Files.Select(f => (f.FileName, f.Content)));
    }

    [PostfixFact]
    public void Seed_PostmapQuery_ReturnsEncryptWithTls12ForGmail()
    {
        var rendered = PostfixTls.Render(BuildInCode()).GetValueOrThrow();
        using var dir = PostfixTools.ConfigDir(rendered);
        PostfixTools.CompileMap(dir.Path, "hash", dir.File("tls_policy"));
        Assert.Equal("encrypt protocols=TLSv1.2", PostfixTools.Query(dir.Path, "hash", dir.File("tls_policy"), "gmail.com"));
        Assert.Equal("encrypt", PostfixTools.Query(dir.Path, "hash", dir.File("tls_policy"), "[contoso-com.mail.protection.outlook.com]"));
        Assert.Null(PostfixTools.Query(dir.Path, "hash", dir.File("tls_policy"), "mail.gmail.com"));

        var (values, stderr) = PostfixTools.PostconfN(dir.Path);
        Assert.Empty(stderr);
        Assert.Equal("dane", values["smtp_tls_security_level"]);
        Assert.Equal("dnssec", values["smtp_dns_support_level"]);
        Assert.Equal("btree:${data_directory}/smtp_scache", values["smtp_tls_session_cache_database"]);
        Assert.Equal("/etc/letsencrypt/live/mail.example.com/privkey.pem, /etc/letsencrypt/live/mail.example.com/fullchain.pem", values["smtpd_tls_chain_files"]);
    }
}

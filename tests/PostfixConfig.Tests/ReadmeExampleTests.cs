using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests;

/// <summary>The C# example in README.md is this code: the test runs it and checks README.md and docs/api.md show it verbatim.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeCSharpExample_RendersAndValidatesCleanly()
    {
        using var dir = new TempDir();
        var target = dir.File("postfix.new");
        var errors = new StringWriter();

        // README:begin
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
            .Set(ServerTls.ChainFiles, ["/etc/letsencrypt/live/mail.example.com/privkey.pem",
                                        "/etc/letsencrypt/live/mail.example.com/fullchain.pem"])
            .Set(ServerTls.SecurityLevel, ServerSecurityLevel.May)
            .Set(ClientTls.SecurityLevel, ClientSecurityLevel.Dane)
            .Set(ClientTls.DnsSupportLevel, DnsSupportLevel.Dnssec)
            .Set(ClientTls.PolicyMaps, ["hash:/etc/postfix/tls_policy"])
            .WithPolicy(new TlsPolicyEntry("gmail.com", ClientSecurityLevel.Encrypt) { Protocols = ["TLSv1.2"] });

        var result = PostfixTls.Render(config);          // validates first
        foreach (var d in result.Diagnostics) errors.WriteLine(d);
        if (!result.HasErrors) result.Value.WriteTo(target);
        // README:end

        Assert.Equal(string.Empty, errors.ToString());
        Assert.Contains("smtp_tls_security_level = dane\n", File.ReadAllText(Path.Combine(target, "main.cf")), StringComparison.Ordinal);
        Assert.Equal("gmail.com encrypt protocols=TLSv1.2", File.ReadAllLines(Path.Combine(target, "tls_policy")).Last());
    }

    [Fact]
    public void Readme_ShowsTheTestedExampleVerbatim()
    {
        var source = File.ReadAllLines(Path.Combine(RepoPaths.TestProject, "ReadmeExampleTests.cs"));
        var begin = Array.FindIndex(source, l => l.Trim() == "// README:begin");
        var end = Array.FindIndex(source, l => l.Trim() == "// README:end");
        var snippet = source[(begin + 1)..end]
            .Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())
            .Select(l => l.Replace("errors.WriteLine(d)", "Console.Error.WriteLine(d)", StringComparison.Ordinal)
                          .Replace("WriteTo(target)", "WriteTo(\"/etc/postfix.new\")", StringComparison.Ordinal));
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.Contains(string.Join('\n', snippet), readme, StringComparison.Ordinal);
        Assert.Contains(string.Join('\n', snippet), File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "api.md")), StringComparison.Ordinal);
    }
}

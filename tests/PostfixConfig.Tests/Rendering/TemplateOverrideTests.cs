using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

public class TemplateOverrideTests
{
    [Fact]
    public void Render_UserTemplateFolder_ReplacesOnlyThatTemplate()
    {
        using var dir = new TempDir();
        dir.Write("main.cf.sbn", "# custom header\n{{ for g in groups }}{{ for p in g.parameters }}{{ p.line }}\n{{ end }}{{ end }}");
        var rendered = PostfixTls.Render(SeedConfigurationTests.BuildInCode(), RenderOptions.Default with { TemplateDirectory = dir.Path }).GetValueOrThrow();
        Assert.StartsWith("# custom header\nsmtpd_tls_chain_files = ", rendered.MainCf.Content, StringComparison.Ordinal);
        Assert.Contains("gmail.com encrypt protocols=TLSv1.2\n", rendered.Find("tls_policy")!.Content, StringComparison.Ordinal); // built-in policy template
    }

    [Fact]
    public void Render_CliTemplatesOption_UsesTheFolder()
    {
        using var dir = new TempDir();
        dir.Write("tpl/tls_policy.sbn", "{{ for e in entries }}{{ e.key }}\t{{ e.value }}\n{{ end }}");
        var r = CliRunner.Run("render", Path.Combine(RepoPaths.Examples, "newsletter.yaml"), "--out", dir.File("out"), "--templates", dir.File("tpl"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("gmail.com\tencrypt protocols=TLSv1.2\n[contoso-com.mail.protection.outlook.com]\tencrypt\n", File.ReadAllText(dir.File("out/tls_policy")));
    }

    [Fact]
    public void Render_ValueThatLooksLikeTemplateCode_IsWrittenLiterally()
    {
        var config = SeedConfigurationTests.BuildInCode().Set("smtpd_banner", "{{ 1 + 1 }} $myhostname ESMTP # not a comment ünïcode");
        var rendered = PostfixTls.Render(config).GetValueOrThrow();
        Assert.Contains("smtpd_banner = {{ 1 + 1 }} $myhostname ESMTP # not a comment ünïcode\n", rendered.MainCf.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UserTemplateRuntimeError_SaysFileLineAndColumn_OneBased()
    {
        // Found by mutation testing (tests/mutation/survivors/Rendering.txt, ConfigurationRenderer.cs:325): Scriban's
        // positions are 0-based, the message gives them 1-based as every other position the tool prints.
        using var dir = new TempDir();
        dir.Write("tpl/main.cf.sbn", "# one\n{{ nosuch_fn 1 }}\n");
        var r = CliRunner.Run("render", Path.Combine(RepoPaths.Examples, "newsletter.yaml"), "--out", dir.File("out"), "--templates", dir.File("tpl"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("`nosuch_fn` was not found (at main.cf.sbn:2:4)", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")) && Directory.EnumerateFileSystemEntries(dir.File("out")).Any(), "nothing is written");
    }
}

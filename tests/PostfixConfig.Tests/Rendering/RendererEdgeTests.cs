using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Rendering;

namespace PostfixConfig.Tests.Rendering;

/// <summary>
/// The renderer's edges, found by mutation testing (tests/mutation/RESULTS.md): the release
/// thresholds of master.cf, the last guard against line breaks, and the line-end normalisation.
/// </summary>
public class RendererEdgeTests
{
    private static Result<RenderedConfiguration> Render(string version, string services = "services: {submission: {}}\n") =>
        PostfixTls.Render(PostfixTls.LoadYaml(
            $"postfix_version: \"{version}\"\nmain: {{smtpd_tls_cert_file: /c.pem, smtpd_tls_key_file: /k.pem}}\n" + services).GetValueOrThrow());

    private static RenderedConfiguration Rendered(string yaml) =>
        PostfixTls.Render(PostfixTls.LoadYaml(yaml).GetValueOrThrow()).GetValueOrThrow();

    private static string MasterCf(string version) =>
        Render(version).GetValueOrThrow().Files.Single(f => f.Kind == RenderedFileKind.MasterCf).Content;

    [Theory]
    [InlineData("3.0")]
    [InlineData("3.0.0")]
    public void Render_ServicesForFirstSupportedRelease_WritesMasterCf(string version)
    {
        // 3.0 is the first release Debian's stock master.cf of 3.7 can stand for; 2.11 is refused.
        var r = Render(version);
        Assert.DoesNotContain(r.Diagnostics, d => d.Code == DiagnosticCodes.MasterCfNotRendered);
        Assert.Contains("\nsubmission inet ", MasterCf(version), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.3", false)]
    [InlineData("3.3.22", false)]
    [InlineData("3.4.0", true)]
    [InlineData("3.4", true)]
    [InlineData("3.7", true)]
    public void Render_MasterCf_HasPostlogFrom34(string version, bool postlog)
    {
        // postlogd came with Postfix 3.4 (RELEASE_NOTES-3.4); master.cf must not name it before.
        var master = MasterCf(version);
        Assert.Equal(postlog, master.Contains("\npostlog   unix-dgram n  -       n       -       1       postlogd\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("\u0001")]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\u000b")]
    [InlineData("\u001f")]
    [InlineData("\u007f")]
    public void OneLine_ControlCharacter_Refused(string control)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ConfigurationRenderer.OneLine("a" + control + "b"));
        Assert.Contains("line break or control character", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\tb")]
    [InlineData("grüße ~ x")]
    [InlineData("")]
    public void OneLine_PrintableOrTab_Unchanged(string text) => Assert.Same(text, ConfigurationRenderer.OneLine(text));

    [Theory]
    [InlineData("a\r\nb\r\n", "a\nb\n")]
    [InlineData("a\n\n\n", "a\n")]
    [InlineData("a", "a\n")]
    [InlineData("\n\n", "")]
    [InlineData("", "")]
    [InlineData("\r\n", "")]
    [InlineData("a\n\nb", "a\n\nb\n")]
    public void Normalize_LfAndOneTrailingNewline(string text, string expected) =>
        Assert.Equal(expected, ConfigurationRenderer.Normalize(text));

    [Theory]
    [InlineData("smtpd_tls_cert_file", "", "smtpd_tls_cert_file =")]
    [InlineData("smtpd_tls_cert_file", "/c.pem", "smtpd_tls_cert_file = /c.pem")]
    public void FormatLine_EmptyValueHasNoTrailingSpace(string name, string value, string expected) =>
        Assert.Equal(expected, ConfigurationRenderer.FormatLine(name, value));

    [Fact]
    public void Render_MainCf_OneTitledGroupPerScope_InFixedOrder()
    {
        // Each parameter lands under its program's title (ConfigurationRenderer.Groups), in the order of the groups.
        var yaml = "postfix_version: \"3.7\"\nmain:\n  myhostname: mail.example.com\n  tls_high_cipherlist: HIGH\n  tlsproxy_tls_security_level: may\n"
            + "  lmtp_tls_security_level: may\n  smtp_tls_security_level: may\n  postscreen_tls_security_level: may\n  smtpd_tls_security_level: may\n";
        var main = Rendered(yaml).MainCf.Content;
        var expected = new[]
        {
            "# TLS: SMTP server (smtpd)\nsmtpd_tls_security_level = may\n",
            "# TLS: postscreen\npostscreen_tls_security_level = may\n",
            "# TLS: SMTP client (smtp)\nsmtp_tls_security_level = may\n",
            "# TLS: LMTP client (lmtp)\nlmtp_tls_security_level = may\n",
            "# TLS: tlsproxy\ntlsproxy_tls_security_level = may\n",
            "# TLS: shared settings\ntls_high_cipherlist = HIGH\n",
            "# Other parameters\nmyhostname = mail.example.com\n",
        };
        var at = expected.Select(e => main.IndexOf("\n\n" + e, StringComparison.Ordinal)).ToArray();
        Assert.All(at, (i, n) => Assert.True(i >= 0, $"missing group {expected[n]} in:\n{main}"));
        Assert.Equal(at.Order(), at);
    }

    [Fact]
    public void Render_ServicesOtherThanPort25_KeepTheStockSmtpLine_OnceEach()
    {
        var master = MasterCf("3.7");
        Assert.Single(Lines(master, "smtp      inet "));
        Assert.Equal("smtp      inet  n       -       y       -       -       smtpd", Lines(master, "smtp      inet ").Single());
        Assert.Single(Lines(master, "submission inet "));
        Assert.Empty(Lines(master, "submissions inet "));
    }

    [Fact]
    public void Render_Port25Service_ReplacesTheStockSmtpLine()
    {
        var rendered = Render("3.7", "services: {smtp: {smtpd_tls_loglevel: 1}}\n").GetValueOrThrow();
        var master = rendered.Files.Single(f => f.Kind == RenderedFileKind.MasterCf).Content;
        var smtp = master.Split('\n').SkipWhile(l => !l.StartsWith("smtp      inet ", StringComparison.Ordinal)).ToArray();
        Assert.Single(Lines(master, "smtp      inet "));
        Assert.Equal("  -o smtpd_tls_loglevel=1", smtp[1]);
        Assert.Empty(Lines(master, "submission inet "));
    }

    private static string[] Lines(string text, string prefix) =>
        [.. text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public void Render_Profile_NamedInTheHeader()
    {
        var yaml = "postfix_version: \"3.7\"\nprofile: intermediate\nmain: {smtpd_tls_chain_files: [/k.pem, /c.pem]}\n";
        var main = Rendered(yaml).MainCf.Content;
        Assert.Contains("\n# TLS profile: intermediate (port 25 opportunistic, the profile's floor where TLS is mandatory).\n", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ConfigurationWithErrors_NoFilesAndTheErrors_NotAnException()
    {
        // Validation reports the line break; rendering must stop there rather than reach the last guard (OneLine), which throws.
        var config = SeedConfigurationTests.BuildInCode().Set("smtpd_banner", "mail\nRCPT TO:<x>");
        var r = PostfixTls.Render(config);
        Assert.Null(r.Value);
        Assert.Contains(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Parameter == "smtpd_banner");
    }

    [Fact]
    public void Render_WithoutADiagnosticsList_PublishedFilesStillRender()
    {
        // The internal entry point without a diagnostics list (used by tests and merge): the zone file's
        // "no TLSA records" note must not need one.
        var config = PostfixTls.LoadYaml("postfix_version: \"3.7\"\npublish: {domain: example.com, tlsrpt: {rua: [\"mailto:t@example.com\"]}}\n").GetValueOrThrow();
        var rendered = ConfigurationRenderer.Render(config, TargetRelease.For(PostfixVersion.Parse("3.7.11")), RenderOptions.Default);
        Assert.Contains("; DANE: no TLSA records.", rendered.Find("dns-records.zone")!.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void MainCf_OfMapsOnly_Throws()
    {
        // RenderMaps (merge) has no main.cf; asking for it is a programming error, not a null.
        var config = new TlsConfiguration { TlsPolicy = TlsPolicyTable.Create([new TlsPolicyEntry("example.com", "encrypt")]) }
            .Set("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy");
        var maps = ConfigurationRenderer.RenderMaps(config, RenderOptions.Default);
        Assert.Equal("tls_policy", maps.Files.Single().FileName);
        Assert.Throws<InvalidOperationException>(() => maps.MainCf);
    }

    [Fact]
    public void WriteTo_NullWriter_ArgumentNullException()
    {
        var file = PostfixTls.Render(SeedConfigurationTests.BuildInCode()).GetValueOrThrow().MainCf;
        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => file.WriteTo((TextWriter)null!)).ParamName);
    }

    [Fact]
    public void Render_ServicesForAReleaseBefore30_RefusedWithTheReason()
    {
        var r = Render("2.11");
        Assert.Null(r.Value);
        var d = Assert.Single(r.Diagnostics, d => d.Code == DiagnosticCodes.MasterCfNotRendered);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("services", d.Parameter);
        Assert.Contains("services need Postfix 3.0 or later; for Postfix 2.11 edit the host's master.cf with 'postfix-config merge' instead.", d.Message, StringComparison.Ordinal);
        Assert.Equal(3, d.Span?.Line);
    }

    [Fact]
    public void Render_SniMapsWithoutEntries_WritesNoSniTable()
    {
        // tls_server_sni_maps may name a table kept by hand: without sni entries there is nothing to write.
        var yaml = "postfix_version: \"3.7\"\nmain: {smtpd_tls_chain_files: [/k.pem, /c.pem], tls_server_sni_maps: hash:/etc/postfix/sni}\n";
        var rendered = Rendered(yaml);
        Assert.DoesNotContain(rendered.Files, f => f.Kind == RenderedFileKind.SniMap);
        Assert.Equal(["main.cf"], rendered.Files.Select(f => f.FileName));
    }

    [Fact]
    public void WriteTo_AfterContent_WritesTheSameText()
    {
        var file = PostfixTls.Render(SeedConfigurationTests.BuildInCode()).GetValueOrThrow().Find("tls_policy")!;
        var content = file.Content;
        using var writer = new StringWriter();
        file.WriteTo(writer);
        Assert.Equal(content, writer.ToString());
        Assert.StartsWith("# TLS policy table for smtp_tls_policy_maps", content, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_FolderWithALinkInside_RefusedByDefault_WrittenWhenOptionsFollowLinks()
    {
        using var dir = new PostfixConfig.Tests.Support.TempDir();
        var target = dir.Write("real-main.cf", "# old\n");
        File.CreateSymbolicLink(dir.File("main.cf"), "real-main.cf");
        var rendered = Rendered("postfix_version: \"3.7\"\nmain: {smtpd_tls_security_level: may}\n");

        Assert.ThrowsAny<IOException>(() => rendered.WriteTo(dir.Path));
        Assert.Equal("# old\n", File.ReadAllText(target));
        rendered.WriteTo(dir.Path, WriteOptions.Default with { FollowSymlinks = true });
        Assert.Contains("\nsmtpd_tls_security_level = may\n", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateException_EveryConstructor_HasATemplateName()
    {
        Assert.Equal(string.Empty, new TemplateException().Template);
        Assert.Equal(string.Empty, new TemplateException("failed", new IOException("x")).Template);
        var e = new TemplateException("main.cf.sbn", "no such template");
        Assert.Equal("main.cf.sbn", e.Template);
        Assert.Equal("Template main.cf.sbn: no such template", e.Message);
    }

    [Fact]
    public void Render_PolicyMapsWithoutEntries_WritesNoPolicyTable()
    {
        // smtp_tls_policy_maps may name a table kept by hand: without tls_policy entries there is nothing to write.
        var yaml = "postfix_version: \"3.7\"\nmain: {smtp_tls_security_level: may, smtp_tls_policy_maps: hash:/etc/postfix/tls_policy}\n";
        var rendered = Rendered(yaml);
        Assert.Equal(["main.cf"], rendered.Files.Select(f => f.FileName));
    }

    [Fact]
    public void Render_SniTable_HeaderSaysHowToInstallAndBuildIt()
    {
        var yaml = "postfix_version: \"3.7\"\nmain: {smtpd_tls_chain_files: [/k.pem, /c.pem], tls_server_sni_maps: hash:/etc/postfix/sni}\n"
            + "sni: {Mail.Example.org: [/etc/ssl/org.key, /etc/ssl/org.pem]}\n";
        var sni = Rendered(yaml).Files.Single(f => f.Kind == RenderedFileKind.SniMap);
        Assert.Equal("sni", sni.FileName);
        Assert.Equal(
            "# SNI table for tls_server_sni_maps = hash:/etc/postfix/sni: a host name (or .domain), then its private key file and certificate chain file(s).\n"
            + "# Generated by postfix-config. Install it as /etc/postfix/sni, then run: postmap -F hash:/etc/postfix/sni\n"
            + "# (-F puts the files' contents into the table: run it again after every certificate renewal, then postfix reload).\n"
            + "mail.example.org /etc/ssl/org.key /etc/ssl/org.pem\n",
            sni.Content);
    }
}

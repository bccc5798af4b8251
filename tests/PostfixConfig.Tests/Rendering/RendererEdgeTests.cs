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
}

using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// Client protocol lists that leave only TLS 1.1 and older, with OpenSSL 3 (found by the release suite:
/// Postfix 3.4 to 3.12 built against OpenSSL 3.0 deferred a fingerprint policy entry with
/// <c>protocols=!TLSv1.2</c>, "legacy sigalg disallowed or unsupported").
/// </summary>
public class ClientLegacyProtocolTests
{
    private const string Maps = "smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\"";

    private static List<Diagnostic> Legacy(string yaml, string version) =>
        [.. Check.Validate(yaml, version).Where(d => d.Code == DiagnosticCodes.ProtocolRangeGap && d.Message.Contains("legacy signatures", StringComparison.Ordinal))];

    [Theory]
    [InlineData("3.10", "protocols: \"!TLSv1.2\"")]
    [InlineData("3.4", "protocols: [\"!SSLv2\", \"!TLSv1.2\"]")]
    public void PolicyEntryAtFingerprint_OnlyOldProtocolsLeft_Error(string version, string protocols)
    {
        var yaml = $"openssl_version: \"3.0\"\nmain: {{{Maps}, smtp_tls_fingerprint_digest: sha256}}\ntls_policy:\n  a.example: {{level: fingerprint, match: \"AA:BB\", {protocols}}}\n";
        var d = Assert.Single(Legacy(yaml, version));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("tls_policy[a.example]", d.Parameter);
        Assert.Contains("TLSv1 and TLSv1.1", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MandatoryCeilingBelowTls12_Error_OpportunisticGap_Warning()
    {
        var all = Legacy("main: {smtp_tls_mandatory_protocols: \"<=TLSv1.1\", smtp_tls_protocols: \"!TLSv1.2\"}", "3.10");
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(all, d => d.Parameter == "smtp_tls_mandatory_protocols").Severity);
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(all, d => d.Parameter == "smtp_tls_protocols").Severity);
    }

    [Theory]
    [InlineData("3.10", "main: {smtp_tls_protocols: \">=TLSv1.2\", smtp_tls_mandatory_protocols: \"!SSLv2, !SSLv3, !TLSv1, !TLSv1.1\"}")]
    [InlineData("3.10", "main: {smtpd_tls_protocols: \"!TLSv1.2\"}")]
    [InlineData("3.4", "main: {smtp_tls_protocols: \"!TLSv1.2\"}")] // Debian's 3.4 has OpenSSL 1.1.1
    [InlineData("3.10", "openssl_version: \"1.1.1\"\nmain: {smtp_tls_protocols: \"!TLSv1.2\"}")]
    public void NotLegacyOnlyOrNotOpenSsl3_Nothing(string version, string yaml) =>
        Assert.Empty(Legacy(yaml, version));
}

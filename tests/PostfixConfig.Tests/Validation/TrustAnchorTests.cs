using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>verify/secure policy entries without any trust anchor: one diagnostic for the table, not one per entry.</summary>
public class TrustAnchorTests
{
    private const string Maps = "smtp_tls_policy_maps: hash:/etc/postfix/tls_policy";

    [Fact]
    public void ManyVerifyingEntries_OneDiagnosticAtTheFirstWithTheCount()
    {
        var yaml = $"main: {{{Maps}}}\ntls_policy:\n  a.example: may\n  b.example: verify\n  c.example: secure\n  d.example: {{level: verify, tafile: /etc/postfix/ta.pem}}\n  e.example: verify\n";
        var all = Check.Validate(yaml, "3.7").Where(d => d.Code == DiagnosticCodes.NoTrustAnchors).ToList();
        var d = Assert.Single(all);
        Assert.Equal("tls_policy[b.example]", d.Parameter);
        Assert.Equal(4, d.Span!.Value.Line);
        Assert.Contains("(and 2 more policy entries with verify or secure and no tafile)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneVerifyingEntry_NoCount()
    {
        var d = Assert.Single(Check.Validate($"main: {{{Maps}}}\ntls_policy:\n  b.example: verify\n", "3.7"), x => x.Code == DiagnosticCodes.NoTrustAnchors);
        Assert.DoesNotContain("more policy", d.Message, StringComparison.Ordinal);
        Assert.StartsWith("Level verify for b.example verifies", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustAnchorInMainCf_NoDiagnostic() =>
        Assert.DoesNotContain(Check.Validate($"main: {{{Maps}, smtp_tls_CAfile: /etc/ssl/certs/ca-certificates.crt}}\ntls_policy:\n  b.example: verify\n", "3.7"), x => x.Code == DiagnosticCodes.NoTrustAnchors);
}

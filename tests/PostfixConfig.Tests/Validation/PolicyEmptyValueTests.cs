using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// Policy attributes written with no value, as smtp_tls_policy.c of every release from 3.4 to 3.12 reads
/// them (and as the release suite saw live: <c>none protocols=</c> delivered with a warning that the
/// attribute is ignored, <c>may protocols=</c> delivered without a word): <c>protocols=</c> and
/// <c>exclude=</c> are accepted (an empty protocol list allows every protocol, an empty exclusion list
/// excludes nothing); <c>ciphers=</c>, <c>match=</c>, <c>tafile=</c> and <c>servername=</c> make the entry invalid.
/// </summary>
public class PolicyEmptyValueTests
{
    private const string Maps = "smtp_tls_policy_maps: \"hash:/etc/postfix/tls_policy\", smtp_tls_CApath: /etc/ssl/certs";

    private static DiagnosticList Validate(string entry, string version = "3.10") =>
        Check.Validate($"main: {{{Maps}}}\ntls_policy:\n  a.example: {{{entry}}}\n", version);

    [Theory]
    [InlineData("3.4")]
    [InlineData("3.10")]
    public void EmptyProtocols_WarnsThatEveryProtocolIsAllowed_NotAnError(string version)
    {
        var all = Validate("level: encrypt, protocols: \"\"", version);
        Assert.DoesNotContain(all, d => d.Severity == DiagnosticSeverity.Error);
        var d = Assert.Single(all, x => x.Code == DiagnosticCodes.InvalidPolicyAttributeValue);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("allows every protocol", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyExclude_ExcludesNothing()
    {
        var all = Validate("level: encrypt, exclude: \"\"");
        Assert.DoesNotContain(all, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Contains(all, d => d.Code == DiagnosticCodes.SettingHasNoEffect && d.Message.Contains("exclude", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyProtocolsAtLevelNone_OnlyTheIgnoredAttributeWarning()
    {
        var all = Validate("level: none, protocols: \"\"");
        Assert.DoesNotContain(all, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains(all, d => d.Code == DiagnosticCodes.PolicyAttributesIgnored);
    }

    [Fact]
    public void EmptyItemAmongOthers_LeftToTheListItemRule()
    {
        var all = Validate("level: encrypt, protocols: [TLSv1.3, \"\"]");
        Assert.Contains(all, d => d.Code == DiagnosticCodes.ListItemWouldSplit);
        Assert.DoesNotContain(all, d => d.Code == DiagnosticCodes.InvalidPolicyAttributeValue);
    }

    [Theory]
    [InlineData("level: encrypt, ciphers: \"\"", "ciphers")]
    [InlineData("level: verify, match: \"\"", "match")]
    [InlineData("level: secure, tafile: \"\"", "tafile")]
    [InlineData("level: encrypt, servername: \"\"", "servername")]
    public void OtherEmptyValues_MakeTheEntryInvalid(string entry, string name)
    {
        var d = Assert.Single(Validate(entry), x => x.Code == DiagnosticCodes.InvalidPolicyAttributeValue);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith($"Policy attribute {name} has an empty value", d.Message, StringComparison.Ordinal);
    }
}

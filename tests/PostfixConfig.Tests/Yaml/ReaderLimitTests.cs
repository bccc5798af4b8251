using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Yaml;

/// <summary>The input limits of <see cref="LoadOptions"/>: each refusal names the limit, and nothing huge is built first.</summary>
public class ReaderLimitTests
{
    private static Diagnostic Refused(string yaml, LoadOptions options, string code)
    {
        var r = PostfixTls.LoadYaml(yaml, "c.yaml", options);
        Assert.True(r.HasErrors);
        return Assert.Single(r.Diagnostics, d => d.Code == code);
    }

    [Fact]
    public void LoadYaml_InputOverMaxInputChars_RefusedBeforeParsing()
    {
        var d = Refused("main:\n  myhostname: " + new string('a', 200) + "\n", LoadOptions.Default with { MaxInputChars = 100 }, DiagnosticCodes.InputTooLarge);
        Assert.Equal("The input is 221 characters long; the limit is 100.", d.Message);
    }

    [Fact]
    public void LoadYaml_ListLongerThanMaxValueLength_Refused()
    {
        // Each item is short; together they would make one main.cf line of 200 000 characters.
        var yaml = "main:\n  smtpd_tls_chain_files:\n" + string.Concat(Enumerable.Repeat("    - /etc/ssl/some-certificate-file.pem\n", 6000));
        var d = Refused(yaml, LoadOptions.Default, DiagnosticCodes.InputTooLarge);
        Assert.Contains("The list is longer than 65,536 characters in all", d.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("c.yaml", 3, 5), d.Span);
    }

    [Fact]
    public void LoadYaml_AliasesOfALongValue_RefusedByTheListLength()
    {
        // Aliases share one string, but joining a list of them would build a huge one: refused first.
        var yaml = "main:\n  a: &big \"" + new string('x', 60_000) + "\"\n  smtpd_tls_chain_files: [" + string.Join(", ", Enumerable.Repeat("*big", 5000)) + "]\n";
        var d = Refused(yaml, LoadOptions.Default, DiagnosticCodes.InputTooLarge);
        Assert.Contains("The list is longer than", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_MorePolicyEntriesThanTheLimit_Refused()
    {
        var yaml = "tls_policy:\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"  h{i}.example: may\n"));
        var d = Refused(yaml, LoadOptions.Default with { MaxPolicyEntries = 3 }, DiagnosticCodes.InputTooLarge);
        Assert.Equal("tls_policy has more than 3 entries.", d.Message);
    }

    [Fact]
    public void LoadYaml_AliasExpansionOverTheBudget_Refused()
    {
        var yaml = "main:\n  a: &a [x, x, x, x]\n  b: [*a, *a, *a]\n";
        Refused(yaml, LoadOptions.Default with { MaxAliasExpansion = 10 }, DiagnosticCodes.AliasExpansionTooLarge);
        Assert.DoesNotContain(PostfixTls.LoadYaml(yaml, "c.yaml", LoadOptions.Default with { MaxAliasExpansion = 30 }).Diagnostics,
            d => d.Code == DiagnosticCodes.AliasExpansionTooLarge);
    }

    [Fact]
    public void LoadYaml_MergeKeyInPolicyEntry_Refused()
    {
        var d = Refused("tls_policy:\n  a.example:\n    <<: {level: may}\n", LoadOptions.Default, DiagnosticCodes.WrongShape);
        Assert.Contains("merge keys", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_SyntaxErrorOnAnAnchorLine_AliasToItIsNotReportedAgain()
    {
        var r = PostfixTls.LoadYaml("main:\n  a: &x \"unclosed\n  b: *x\n  c: 1\n  c: 2\n", "c.yaml");
        Assert.Equal(
            ["c.yaml(2,9): error PFX0001", "c.yaml(5,3): error PFX0002"],
            r.Diagnostics.Select(d => d.ToString()[..26]));
    }

    [Fact]
    public void LoadYaml_StrTag_KeepsTheTextLiteral()
    {
        var r = PostfixTls.LoadYaml("main:\n  smtpd_tls_auth_only: !!str true\n  smtpd_use_tls: true\n");
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        Assert.Equal("true", r.Value.Main["smtpd_tls_auth_only"].Text);
        Assert.Equal("yes", r.Value.Main["smtpd_use_tls"].Text);
    }

    [Fact]
    public void LoadYamlFile_Utf16WithByteOrderMark_Read()
    {
        using var dir = new Support.TempDir();
        var path = dir.File("c.yaml");
        File.WriteAllText(path, "main:\n  myhostname: grüße.example\n", new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        var r = PostfixTls.LoadYamlFile(path);
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        Assert.Equal("grüße.example", r.Value.Main["myhostname"].Text);
    }
}

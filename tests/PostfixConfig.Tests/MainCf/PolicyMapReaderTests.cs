using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// Policy table source files as postmap reads them: logical lines, the key up to the first unquoted
/// whitespace, the value split into level and attributes at whitespace and commas.
/// </summary>
public class PolicyMapReaderTests
{
    [Fact]
    public void ReadPolicyMap_Attributes_MappedToTypedProperties()
    {
        var r = PostfixTls.ReadPolicyMap(
            "a.example  fingerprint match=AA:BB|CC:DD match=EE:FF,exclude=aNULL:MD5\n"
            + "b.example verify protocols=!SSLv2:!SSLv3 ciphers=high tafile=/a.pem tafile=/b.pem servername=hostname connection_reuse=YES enable_rpk=no policy_type=sts\n",
            "tls_policy");
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        var a = r.Value.Find("a.example")!;
        Assert.Equal(["AA:BB", "CC:DD", "EE:FF"], a.Match.ToArray());
        Assert.Equal(["aNULL", "MD5"], a.Exclude.ToArray());
        var b = r.Value.Find("b.example")!;
        Assert.Equal(["!SSLv2", "!SSLv3"], b.Protocols.ToArray());
        Assert.Equal(("high", "hostname", true, false), (b.Ciphers, b.ServerName, b.ConnectionReuse, b.EnableRpk));
        Assert.Equal(["/a.pem", "/b.pem"], b.TaFile.ToArray());
        Assert.Equal(new TlsPolicyAttributeValue("policy_type", "sts"), Assert.Single(b.OtherAttributes));
    }

    [Fact]
    public void ReadPolicyMap_BraceTokens_NameAndValueTrimmed()
    {
        var r = PostfixTls.ReadPolicyMap("example.com encrypt { servername = mx.example.com } {protocols=>=TLSv1.2}\n");
        var e = r.Value!.Find("example.com")!;
        Assert.Equal("mx.example.com", e.ServerName);
        Assert.Equal([">=TLSv1.2"], e.Protocols.ToArray());
    }

    [Fact]
    public void ReadPolicyMap_QuotedKeyWithSpace_KeptWholeAndQuoted()
    {
        var r = PostfixTls.ReadPolicyMap("\"odd key\" may\n");
        Assert.NotNull(r.Value!.Find("\"odd key\""));
    }

    [Theory]
    [InlineData("example.com\n", DiagnosticCodes.PolicyMapSyntax)]
    [InlineData("\"open may\n", DiagnosticCodes.PolicyMapSyntax)]
    [InlineData("example.com may\nexample.com encrypt\n", DiagnosticCodes.PolicyMapDuplicateKey)]
    [InlineData("  indented may\nexample.com may\n", DiagnosticCodes.PolicyMapSyntax)]
    public void ReadPolicyMap_LinesPostmapSkips_WarnedAndLeftOut(string text, string code)
    {
        var r = PostfixTls.ReadPolicyMap(text, "tls_policy");
        Assert.False(r.HasErrors);
        Assert.Equal(code, Assert.Single(r.Diagnostics).Code);
        Assert.True(r.Value.Count <= 1);
        if (code == DiagnosticCodes.PolicyMapDuplicateKey)
        {
            Assert.Equal("may", r.Value.Find("example.com")!.Level); // postmap keeps the first
        }
    }

    [Theory]
    [InlineData("example.com encrypt ciphers\n")]
    [InlineData("example.com encrypt ciphers=high ciphers=medium\n")]
    [InlineData("example.com encrypt connection_reuse=maybe\n")]
    public void ReadPolicyMap_EntriesPostfixTreatsAsInvalid_AreErrors(string text)
    {
        var r = PostfixTls.ReadPolicyMap(text, "tls_policy");
        Assert.Equal(DiagnosticCodes.InvalidPolicyAttributeValue, Assert.Single(r.Diagnostics.Errors).Code);
    }
}

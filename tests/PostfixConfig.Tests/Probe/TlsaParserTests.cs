using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Probe;

/// <summary>TLSA records in the forms people copy: bare fields, zone file lines, dig output, parentheses, comments.</summary>
public class TlsaParserTests
{
    private const string Sha256 = "0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6";

    private static TlsaAssociation One(string text)
    {
        var result = PostfixTls.ParseTlsa(text, "records.txt");
        Assert.False(result.HasErrors, result.Diagnostics.ToString());
        return Assert.Single(result.Value);
    }

    private static Diagnostic Error(string text)
    {
        var result = PostfixTls.ParseTlsa(text, "records.txt");
        Assert.True(result.HasErrors, "expected an error for: " + text);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.TlsaSyntax, error.Code);
        return error;
    }

    [Fact]
    public void ParseTlsa_BareFields_ReadsUsageSelectorMatchingAndLowerCaseData()
    {
        var record = One("3 1 1 " + Sha256.ToUpperInvariant());

        Assert.Equal((TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, Sha256),
            (record.Usage, record.Selector, record.MatchingType, record.Data));
        Assert.Null(record.OwnerName);
        Assert.Equal(new SourceSpan("records.txt", 1, 1), record.Span);
        Assert.Equal("3 1 1 " + Sha256, record.ToString());
    }

    [Theory]
    [InlineData("_25._tcp.mail.example.com. IN TLSA 2 1 1 " + Sha256, "_25._tcp.mail.example.com.")]
    [InlineData("_25._tcp.mail.example.com. 3600 IN TLSA 2 1 1 " + Sha256, "_25._tcp.mail.example.com.")]
    [InlineData("_25._tcp.mail.example.com.\t300\tIN\tTLSA\t2 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5 B514B56664C5D3D6", "_25._tcp.mail.example.com.")] // dig splits the hex
    [InlineData("_25._tcp  IN TLSA 2 1 1 " + Sha256 + " ; the intermediate", "_25._tcp")]
    [InlineData("3600 IN TLSA 2 1 1 " + Sha256, null)] // owner from a previous line
    [InlineData("       IN TLSA 2 1 1 " + Sha256, null)]
    [InlineData("_25._tcp.mail.example.com. IN tlsa 2 1 1 " + Sha256, "_25._tcp.mail.example.com.")]
    public void ParseTlsa_ZoneFileLine_ReadsTheRecordAndItsOwner(string line, string? owner)
    {
        var record = One(line);

        Assert.Equal(TlsaUsage.DaneTa, record.Usage);
        Assert.Equal(Sha256, record.Data);
        Assert.Equal(owner, record.OwnerName);
    }

    [Fact]
    public void ParseTlsa_FileWithCommentsBlankLinesAndParentheses_ReadsEveryRecordWithItsLine()
    {
        var text = $"; TLSA records of mail.example.com\n\n_25._tcp.mail.example.com. IN TLSA ( 3 1 1\n    {Sha256[..32]}\n    {Sha256[32..]} )\r\n2 0 2 {new string('a', 128)}\n";

        var result = PostfixTls.ParseTlsa(text, "tlsa.zone");

        Assert.False(result.HasErrors, result.Diagnostics.ToString());
        Assert.Equal(2, result.Value.Count);
        Assert.Equal(("3 1 1 " + Sha256, 3), (result.Value[0].ToString(), result.Value[0].Span!.Value.Line));
        Assert.Equal((TlsaUsage.DaneTa, TlsaSelector.FullCertificate, TlsaMatchingType.Sha512, 6),
            (result.Value[1].Usage, result.Value[1].Selector, result.Value[1].MatchingType, result.Value[1].Span!.Value.Line));
    }

    [Fact]
    public void ParseTlsa_UnusableButWellFormedValues_AreKeptForMatchingToReport()
    {
        // Usages 0/1, an unknown selector and a short digest parse: DANE clients ignore them, which matching reports.
        var result = PostfixTls.ParseTlsa($"1 1 1 {Sha256}\n3 7 1 {Sha256}\n3 1 1 {Sha256[..62]}\n3 1 255 00");

        Assert.False(result.HasErrors, result.Diagnostics.ToString());
        Assert.Equal(["1 1 1 " + Sha256, "3 7 1 " + Sha256, "3 1 1 " + Sha256[..62], "3 1 255 00"], result.Value.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("3 1 1", 1, 5, "four fields")]
    [InlineData("3 x 1 " + Sha256, 1, 3, "selector 'x' is not a number")]
    [InlineData("3 1 256 " + Sha256, 1, 5, "matching type '256' is not a number from 0 to 255")]
    [InlineData("300 1 1 " + Sha256, 1, 1, "usage '300'")]
    [InlineData("3 1 1 0c72zz70", 1, 11, "'z', which is not a hex digit")]
    [InlineData("3 1 1 abc", 1, 7, "odd number")]
    [InlineData("\n\nmail.example.com. IN A 192.0.2.1", 3, 1, "'mail.example.com.' does not start a TLSA record")]
    [InlineData("_25._tcp.mail.example.com. IN TLSA \\# 35 030101", 1, 36, "generic form")]
    [InlineData("_25._tcp.mail.example.com. IN TLSA ( 3 1 1\n" + Sha256, 1, 36, "never closed")]
    public void ParseTlsa_BadRecord_ErrorWithLineAndColumn(string text, int line, int column, string message)
    {
        var error = Error(text);

        Assert.Equal(new SourceSpan("records.txt", line, column), error.Span);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("; only a comment\n\n")]
    public void ParseTlsa_NoRecord_IsAnError(string text)
    {
        Assert.Contains("holds no TLSA record", Error(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseTlsa_ControlCharacters_AreEscapedInTheMessage()
    {
        var error = Error("3 \u001b[31m 1 " + Sha256);

        Assert.DoesNotContain('\u001b', error.Message);
        Assert.Contains("\\u001B", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRecord_TlsaCommandOutput_RoundTripsThroughTheParser()
    {
        var made = new TlsaRecord("_25._tcp.mail.example.com.", TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, Sha256, "CN=mail.example.com");

        Assert.Equal(TlsaAssociation.FromRecord(made) with { Span = new SourceSpan(null, 1, 1) }, One(made.ToString()) with { Span = new SourceSpan(null, 1, 1) });
    }
}

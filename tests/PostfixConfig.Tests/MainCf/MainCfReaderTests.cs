using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// The reader on small hand-written files. Expected values follow Postfix's readlline.c and
/// split_nameval.c and were checked with postconf 3.7.11 (postconf -n prints them with whitespace runs
/// folded into one space).
/// </summary>
public class MainCfReaderTests
{
    private static MainCfDocument Read(string text, out DiagnosticList diagnostics)
    {
        var r = PostfixTls.ReadMainCf(text, "main.cf");
        diagnostics = r.Diagnostics;
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        return r.Value;
    }

    [Fact]
    public void ReadMainCf_ContinuationAfterBlankAndCommentLines_JoinsThemWithoutNewlines()
    {
        // postconf -n prints "a = 1 2 3" here: blank and comment lines do not end the logical line.
        var doc = Read("a = 1\n\n  2\n# c\n\t3\nb=x\n", out _);
        Assert.Equal("1  2\t3", doc.Values["a"]);
        Assert.Equal("x", doc.Values["b"]);
        Assert.Equal(1, doc.Find("a")!.FirstLine);
        Assert.Equal(5, doc.Find("a")!.LastLine);
    }

    [Fact]
    public void ReadMainCf_IndentedHashLineInsideValue_IsAComment()
    {
        var doc = Read("mynetworks = 127.0.0.1,\n  # inner comment\n\t10.0.0.0/8   \n", out _);
        Assert.Equal("127.0.0.1,\t10.0.0.0/8", doc.Values["mynetworks"]);
    }

    [Fact]
    public void ReadMainCf_HashAfterValue_IsPartOfTheValue()
    {
        var doc = Read("smtpd_tls_loglevel = 1 # debug\n", out _);
        Assert.Equal("1 # debug", doc.Values["smtpd_tls_loglevel"]);
    }

    [Fact]
    public void ReadMainCf_SpacingAroundEquals_IsTrimmedButInnerSpacingKept()
    {
        var doc = Read("smtpd_banner\t =  $myhostname  ESMTP\t$mail_name \t\nempty =\nquoted = \"yes\"\n", out _);
        Assert.Equal("$myhostname  ESMTP\t$mail_name", doc.Values["smtpd_banner"]);
        Assert.Equal(string.Empty, doc.Values["empty"]);
        Assert.Equal("\"yes\"", doc.Values["quoted"]);
    }

    [Fact]
    public void ReadMainCf_ValuesWithExpressions_AreKeptAsWritten()
    {
        const string Text = "a = ${b?{x}:{y}}\nc = $(d) $$e ${{$f} == {g} ? {h} : {i}}\nj = { k = l }\n";
        var doc = Read(Text, out _);
        Assert.Equal("${b?{x}:{y}}", doc.Values["a"]);
        Assert.Equal("$(d) $$e ${{$f} == {g} ? {h} : {i}}", doc.Values["c"]);
        Assert.Equal("{ k = l }", doc.Values["j"]);
    }

    [Fact]
    public void ReadMainCf_DuplicateWithOtherValue_LastWinsAndWarns()
    {
        var doc = Read("myhostname = a\nmyhostname = b\n", out var diagnostics);
        Assert.Equal("b", doc.Values["myhostname"]);
        Assert.Equal(2, doc.FindAll("myhostname").Count());
        var d = Assert.Single(diagnostics);
        Assert.Equal((DiagnosticCodes.MainCfDuplicateParameter, DiagnosticSeverity.Warning), (d.Code, d.Severity));
        Assert.Equal(new SourceSpan("main.cf", 2, 1), d.Span);
    }

    [Fact]
    public void ReadMainCf_DuplicateWithSameValue_IsOnlyInformation()
    {
        Read("biff = no\nbiff = no\n", out var diagnostics);
        Assert.Equal(DiagnosticSeverity.Info, Assert.Single(diagnostics).Severity);
    }

    [Fact]
    public void ReadMainCf_IndentedTextBeforeFirstSetting_IsIgnoredWithWarning()
    {
        // postconf: "logical line must not start with whitespace", then reads on.
        var doc = Read("# header\n  orphan = 1\n more\nmyhostname = h\n", out var diagnostics);
        Assert.Equal(["myhostname"], doc.Values.Keys);
        var d = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.MainCfLeadingWhitespace, d.Code);
        Assert.Equal(2, d.Span!.Value.Line);
    }

    [Theory]
    [InlineData("smtpd_use_tls\n", DiagnosticCodes.MainCfMissingEquals)]
    [InlineData("ok = 1\nname value\n", DiagnosticCodes.MainCfMissingEquals)]
    [InlineData("= value\n", DiagnosticCodes.MainCfMissingName)]
    public void ReadMainCf_LineWithoutNameValue_IsAnError(string text, string code)
    {
        var r = PostfixTls.ReadMainCf(text, "main.cf");
        Assert.True(r.HasErrors);
        Assert.Equal(code, Assert.Single(r.Diagnostics.Errors).Code);
    }

    [Fact]
    public void ReadMainCf_Positions_PointAtNameAndValue()
    {
        var doc = Read("# c\n\tx = 1\nsmtpd_tls_security_level =\n    may\n", out _);
        var p = doc.Find("smtpd_tls_security_level")!;
        Assert.Equal(new SourceSpan("main.cf", 3, 1), p.NameSpan);
        Assert.Equal(new SourceSpan("main.cf", 4, 5), p.ValueSpan);
        var empty = Read("a  =  \n", out _).Find("a")!;
        Assert.Equal(new SourceSpan("main.cf", 1, 7), empty.ValueSpan);
    }

    [Fact]
    public void ReadMainCf_CrlfLineEnds_TrailingCrIsTrimmedButCrInsideContinuedValueStays()
    {
        var doc = Read("a = 1\r\nb = x,\r\n  y\r\n", out var diagnostics);
        Assert.Equal("1", doc.Values["a"]);
        Assert.Equal("x,\r  y", doc.Values["b"]);
        Assert.Equal(DiagnosticCodes.MainCfCarriageReturn, Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void ReadMainCf_NoTrailingNewline_LastLineIsRead()
    {
        Assert.Equal("yes", Read("a = no\nb = yes", out _).Values["b"]);
    }

    [Fact]
    public void ReadMainCf_NulByte_RestOfSettingIgnored()
    {
        var doc = Read("a = one\0two\n", out var diagnostics);
        Assert.Equal("one", doc.Values["a"]);
        Assert.Equal(DiagnosticCodes.MainCfNulCharacter, Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void ToConfiguration_EffectiveValues_CarryMainCfPositions()
    {
        var config = Read("smtpd_tls_security_level = may\nsmtpd_tls_security_level = encrypt\n", out _).ToConfiguration(PostfixVersion.Parse("3.7"));
        Assert.Equal("encrypt", config.Main.GetText("smtpd_tls_security_level"));
        Assert.Equal(new SourceSpan("main.cf", 2, 28), config.Main["smtpd_tls_security_level"].Span);
        Assert.Equal(new SourceSpan("main.cf", 2, 1), config.Main.NameSpan("smtpd_tls_security_level"));
        Assert.Equal("main.cf", config.SourcePath);
    }

    [Fact]
    public void ReadMainCfFile_NotUtf8_ReadAsLatin1AndFlagged()
    {
        using var dir = new Support.TempDir();
        var path = dir.File("main.cf");
        File.WriteAllBytes(path, [.. "smtpd_banner = caf"u8, 0xE9, (byte)'\n']);
        var r = PostfixTls.ReadMainCfFile(path);
        Assert.False(r.HasErrors);
        Assert.False(r.Value.IsUtf8);
        Assert.Equal("caf\u00e9", r.Value.Values["smtpd_banner"]);
    }
}

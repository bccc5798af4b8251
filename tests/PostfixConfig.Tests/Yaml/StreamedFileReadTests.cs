using PostfixConfig.Diagnostics;
using CsCheck;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Yaml;

/// <summary>
/// <see cref="PostfixTls.LoadYamlFile"/> streams the file through the parser; it must report
/// exactly what <see cref="PostfixTls.LoadYaml"/> reports for the same text (tabs in indentation
/// on every line, the input size limit) and give the same configuration.
/// </summary>
public sealed class StreamedFileReadTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string[] Lines =
    [
        "main:", "  myhostname: mail.example.com", "\tsmtp_tls_security_level: may", " \t# a comment", "\t", "\t\t", " \tx: y",
        "tls_policy:", "  a.example: encrypt", "  b.example: {level: may}", "# comment", "", "\r", "  \t\r", "postfix_version: \"3.7\"",
    ];

    /// <summary>
    /// Streaming (used for files over 16 MiB; forced here with <c>StreamAbove = 0</c>) gives the same
    /// result as reading the text whole, except that after a syntax error (or a character the pre-scan
    /// refuses) it reports only those (reading whole blanks the bad lines and re-parses to find more).
    /// </summary>
    private void AssertSame(string text, LoadOptions options)
    {
        var path = _dir.Write("c.yaml", text);
        var streamed = PostfixTls.LoadYamlFile(path, options with { StreamAbove = 0 });
        var whole = PostfixTls.LoadYaml(File.ReadAllText(path), path, options);
        var wholeText = whole.Diagnostics.Select(d => d.ToString() + " @" + d.Span).ToList();
        var streamedText = streamed.Diagnostics.Select(d => d.ToString() + " @" + d.Span).ToList();
        if (whole.Diagnostics.Any(d => d.Code == "PFX0001"))
        {
            Assert.NotEmpty(streamedText);
            Assert.All(streamedText, d => Assert.Contains(d, wholeText));
            Assert.Null(streamed.Value);
            return;
        }

        Assert.Equal(wholeText, streamedText);
        Assert.Equal(whole.Value, streamed.Value);
    }

    [Fact]
    public void LoadYamlFile_GeneratedTexts_SameAsLoadYamlOfTheText() =>
        Gen.Select(Gen.Int[0, Lines.Length - 1].Array[0, 14], Gen.Bool, Gen.Int[0, 3]).Sample((lines, finalNewline, limit) =>
        {
            var text = string.Join('\n', lines.Select(i => Lines[i])) + (finalNewline ? "\n" : "");
            var options = limit == 0 ? LoadOptions.Default with { MaxInputChars = Math.Max(1, text.Length - 1) } : LoadOptions.Default;
            AssertSame(text, options);
        }, iter: 300, threads: 1);

    [Fact]
    public void LoadYamlFile_TabsOnTwoLines_ReportsBothPositions()
    {
        var path = _dir.Write("t.yaml", "main:\n\tmyhostname: a\n  \tmydomain: b\n");
        var result = PostfixTls.LoadYamlFile(path, LoadOptions.Default with { StreamAbove = 0 });
        Assert.Equal([(2, 1), (3, 3)], result.Diagnostics.Select(d => (d.Span!.Value.Line, d.Span.Value.Column)));
        Assert.All(result.Diagnostics, d => Assert.Equal("PFX0001", d.Code));
    }

    [Fact]
    public void LoadYamlFile_LargerThanTheLimit_ReportsTheFullLength()
    {
        var path = _dir.Write("big.yaml", "main:\n  myhostname: " + new string('x', 200_000) + "\n");
        var whole = PostfixTls.LoadYamlFile(path, LoadOptions.Default with { MaxInputChars = 100_000 });
        Assert.Contains("The input is 200,021 characters long", Assert.Single(whole.Diagnostics).Message, StringComparison.Ordinal);
        var streamed = PostfixTls.LoadYamlFile(path, LoadOptions.Default with { MaxInputChars = 100_000, StreamAbove = 0 });
        Assert.Equal(DiagnosticCodes.InputTooLarge, Assert.Single(streamed.Diagnostics).Code);
    }

    [Fact]
    public void LoadYamlFile_Streamed_ControlCharacterAndBadUtf8_Reported()
    {
        var control = _dir.Write("ctl.yaml", "main:\n  myhostname: mail\u0007.example.com\n");
        var d = Assert.Single(PostfixTls.LoadYamlFile(control, LoadOptions.Default with { StreamAbove = 0 }).Diagnostics);
        Assert.Equal((DiagnosticCodes.YamlSyntax, 2), (d.Code, d.Span!.Value.Line));
        Assert.Contains("U+0007", d.Message, StringComparison.Ordinal);

        var latin1 = Path.Combine(_dir.Path, "latin1.yaml");
        File.WriteAllBytes(latin1, [.. "main:\n  myhostname: caf"u8, 0xE9, (byte)'\n']);
        var e = Assert.Single(PostfixTls.LoadYamlFile(latin1, LoadOptions.Default with { StreamAbove = 0 }).Diagnostics);
        Assert.Contains("not UTF-8", e.Message, StringComparison.Ordinal);
    }
}

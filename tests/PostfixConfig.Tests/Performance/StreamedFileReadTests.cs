using CsCheck;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Performance;

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

    private void AssertSame(string text, LoadOptions options)
    {
        var path = _dir.Write("c.yaml", text);
        var streamed = PostfixTls.LoadYamlFile(path, options);
        var whole = PostfixTls.LoadYaml(File.ReadAllText(path), path, options);
        Assert.Equal(whole.Diagnostics.Select(d => d.ToString() + " @" + d.Span), streamed.Diagnostics.Select(d => d.ToString() + " @" + d.Span));
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
        var result = PostfixTls.LoadYamlFile(path);
        Assert.Equal([(2, 1), (3, 3)], result.Diagnostics.Select(d => (d.Span!.Value.Line, d.Span.Value.Column)));
        Assert.All(result.Diagnostics, d => Assert.Equal("PFX0001", d.Code));
    }

    [Fact]
    public void LoadYamlFile_LargerThanTheLimit_ReportsTheFullLength()
    {
        var path = _dir.Write("big.yaml", "main:\n  myhostname: " + new string('x', 200_000) + "\n");
        var result = PostfixTls.LoadYamlFile(path, LoadOptions.Default with { MaxInputChars = 100_000 });
        var d = Assert.Single(result.Diagnostics);
        Assert.Contains("The input is 200021 characters long", d.Message, StringComparison.Ordinal);
    }
}

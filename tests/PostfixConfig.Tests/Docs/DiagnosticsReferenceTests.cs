using System.Text.RegularExpressions;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Docs;

/// <summary>
/// docs/diagnostics.md cannot go stale: it is what <see cref="DiagnosticsReference"/> writes from the code,
/// and every code has a catalog entry (severities, an example message). UPDATE_GOLDEN=1 rewrites the page.
/// </summary>
public partial class DiagnosticsReferenceTests
{
    [Fact]
    public void EveryCode_HasOneCatalogEntry_AndEveryEntryIsACode()
    {
        var codes = DiagnosticsReference.Codes();
        Assert.True(codes.Count > 150, $"only {codes.Count} codes");
        var entries = DiagnosticCatalog.All;
        var missing = codes.Where(c => !entries.Any(e => e.Code == c.Code && e.Name == c.Name)).Select(c => $"{c.Code} {c.Name}").ToList();
        Assert.True(missing.Count == 0, "codes without an entry in DiagnosticCatalog: " + string.Join(", ", missing));
        var stale = entries.Where(e => !codes.Contains((e.Code, e.Name))).Select(e => e.Code).ToList();
        Assert.True(stale.Count == 0, "DiagnosticCatalog entries for no code: " + string.Join(", ", stale));
        var twice = entries.GroupBy(e => e.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "codes listed twice: " + string.Join(", ", twice));
    }

    [Fact]
    public void EveryEntry_HasSeverities_AndAOneLineExampleThatIsASentence()
    {
        var bad = DiagnosticCatalog.All.Where(e =>
            e.Severities.Count == 0 || e.Severities.Distinct().Count() != e.Severities.Count
            || e.Severities.Zip(e.Severities.Skip(1)).Any(p => p.First <= p.Second)
            || e.Example.Length < 15 || e.Example.Any(char.IsControl) || e.Example != e.Example.Trim()
            || e.Example.Contains(e.Code, StringComparison.Ordinal) || TemplateHole().IsMatch(e.Example))
            .Select(e => e.Code).ToList();
        Assert.True(bad.Count == 0, "entries with no severity, severities not most serious first, or an example that is empty, not one line or a template: " + string.Join(", ", bad));
    }

    [Theory]
    [InlineData("DaneWithoutDnssec", "DANE without DNSSEC")]
    [InlineData("MainCfMissingEquals", "main.cf missing equals")]
    [InlineData("InvalidOpenSslVersion", "Invalid OpenSSL version")]
    [InlineData("TlsRptSettings", "TLSRPT settings")]
    [InlineData("MainCfNotUtf8", "main.cf not UTF-8")]
    [InlineData("AnonymousServerTlsWithTls13", "Anonymous server TLS with TLS 1.3")]
    public void Title_SpellsTheNameAsPostfixDocsDo(string name, string title) =>
        Assert.Equal(title, new DiagnosticEntry("PFX0000", name, [DiagnosticSeverity.Error], "example").Title);

    [Fact]
    public void DiagnosticsReference_CommittedPageIsWhatTheGeneratorWrites() =>
        Golden.Match(Path.Combine(RepoPaths.Root, DiagnosticsReference.PagePath), DiagnosticsReference.Generate());

    /// <summary>A C# interpolation hole left in an example (<c>{name}</c>, <c>{t.Release}</c>), not Postfix's <c>${name}</c>.</summary>
    [GeneratedRegex(@"(?<![$?])\{[A-Za-z_][A-Za-z_]*(\.[A-Za-z_]+)*\}")]
    private static partial Regex TemplateHole();
}

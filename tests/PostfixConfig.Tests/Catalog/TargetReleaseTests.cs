using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// Which release a run checks for, and what resolving it says: the caller's option over the file,
/// the newest stable release when neither names one, the floor of built-in TLS, releases newer than
/// the catalog, and development snapshots (found by mutation testing: tests/mutation/survivors/Catalog.txt).
/// </summary>
public class TargetReleaseTests
{
    private static readonly SourceSpan Span = new("c.yaml", 1, 1);

    private static (TargetRelease? Release, List<Diagnostic> Found) Resolve(string? option, string? file)
    {
        var found = new List<Diagnostic>();
        var release = TargetRelease.Resolve(option is null ? null : PostfixVersion.Parse(option), file is null ? null : PostfixVersion.Parse(file),
            ParameterCatalog.Default, found, Span);
        return (release, found);
    }

    [Theory]
    [InlineData("3.7", "Postfix 3.7 (3.7.22)")]
    [InlineData("3.7.11", "Postfix 3.7.11")]
    [InlineData("3.7.0", "Postfix 3.7.0")]
    [InlineData("3.12", "Postfix 3.12 (3.12-20260821)")]
    [InlineData("3.12-20260821", "Postfix 3.12-20260821")]
    [InlineData("3.14", "Postfix 3.14")]
    public void Display_ALineStandsForItsNewestPatchRelease(string given, string expected) =>
        Assert.Equal(expected, TargetRelease.For(PostfixVersion.Parse(given)).Display);

    [Fact]
    public void For_UsesTheCatalogGiven()
    {
        var catalog = ParameterCatalog.Load(
            "[@releases]\n3.7 = 3.7.11\n[p]\nscope = server\nkind = string\nsince = 2.3\ndefault = x\ndescription = d\n", "p 2.3\n");
        Assert.Equal("3.7.11", TargetRelease.For(PostfixVersion.Parse("3.7"), catalog).Version.ToString());
        Assert.Equal("3.7.22", TargetRelease.For(PostfixVersion.Parse("3.7")).Version.ToString());
    }

    [Fact]
    public void Resolve_OptionWinsOverTheFile()
    {
        var (release, found) = Resolve("3.6", "3.7");
        Assert.Equal(("3.6", "3.6.20", TargetReleaseSource.Option), (release!.Given.ToString(), release.Version.ToString(), release.Source));
        Assert.Empty(found);
        Assert.Equal(TargetReleaseSource.Configuration, Resolve(null, "3.7").Release!.Source);
    }

    [Fact]
    public void Resolve_NeitherGiven_AssumesTheNewestStableRelease_AndSaysSo()
    {
        var (release, found) = Resolve(null, null);
        Assert.Equal(("3.11.6", TargetReleaseSource.Assumed), (release!.Given.ToString(), release.Source));
        var d = Assert.Single(found);
        Assert.Equal((DiagnosticSeverity.Info, DiagnosticCodes.TargetVersionAssumed, "postfix_version", (SourceSpan?)Span), (d.Severity, d.Code, d.Parameter, d.Span));
        Assert.Equal("No target release given; checking for Postfix 3.11.6 (the newest stable release known). Set postfix_version or --postfix-version.", d.Message);
    }

    [Fact]
    public void Resolve_OlderThanBuiltInTls_ErrorAndNoRelease()
    {
        var (release, found) = Resolve(null, "2.1");
        Assert.Null(release);
        var d = Assert.Single(found);
        Assert.Equal((DiagnosticSeverity.Error, DiagnosticCodes.UnsupportedPostfixVersion, "postfix_version"), (d.Severity, d.Code, d.Parameter));
        Assert.Equal("Postfix 2.1 has no built-in TLS; TLS support starts with 2.2.", d.Message);

        var (oldest, none) = Resolve(null, "2.2");
        Assert.Equal("2.2.12", oldest!.Version.ToString());
        Assert.Empty(none);
    }

    [Fact]
    public void Resolve_NewerThanTheCatalog_WarnsAndUsesTheNewestRules()
    {
        var (release, found) = Resolve(null, "3.13");
        Assert.Equal("3.13", release!.Version.ToString());
        var d = Assert.Single(found);
        Assert.Equal((DiagnosticSeverity.Warning, DiagnosticCodes.UnsupportedPostfixVersion, "postfix_version"), (d.Severity, d.Code, d.Parameter));
        Assert.Equal("Postfix 3.13 is newer than any release the catalog knows; checking with the rules of 3.12-20260821.", d.Message);
    }

    [Theory]
    [InlineData("3.12", "3.12-20260821")]
    [InlineData("3.12-20260821", "3.12-20260821")]
    [InlineData("3.12-20261001", "3.12-20261001")]
    public void Resolve_SnapshotOfTheNewestLine_IsProvisional(string given, string resolved)
    {
        var (release, found) = Resolve(null, given);
        Assert.Equal(resolved, release!.Version.ToString());
        var d = Assert.Single(found);
        Assert.Equal((DiagnosticSeverity.Info, DiagnosticCodes.ProvisionalRelease, "postfix_version"), (d.Severity, d.Code, d.Parameter));
        Assert.Equal($"Postfix {resolved} is an unreleased development snapshot; what the catalog says about it is provisional.", d.Message);
    }

    [Theory]
    [InlineData("3.11-20250101")]
    [InlineData("3.11")]
    [InlineData("3.7.11")]
    public void Resolve_ReleasedOrOlderSnapshot_SaysNothing(string given) => Assert.Empty(Resolve(null, given).Found);
}

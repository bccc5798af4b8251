using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// <c>compatibility_level = 3.6</c> on a release before 3.6. The 3.3.18, 3.4.21 and 3.5.11 patch releases
/// (tags of vdukhovni/postfix: mail_params.c, HISTORY 20210612) read a value with a dot as its major number
/// so that a 3.6 configuration rolls back; earlier patch releases stop with "bad numerical configuration".
/// Found by the release suite: 3.4.29 starts, checks and serves TLS with <c>compatibility_level = 3.6</c>,
/// where the library said it stops.
/// </summary>
public class CompatibilityLevelRollbackTests
{
    private static IEnumerable<Diagnostic> Errors(string level, string version) =>
        Check.Validate($"main: {{compatibility_level: \"{level}\"}}\n", version).Where(d => d.Code == DiagnosticCodes.InvalidCompatibilityLevel);

    [Theory]
    [InlineData("3.3.18")]
    [InlineData("3.3.22")]
    [InlineData("3.4.21")]
    [InlineData("3.4.29")]
    [InlineData("3.5.11")]
    [InlineData("3.5.25")]
    public void DottedLevel_OnAPatchReleaseWithRollbackSupport_IsAccepted(string version)
    {
        Assert.Empty(Errors("3.6", version));
        Assert.Empty(Errors("3.10.2", version));
        Assert.Empty(Errors("2", version));
    }

    [Theory]
    [InlineData("3.2.21")]
    [InlineData("3.3.17")]
    [InlineData("3.4.20")]
    [InlineData("3.5.10")]
    public void DottedLevel_BeforeTheRollbackSupport_StopsPostfix(string version)
    {
        var d = Assert.Single(Errors("3.6", version));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("bad numerical configuration", d.Message, StringComparison.Ordinal);
        Assert.Contains("3.4.21", d.Message, StringComparison.Ordinal); // the message names the patch releases that read it
    }

    [Theory]
    [InlineData("two")]
    [InlineData(".6")]
    [InlineData("3x")]
    public void NotANumber_OnAPatchReleaseWithRollbackSupport_StillStopsPostfix(string level)
    {
        var d = Assert.Single(Errors(level, "3.4.29"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }
}

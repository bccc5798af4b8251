using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Diagnostics;

/// <summary>A diagnostic's area comes from its code's range, as DiagnosticCodes documents the ranges.</summary>
public class DiagnosticAreaTests
{
    [Theory]
    [InlineData(DiagnosticCodes.YamlSyntax, DiagnosticArea.Input)]
    [InlineData(DiagnosticCodes.UnknownProfile, DiagnosticArea.Input)]
    [InlineData(DiagnosticCodes.UnknownParameter, DiagnosticArea.ParameterNames)]
    [InlineData(DiagnosticCodes.InvalidProtocol, DiagnosticArea.Values)]
    [InlineData(DiagnosticCodes.DaneWithoutDnssec, DiagnosticArea.Rules)]
    [InlineData(DiagnosticCodes.MainCfNotUtf8, DiagnosticArea.ExistingFiles)]
    [InlineData(DiagnosticCodes.DaneVerdict, DiagnosticArea.Probe)]
    [InlineData(DiagnosticCodes.TargetVersionAssumed, DiagnosticArea.Run)]
    public void Area_FollowsTheCodeRange(string code, DiagnosticArea area) =>
        Assert.Equal(area, new Diagnostic(DiagnosticSeverity.Info, code, null, "m").Area);

    [Fact]
    public void Area_EveryRangeInUse_HasItsOwnArea()
    {
        var codes = typeof(DiagnosticCodes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var areas = codes.Select(c => new Diagnostic(DiagnosticSeverity.Info, c, null, "m").Area).Distinct().Order().ToList();

        Assert.Equal(Enum.GetValues<DiagnosticArea>(), areas);
    }
}

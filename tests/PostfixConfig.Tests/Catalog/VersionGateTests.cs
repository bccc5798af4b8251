using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

public class VersionGateTests
{
    private static readonly VersionGate MidYear2015 = VersionGate.Parse("2.9.14,2.10.8,2.11.6,3.0.2,3.1");

    [Theory]
    [InlineData("2.9.14", true)]
    [InlineData("2.9.15", true)]
    [InlineData("2.9.13", false)]
    [InlineData("2.8.20", false)]
    [InlineData("3.0.1", false)]
    [InlineData("3.0.2", true)]
    [InlineData("3.1.0", true)]
    [InlineData("3.7.11", true)]
    [InlineData("3.12-20260821", true)]
    public void IsSatisfiedBy_BackportedGate_HoldsPerLine(string version, bool expected) =>
        Assert.Equal(expected, MidYear2015.IsSatisfiedBy(PostfixVersion.Parse(version)));

    [Fact]
    public void IsSatisfiedBy_LineBetweenBackportsNotListed_IsFalse()
    {
        var gate = VersionGate.Parse("3.5.20,3.6.10,3.7.6,3.8.1,3.9");
        Assert.False(gate.IsSatisfiedBy(PostfixVersion.Parse("3.4.29")));
        Assert.False(gate.IsSatisfiedBy(PostfixVersion.Parse("3.7.5")));
        Assert.True(gate.IsSatisfiedBy(PostfixVersion.Parse("3.7.6")));
        Assert.True(gate.IsSatisfiedBy(PostfixVersion.Parse("3.10.0")));
    }

    [Fact]
    public void Parse_SameLineTwice_Throws() =>
        Assert.Throws<FormatException>(() => VersionGate.Parse("3.4.1,3.4.2"));

    [Fact]
    public void Describe_NamesMainlineAndBackports() =>
        Assert.Equal("3.1 (and 2.9.14, 2.10.8, 2.11.6, 3.0.2)", MidYear2015.Describe());

    [Fact]
    public void Parse_ToleratesSpacesAndEmptyItems_SortsThePoints()
    {
        var gate = VersionGate.Parse(" 3.1 , ,2.9.14 ");
        Assert.Equal("2.9.14,3.1", gate.ToString());
        Assert.Equal(PostfixVersion.Parse("3.1.0"), gate.Mainline);
        Assert.Equal(PostfixVersion.Parse("2.9.14"), gate.First);
    }

    [Theory]
    [InlineData("", "A version gate names at least one release.")]
    [InlineData(" , ", "A version gate names at least one release.")]
    [InlineData("3.4.1,3.4.2", "Version gate '3.4.1,3.4.2' names line 3.4 twice.")]
    public void Parse_Malformed_SaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => VersionGate.Parse(text)).Message);

    [Fact]
    public void Parse_Null_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => VersionGate.Parse(null!));

    [Theory]
    [InlineData("3.4.0", false)]
    [InlineData("3.4.1", true)]
    [InlineData("3.5", true)]
    public void IsSatisfiedBy_MainlinePointWithAPatch_HoldsFromThatPatch(string version, bool expected) =>
        Assert.Equal(expected, VersionGate.Parse("3.4.1").IsSatisfiedBy(PostfixVersion.Parse(version)));

    private static readonly string[] SomeReleases = ["3.3.22", "2.11.11", "3.4.0", "3.4.1", "3.5.20"];

    [Fact]
    public void LastReleaseBefore_TheNewestReleaseWithoutTheFeature()
    {
        var releases = SomeReleases.Select(PostfixVersion.Parse).ToArray();
        Assert.Equal(PostfixVersion.Parse("3.4.0"), VersionGate.Parse("3.4.1").LastReleaseBefore(releases));
        Assert.Equal(PostfixVersion.Parse("3.3.22"), VersionGate.Parse("3.4").LastReleaseBefore(releases));
        Assert.Null(VersionGate.Parse("2.2").LastReleaseBefore(releases));
        Assert.Throws<ArgumentNullException>(() => VersionGate.Parse("3.4").LastReleaseBefore(null!));
    }

    [Theory]
    [InlineData("3.4", "3.4")]
    [InlineData("3.4.1", "3.4.1")]
    [InlineData("3.5.20,3.9", "3.9 (and 3.5.20)")]
    public void Describe_OnePointOrSeveral(string gate, string expected) =>
        Assert.Equal(expected, VersionGate.Parse(gate).Describe());

    [Fact]
    public void Equals_SamePoints()
    {
        var gate = VersionGate.Parse("2.9.14,3.1");
        Assert.True(gate.Equals(VersionGate.Parse("3.1.0, 2.9.14")));
        Assert.Equal(gate.GetHashCode(), VersionGate.Parse("3.1.0, 2.9.14").GetHashCode());
        Assert.False(gate.Equals(VersionGate.Parse("3.1")));
        Assert.False(gate.Equals((VersionGate?)null));
        Assert.False(gate.Equals((object)"2.9.14,3.1"));
        Assert.NotEqual(VersionGate.Parse("3.4").GetHashCode(), VersionGate.Parse("3.5").GetHashCode());
    }
}

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
}

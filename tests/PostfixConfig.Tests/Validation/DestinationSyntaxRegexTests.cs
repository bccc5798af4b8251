using CsCheck;
using PostfixConfig.Validation;
using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Tests.Validation;

/// <summary>The hand-written key check must agree with the regular expression it stands in for.</summary>
public class DestinationSyntaxRegexTests
{
    private static readonly Gen<string> Keys = Gen.OneOf(
        Gen.String[Gen.Char["ab-_.:[]0Z9 6vVpPiI"], 0, 12],
        Gen.String[Gen.Char["ab.-"], 60, 70], // label lengths around the 63-character limit
        Gen.Select(Gen.String[Gen.Char["a.-"], 1, 20], Gen.String[Gen.Char["a0:-"], 0, 40]).Select((h, p) => "[" + h + "]:" + p),
        Gen.String[Gen.Char["0123456789abcdefABCDEF:.g"], 0, 20].Select(a => "[ipv6:" + a + "]"));

    [Fact]
    public void IsAsciiDestination_GeneratedKeys_AgreesWithThePattern() =>
        Keys.Sample(key => Assert.Equal(PolicyTableRules.IsDestinationByPattern(key), DestinationSyntax.IsAsciiDestination(key)), iter: 20_000);

    [Theory]
    [InlineData("example.com", true)]
    [InlineData(".example.com", true)]
    [InlineData("[mx.example.com]:25", true)]
    [InlineData("[IPv6:2001:db8::1]", true)]
    [InlineData("example.com.", false)]
    [InlineData("exa mple.com", false)]
    [InlineData("", false)]
    public void IsAsciiDestination_HandWrittenCases(string key, bool expected)
    {
        Assert.Equal(expected, DestinationSyntax.IsAsciiDestination(key));
        Assert.Equal(expected, PolicyTableRules.IsDestinationByPattern(key));
    }

    [Fact]
    public void IsDestination_TrailingNewline_Rejected() => Assert.False(PolicyTableRules.IsDestination("example.com\n")); // a line feed would split the map line

    [Fact]
    public void IsAsciiDestination_NonAscii_LeftToThePattern() => Assert.Null(DestinationSyntax.IsAsciiDestination("bücher.example"));
}

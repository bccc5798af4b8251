using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Tests.Validation;

/// <summary>Policy table keys as smtp(8) looks them up (the next-hop as written in transport(5) or relayhost).</summary>
public class DestinationSyntaxTests
{
    [Theory]
    [InlineData("example.com")]
    [InlineData(".example.com")]
    [InlineData("[mx.example.com]")]
    [InlineData("[mx.example.com]:25")]
    [InlineData("[mx.example.com]:submission")]
    [InlineData("[192.0.2.25]:25")]
    [InlineData("[2001:db8::25]:25")]
    [InlineData("[ipv6:2001:db8::25]")]
    [InlineData("example.com:587")]
    public void IsDestination_NextHopForms_Accepted(string key) => Assert.True(PolicyTableRules.IsDestination(key));

    [Theory]
    [InlineData("")]
    [InlineData("bad key")]
    [InlineData("example.com.")]
    [InlineData("[mx.example.com")]
    [InlineData("mx..example.com")]
    [InlineData("[mx.example.com]:")]
    [InlineData("example.com\n")]
    public void IsDestination_Malformed_Rejected(string key) => Assert.False(PolicyTableRules.IsDestination(key));
}

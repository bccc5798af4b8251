using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests.Harness;

/// <summary>
/// The live protocol test's own reading of a protocol list (<see cref="ProtocolExpectation"/>), against
/// what OpenSSL does with Postfix's list: the contiguous run of enabled protocols from the lowest one.
/// </summary>
public class ProtocolExpectationTests
{
    [Theory]
    [InlineData(">=TLSv1.2", "TLSv1.2 TLSv1.3")]
    [InlineData(">=TLSv1.3", "TLSv1.3")]
    [InlineData(">=tlsv1.1", "TLSv1.1 TLSv1.2 TLSv1.3")]
    [InlineData("<=TLSv1.2", "TLSv1 TLSv1.1 TLSv1.2")]
    [InlineData(">=TLSv1.1, <=TLSv1.2", "TLSv1.1 TLSv1.2")]
    [InlineData("!SSLv2, !SSLv3, !TLSv1, !TLSv1.1", "TLSv1.2 TLSv1.3")]
    [InlineData("!SSLv2:!SSLv3:!TLSv1:!TLSv1.1", "TLSv1.2 TLSv1.3")]
    [InlineData("TLSv1.2, TLSv1.3", "TLSv1.2 TLSv1.3")]
    [InlineData("TLSv1.2", "TLSv1.2")]
    [InlineData("", "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3")]
    [InlineData("!SSLv2, !SSLv3", "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3")]
    // A gap: OpenSSL keeps only the run from the lowest enabled protocol, so what lies above the gap is lost.
    [InlineData("!TLSv1.1", "TLSv1")]
    [InlineData("!SSLv2, !SSLv3, !TLSv1, !TLSv1.2", "TLSv1.1")]
    [InlineData(">=TLSv1.2, !TLSv1.3", "TLSv1.2")]
    [InlineData("!TLSv1, !TLSv1.1, !TLSv1.2, !TLSv1.3", "")]
    public void Accepted_IsTheContiguousRunFromTheLowestEnabled(string list, string expected)
    {
        var accepted = ProtocolExpectation.Accepted(list);

        Assert.NotNull(accepted);
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), accepted.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("TLSv1.4")]
    [InlineData(">=0x0303")]
    [InlineData("!TLSv2")]
    public void Accepted_IsNull_ForAListItCannotRead(string list) => Assert.Null(ProtocolExpectation.Accepted(list));
}

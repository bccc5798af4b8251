using CsCheck;

namespace PostfixConfig.Tests.Model;

public class PostfixVersionTests
{
    [Theory]
    [InlineData("2.3", 2, 3, 0, false)]
    [InlineData("3.7.11", 3, 7, 11, true)]
    [InlineData("3.10", 3, 10, 0, false)]
    public void Parse_ValidText_ReadsNumbers(string text, int major, int minor, int patch, bool hasPatch)
    {
        var v = PostfixVersion.Parse(text);
        Assert.Equal((major, minor, patch, hasPatch), (v.Major, v.Minor, v.Patch, v.HasPatch));
        Assert.Equal(text, v.ToString());
    }

    [Fact]
    public void Parse_Snapshot_SortsBeforeTheRelease()
    {
        var snapshot = PostfixVersion.Parse("3.12-20260821");
        Assert.True(snapshot.IsSnapshot);
        Assert.True(snapshot < PostfixVersion.Parse("3.12.0"));
        Assert.True(snapshot > PostfixVersion.Parse("3.11.6"));
        Assert.Equal("3.12-20260821", snapshot.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("3.")]
    [InlineData("3.x")]
    [InlineData("3.7.1.2")]
    [InlineData("-3.7")]
    [InlineData("3.7-2026")]
    [InlineData("3.7.1-20260101")]
    [InlineData("v3.7")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(PostfixVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => PostfixVersion.Parse(text));
    }

    [Fact]
    public void Ordering_IsNumericNotTextual()
    {
        Assert.True(PostfixVersion.Parse("3.10") > PostfixVersion.Parse("3.9"));
        Assert.True(PostfixVersion.Parse("2.11.11") < PostfixVersion.Parse("3.0"));
        Assert.Equal(PostfixVersion.Parse("3.7"), PostfixVersion.Parse("3.7.0"));
    }

    private static readonly Gen<PostfixVersion> Versions =
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 999], Gen.Int[-1, 9999])
            .Select(t => new PostfixVersion(t.Item1, t.Item2, t.Item3 < 0 ? null : t.Item3));

    [Fact]
    public void Parse_OfToString_RoundTrips() =>
        Versions.Sample(v => PostfixVersion.Parse(v.ToString()) == v && PostfixVersion.Parse(v.ToString()).HasPatch == v.HasPatch);

    [Fact]
    public void CompareTo_AgreesWithTupleOrdering() =>
        Gen.Select(Versions, Versions).Sample((a, b) =>
            Math.Sign(a.CompareTo(b)) == Math.Sign((a.Major, a.Minor, a.Patch).CompareTo((b.Major, b.Minor, b.Patch)))
            && (a < b) == (a.CompareTo(b) < 0) && (a >= b) == (a.CompareTo(b) >= 0) && (a == b) == (a.CompareTo(b) == 0)
            && (a != b || a.GetHashCode() == b.GetHashCode()));
}

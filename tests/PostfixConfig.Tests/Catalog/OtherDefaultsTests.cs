using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// The defaults outside TLS (Catalog/Data/other-defaults.txt): the data format and the lookup by
/// release line (found by mutation testing: tests/mutation/survivors/Catalog.txt).
/// </summary>
public class OtherDefaultsTests
{
    [Fact]
    public void Parse_HistoryNoneHostAndEmptyValues()
    {
        var table = OtherDefaults.Parse(
            "# comment\r\n\r\nalpha 3.4 one two\r\nalpha 3.8 three\nalpha 3.11 (none)\nhost 3.4 (host) mail.example\nempty 3.4\nblank 3.4 \n");

        Assert.Equal(["alpha", "host", "empty", "blank"], table.Keys);
        Assert.Equal(
            [("3.4", (OtherDefault?)new OtherDefault("one two", false)), ("3.8", new OtherDefault("three", false)), ("3.11", null)],
            table["alpha"].Select(h => (h.Since.ToString(), h.Value)));
        Assert.Equal(new OtherDefault("mail.example", FromHost: true), table["host"].Single().Value);
        Assert.Equal(new OtherDefault(string.Empty, false), table["empty"].Single().Value);
        Assert.Equal(new OtherDefault(string.Empty, false), table["blank"].Single().Value);
    }

    [Fact]
    public void Parse_SinceIsTheReleaseLine()
    {
        var table = OtherDefaults.Parse("alpha 3.4.29 x\n");
        Assert.Equal("3.4", table["alpha"].Single().Since.ToString());
    }

    [Theory]
    [InlineData("# c\nalpha\n", 2)]
    [InlineData(" 3.4 x\n", 1)]
    [InlineData("a 3.4 x\n\nalpha three x\n", 3)]
    public void Parse_Malformed_SaysTheLine(string text, int line)
    {
        var e = Assert.Throws<FormatException>(() => OtherDefaults.Parse(text));
        Assert.Equal($"other-defaults.txt line {line}: expected 'name SINCE VALUE...'.", e.Message);
    }

    [Theory]
    [InlineData("3.3.22", null)]
    [InlineData("3.4", "btree:$data_directory/verify_cache")]
    [InlineData("3.4.0", "btree:$data_directory/verify_cache")]
    [InlineData("3.10.13", "btree:$data_directory/verify_cache")]
    [InlineData("3.11.0", "$default_cache_db_type:$data_directory/verify_cache")]
    [InlineData("3.12", "$default_cache_db_type:$data_directory/verify_cache")]
    public void Find_TheValueOfTheReleaseLine(string version, string? expected) =>
        Assert.Equal(expected, OtherDefaults.Find("address_verify_map", PostfixVersion.Parse(version))?.Value);

    [Fact]
    public void Find_UnknownName_None() =>
        Assert.Null(OtherDefaults.Find("no_such_parameter", PostfixVersion.Parse("3.7")));

    [Fact]
    public void Find_HostDependentDefault_MarkedAsSuch()
    {
        var found = OtherDefaults.Find("myhostname", PostfixVersion.Parse("3.7"));
        Assert.True(found?.FromHost);
        Assert.False(OtherDefaults.Find("address_verify_map", PostfixVersion.Parse("3.7"))?.FromHost);
    }
}

using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// The catalog's own data format (Catalog/Data/tls-parameters.txt): the embedded file is always
/// well formed, so these cases hold the parser's errors to what a maintainer editing the file needs,
/// the line and the reason (found by mutation testing: tests/mutation/survivors/Catalog.txt).
/// </summary>
public class CatalogDataParserTests
{
    private const string Releases = "[@releases]\n3.6 = 3.6.20\n3.7 = 3.7.11\n";

    private static string Block(string name = "p", string extra = "", string kind = "string") =>
        $"[{name}]\nscope = server\nkind = {kind}\nsince = 2.3\n{extra}default = x\ndescription = d\n";

    [Fact]
    public void Parse_WellFormed_ReadsEveryField()
    {
        var (parameters, releases) = CatalogDataParser.Parse(
            "# comment\n\n[@releases]\n3.7 = 3.7.11\n3.6 = 3.6.20\n3.12 = 3.12.0 provisional\n"
            + Block("b_time", "unit = s\n", "time") + Block("a_int", "range = 1..1\nreplacement = x_new, y_new,,\n", "integer"));
        Assert.Equal(["a_int", "b_time"], parameters.Select(p => p.Name));
        Assert.Equal(["3.6.20", "3.7.11", "3.12.0"], releases.Newest.Select(v => v.ToString()));
        Assert.Equal(["3.12.0"], releases.Provisional.Select(v => v.ToString()));
        Assert.Equal((1, 1), parameters[0].Range);
        Assert.Equal(["x_new", "y_new"], parameters[0].Replacements.ToArray());
        Assert.Equal('s', parameters[1].Unit);
    }

    [Theory]
    [InlineData("[@releases]\n3.7 = 3.7.11 beta\n", "line 2: expected 'X.Y = X.Y.Z [provisional]'")]
    [InlineData("[@releases]\n3.7 = 3.6.20\n", "line 2: expected 'X.Y = X.Y.Z [provisional]'")]
    [InlineData("[@releases]\n3.7 =\n", "line 2: expected 'X.Y = X.Y.Z [provisional]'")]
    [InlineData("[@releases\n", "line 1: unterminated section header")]
    [InlineData("# c\n[@releases]\n= 3.7.11\n", "line 3: expected 'key = value' inside a section")]
    [InlineData("3.7 = 3.7.11\n", "line 1: expected 'key = value' inside a section")]
    [InlineData("[p]\nscope = server\n", "line 1: p: 'kind' is required")]
    [InlineData("# only a comment\n", "line 1: the [@releases] section is missing")]
    public void Parse_Malformed_SaysLineAndWhy(string text, string message) => AssertError(text, message);

    [Theory]
    [InlineData("scope = client\n", "line 8: p: 'scope' given twice")]
    [InlineData("colour = red\n", "line 8: p: unknown key 'colour'")]
    [InlineData("unit = s\n", "line 4: p: 'unit' is one of s, m, h, d, w and only for times")]
    [InlineData("range = 1..2\n", "line 4: p: 'range' is MIN..MAX and only for integers")]
    [InlineData("values = a b\n", "line 4: p: 'values' is only for enumerations")]
    public void Parse_BadFieldOfAString_SaysLineAndWhy(string extra, string message) =>
        AssertError(Releases + Block(extra: extra), message);

    [Theory]
    [InlineData("time", "", "line 4: p: 'unit' is required for times")]
    [InlineData("time", "unit = ss\n", "line 4: p: 'unit' is one of s, m, h, d, w and only for times")]
    [InlineData("time", "unit = x\n", "line 4: p: 'unit' is one of s, m, h, d, w and only for times")]
    [InlineData("integer", "range = 2..1\n", "line 4: p: 'range' is MIN..MAX and only for integers")]
    [InlineData("integer", "range = 1..2..3\n", "line 4: p: 'range' is MIN..MAX and only for integers")]
    [InlineData("enum", "", "line 4: p: 'values' is required for kind enum")]
    [InlineData("colour", "", "line 4: p: unknown kind 'colour'")]
    public void Parse_BadFieldForTheKind_SaysLineAndWhy(string kind, string extra, string message) =>
        AssertError(Releases + Block(extra: extra, kind: kind), message);

    [Theory]
    [InlineData("[p]\nscope = both\nkind = string\nsince = 2.3\ndefault = x\ndescription = d\n", "line 4: p: unknown scope 'both'")]
    [InlineData("[p]\nscope = server\nkind = string\nsince = 3.x\ndefault = x\ndescription = d\n", "line 4: p: ")]
    [InlineData("[p]\nscope = server\nkind = enum\nvalues = may @3.6\nsince = 2.3\ndefault = may\ndescription = d\n", "line 4: p: the value '@3.6' has no word before '@'")]
    public void Parse_BadScopeGateOrValue_SaysLineAndWhy(string block, string message)
    {
        var e = Assert.Throws<FormatException>(() => CatalogDataParser.Parse(Releases + block));
        Assert.StartsWith($"tls-parameters.txt {message}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ParameterDescribedTwice_Refused_WhereverTheBlocksAre()
    {
        // The check runs on the sorted list, so the two blocks need not be next to each other.
        AssertError(Releases + Block("p") + Block("q") + Block("p"), "line 0: parameter p is described twice");
    }

    [Fact]
    public void Load_NameList_SinceAndRemovedByReleaseLine()
    {
        var catalog = ParameterCatalog.Load(Releases + Block("p"), "# names\n\nold_name 2.2 2.3\nnew_name 3.4.1\n");
        Assert.True(catalog.IsKnownName("old_name", PostfixVersion.Parse("2.2")));
        Assert.False(catalog.IsKnownName("old_name", PostfixVersion.Parse("2.3")));
        Assert.False(catalog.IsKnownName("new_name", PostfixVersion.Parse("3.3")));
        Assert.True(catalog.IsKnownName("new_name", PostfixVersion.Parse("3.4.0")));
        Assert.Equal("3.4", catalog.NameSince("new_name")?.ToString());
        Assert.False(catalog.IsKnownName("other_name"));
    }

    [Theory]
    [InlineData("# c\nname\n", 2)]
    [InlineData("name x\n", 1)]
    [InlineData("name 2.2 x\n", 1)]
    [InlineData("a 2.2 3.0\nname 2.2 2.3 2.4\n", 2)]
    public void Load_MalformedNameList_SaysTheLine(string names, int line)
    {
        var e = Assert.Throws<FormatException>(() => ParameterCatalog.Load(Releases + Block("p"), names));
        Assert.Equal($"postfix-parameters.txt line {line}: expected 'name SINCE [REMOVED]'.", e.Message);
    }

    private static void AssertError(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => CatalogDataParser.Parse(text));
        Assert.Equal($"tls-parameters.txt {message}.", e.Message);
    }
}

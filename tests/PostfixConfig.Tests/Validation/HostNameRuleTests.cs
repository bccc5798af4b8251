using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// myhostname and mydomain: every Postfix program refuses to start on a name that is not a host
/// name. The installed postmap is the judge: for each case our verdict must be postmap's.
/// </summary>
[Trait("Category", "Slow")]
public class HostNameRuleTests
{
    /// <summary>Names on both sides of each part of Postfix's host name rule.</summary>
    public static TheoryData<string> Names =>
    [
        "mail.example.com", "MAIL.Example.COM", "mail", "a_b.example.com", "xn--grsse-lva.example", "1a.example.com", "a-b.example.com",
        "a`b.example.com", "grüße.example", "mail example.com", "123.45", "1a.2", "mail.example.com.", ".example.com", "a..b",
        "-a.example.com", "a-.example.com", "a.-b.com", new string('a', 63) + ".com", new string('a', 64) + ".com",
        string.Join('.', Enumerable.Repeat(new string('a', 63), 4)), string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + "a",
    ];

    [PostfixTheory]
    [MemberData(nameof(Names))]
    public void Myhostname_VerdictIsPostmaps(string name)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("main.cf"), $"myhostname = {name}\n");
        File.WriteAllText(dir.File("empty"), string.Empty);
        var postfix = PostfixTools.Run(PostfixTools.Postmap, "-c", dir.Path, "hash:" + dir.File("empty"));

        var config = new TlsConfiguration().Set("myhostname", name);
        var ours = PostfixTls.Validate(config, ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") })
            .Where(d => d.Code == DiagnosticCodes.InvalidHostname).ToList();

        Assert.True((postfix.ExitCode == 0) == (ours.Count == 0),
            $"postmap exit {postfix.ExitCode} ({postfix.StdErr.Trim()}), ours: {Check.Describe(ours)}");
        if (ours.Count > 0)
        {
            Assert.Equal(DiagnosticSeverity.Error, ours[0].Severity);
            Assert.Contains("bad parameter value", ours[0].Message, StringComparison.Ordinal);
        }
    }

    [PostfixTheory]
    [InlineData("example.com")]
    [InlineData("123")]
    [InlineData("example.com.")]
    [InlineData("exa mple.com")]
    public void Mydomain_VerdictIsPostmaps(string name)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("main.cf"), $"myhostname = mail.example.com\nmydomain = {name}\n");
        File.WriteAllText(dir.File("empty"), string.Empty);
        var postfix = PostfixTools.Run(PostfixTools.Postmap, "-c", dir.Path, "hash:" + dir.File("empty"));

        var config = new TlsConfiguration().Set("myhostname", "mail.example.com").Set("mydomain", name);
        var ours = PostfixTls.Validate(config).Where(d => d.Code == DiagnosticCodes.InvalidHostname).ToList();
        Assert.True((postfix.ExitCode == 0) == (ours.Count == 0),
            $"postmap exit {postfix.ExitCode} ({postfix.StdErr.Trim()}), ours: {Check.Describe(ours)}");
        Assert.All(ours, d => Assert.Equal("mydomain", d.Parameter));
    }

    [Fact]
    public void Myhostname_FromYaml_PointsAtTheValueAndSaysWhy()
    {
        var d = Assert.Single(Check.Validate("main:\n  myhostname: a`b.example.com\n", "3.7"), d => d.Code == DiagnosticCodes.InvalidHostname);
        Assert.Equal("myhostname", d.Parameter);
        Assert.Equal((2, 15), (d.Span!.Value.Line, d.Span!.Value.Column));
        Assert.Contains("the character '`' is not allowed", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mydomain_DerivedFromMyhostname_IsNamedInTheMessage()
    {
        var d = Assert.Single(Check.Validate("main:\n  myhostname: 1a.2\n", "3.7"), d => d.Code == DiagnosticCodes.InvalidHostname);
        Assert.Contains("'2' is not a domain name (it is all digits)", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Check.Validate("main:\n  myhostname: 1a.2\n  mydomain: example.com\n", "3.7"), x => x.Code == DiagnosticCodes.InvalidHostname);
    }

    [Fact]
    public void Myhostname_ThroughAReference_IsCheckedAfterExpansion()
    {
        var bad = Check.Validate("main:\n  mydomain: \"123\"\n  myhostname: $mydomain\n", "3.7").Where(d => d.Code == DiagnosticCodes.InvalidHostname).ToList();
        Assert.Contains(bad, d => d.Parameter == "myhostname" && d.Message.Contains("myhostname = 123 ", StringComparison.Ordinal));
        Assert.DoesNotContain(Check.Validate("main:\n  mydomain: example.com\n  myhostname: $mydomain\n", "3.7"), d => d.Code == DiagnosticCodes.InvalidHostname);
    }
}

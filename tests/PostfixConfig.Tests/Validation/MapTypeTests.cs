using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// Every table type Postfix knows is known to validation: the list of Postfix 3.12's
/// DATABASE_README ("List of lookup table types", postfix-3.12-20260821), and what Debian's
/// Postfix 3.7 itself lists with <c>postconf -m</c>. A type missing from the catalog would be
/// refused as "not a Postfix table type" (found by mutation testing: tests/mutation/survivors/Catalog.txt).
/// The release each type arrived in is walked in <see cref="RuleBoundaryTests"/>.
/// </summary>
public class MapTypeTests
{
    [Theory]
    [InlineData("btree")]
    [InlineData("cdb")]
    [InlineData("cidr")]
    [InlineData("dbm")]
    [InlineData("debug")]
    [InlineData("environ")]
    [InlineData("fail")]
    [InlineData("hash")]
    [InlineData("inline")]
    [InlineData("internal")]
    [InlineData("lmdb")]
    [InlineData("ldap")]
    [InlineData("memcache")]
    [InlineData("mongodb")]
    [InlineData("mysql")]
    [InlineData("netinfo")]
    [InlineData("nis")]
    [InlineData("nisplus")]
    [InlineData("pcre")]
    [InlineData("pipemap")]
    [InlineData("pgsql")]
    [InlineData("proxy")]
    [InlineData("randmap")]
    [InlineData("regexp")]
    [InlineData("sdbm")]
    [InlineData("socketmap")]
    [InlineData("sqlite")]
    [InlineData("static")]
    [InlineData("tcp")]
    [InlineData("texthash")]
    [InlineData("unionmap")]
    [InlineData("unix")]
    public void EveryTypeOfTheNewestRelease_IsKnown(string type) => AssertKnown(type, "3.12");

    [PostfixFact]
    public void EveryTypeDebiansPostconfLists_IsKnownForItsRelease()
    {
        using var dir = Postconf.Folder(string.Empty);
        var r = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-m");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var types = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("hash", types); // the list was read
        foreach (var type in types)
        {
            AssertKnown(type, "3.7");
        }
    }

    /// <summary>What Debian's postmap makes of a table reference (it opens the table and looks a key up), and validation agrees.</summary>
    [PostfixTheory]
    [InlineData("inline:{foo=bar}", true)]
    [InlineData("inline:/etc/postfix/tls_policy", false)]
    [InlineData("pipemap:{inline:{foo=bar}, inline:{bar=baz}}", true)]
    [InlineData("pipemap:/etc/postfix/tls_policy", false)]
    [InlineData("unionmap:{inline:{foo=bar}, inline:{foo=baz}}", true)]
    [InlineData("unionmap:/etc/postfix/tls_policy", false)]
    [InlineData("randmap:{encrypt, may}", true)]
    [InlineData("randmap:/etc/postfix/tls_policy", false)]
    [InlineData("static:{encrypt}", true)]
    [InlineData("static:encrypt", true)]
    public void InlineOnlyTypes_AsPostmapOpensThem(string map, bool opens)
    {
        using var dir = Postconf.Folder(string.Empty);
        var r = PostfixTools.Run(PostfixTools.Postmap, "-c", dir.Path, "-q", "foo", map);
        Assert.True(opens ? r.ExitCode is 0 or 1 && !r.StdErr.Contains("fatal", StringComparison.Ordinal) : r.StdErr.Contains("fatal: bad syntax", StringComparison.Ordinal), $"postmap: {r.ExitCode} {r.StdErr}");
        var diagnostics = Check.Validate($"main: {{smtp_tls_policy_maps: \"{map}\"}}", "3.7");
        Assert.True(opens == !diagnostics.Any(d => d.Code == DiagnosticCodes.InvalidMapReference), Check.Describe(diagnostics));
    }

    private static void AssertKnown(string type, string version)
    {
        var diagnostics = Check.Validate($"main: {{smtp_tls_policy_maps: \"{type}:/etc/postfix/tls_policy\"}}", version);
        Assert.DoesNotContain(diagnostics, d => d.Code is DiagnosticCodes.UnknownMapType or DiagnosticCodes.MapTypeNotInRelease or DiagnosticCodes.RuleFault);
    }
}

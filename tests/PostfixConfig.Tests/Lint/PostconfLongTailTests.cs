using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Lint;

/// <summary>
/// The long tail of the full 10 000-case postconf differential (issue 21; docs/existing-files.md): a
/// <c>compatibility_level</c> that expands through undefined names to text, a reference loop through the
/// operand of a <c>${{a} == {b} ...}</c> test (postconf crashes), loops through <c>${mynetworks?...}</c>
/// (the defaults outside TLS), and restriction classes listed twice. Each was checked with Debian's
/// postconf 3.7.11; the Slow tests here run it again.
/// </summary>
public class PostconfLongTailTests
{
    private const string Stock = LintPairs.StockMasterCf;

    private static DiagnosticList LintPair(string mainCf, string masterCf = Stock) => LintPairs.Run(mainCf, masterCf, "3.7.11");

    // postconf: malformed compatibility level syntax: "$greylisting, permit" ($$ is a literal $; l3 is undefined, so the : branch).
    [Theory]
    [InlineData("compatibility_level = $greylisting\ngreylisting = $$greylisting, ${l3?{$u5}:{permit}}\n")]
    [InlineData("compatibility_level = $$virtual_maps ${ c2 } ${greylisting?permit}\n")]
    [InlineData("compatibility_level = $u6\nu6 = check_policy_service inet:127.0.0.1:10023, $nosuch, $nosuch2\n")]
    public void CompatibilityLevel_ThroughUndefinedNamesToText_IsInvalid(string mainCf)
    {
        var d = Assert.Single(LintPair(mainCf).Errors, e => e.Code == DiagnosticCodes.InvalidCompatibilityLevel);
        Assert.Equal("compatibility_level", d.Parameter);
    }

    [Fact]
    public void CompatibilityLevel_NameSetOnlyInMasterCf_IsEmptyInMainCf()
    {
        // An -o of master.cf is not in main.cf's scope: postconf reads compatibility_level = $u2 as "" there.
        var list = LintPair("compatibility_level = $u2\n", Stock + "policy unix - - n - - smtpd\n  -o u2=permit\n");
        Assert.Contains(list.Errors, e => e.Code == DiagnosticCodes.InvalidCompatibilityLevel);

        // In main.cf it counts.
        Assert.DoesNotContain(LintPair("compatibility_level = $u2\nu2 = 3.6\n").Errors, e => e.Code == DiagnosticCodes.InvalidCompatibilityLevel);
    }

    [Fact]
    public void CompatibilityLevel_FromYamlWithAReferenceOutsideIt_IsNotJudged()
    {
        // YAML holds part of main.cf: $lvl may be set in the rest, so its value is unknown, not empty.
        var config = PostfixTls.LoadYaml("postfix_version: \"3.7\"\nmain:\n  compatibility_level: $lvl\n").GetValueOrThrow();
        Assert.DoesNotContain(PostfixTls.Validate(config), d => d.Code == DiagnosticCodes.InvalidCompatibilityLevel);
    }

    private const string OperandLoop = "a = ${{$b} == {1} ? {x} : {y}}\nb = ${{$a} == {1} ? {x} : {y}}\nsmtpd_banner = $a\n";

    [Fact]
    public void LoopThroughARelationalOperand_IsALoopThatCrashesPostfix()
    {
        var errors = LintPair(OperandLoop).Errors.Where(e => e.Code == DiagnosticCodes.ExpansionLoop).ToList();
        Assert.Equal(["a", "b", "smtpd_banner"], errors.Select(e => e.Parameter).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Contains("segmentation fault", e.Message, StringComparison.Ordinal));

        // A loop of plain references is the ordinary fatal.
        var plain = Assert.Single(LintPair("a = $b\nb = $a\n").Errors, e => e.Code == DiagnosticCodes.ExpansionLoop && e.Parameter == "a");
        Assert.Contains("macro processing error", plain.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("segmentation fault", plain.Message, StringComparison.Ordinal);
    }

    [PostfixFact]
    [Trait("Category", "Slow")]
    public void LoopThroughARelationalOperand_PostconfDiesOfSignal11()
    {
        using var dir = Postconf.Folder(OperandLoop);
        var r = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-n");
        Assert.Equal(128 + 11, r.ExitCode);
        Assert.DoesNotContain("macro processing error", r.StdErr, StringComparison.Ordinal);
    }

    private const string MynetworksLoop = "u4 = permit_mynetworks ${mynetworks?{$u5}:{permit_mynetworks}}\nu5 = $u4\nrelay_recipient_maps = $u5\n";

    [Fact]
    public void LoopThroughMynetworksBranch_IsALoop()
    {
        // mynetworks' default depends on the host but is never empty, so ${mynetworks?...} takes its branch.
        Assert.Contains(LintPair(MynetworksLoop).Errors, e => e.Code == DiagnosticCodes.ExpansionLoop && e.Parameter == "relay_recipient_maps");

        // In master.cf too: postconf expands the -o values of a built-in parameter in the entry's scope.
        var master = Stock + "submission unix - - n - - discard\n  -o {l1=${l1}}\n  -o { syslog_name = ${mynetworks?{$l1}:{yes}} }\n";
        var loop = Assert.Single(LintPair(string.Empty, master).Errors, e => e.Code == DiagnosticCodes.ExpansionLoop);
        Assert.Equal(4, loop.Span!.Value.Line);

        // An empty default (smtpd_tls_cert_file) does not take the branch.
        Assert.DoesNotContain(LintPair(MynetworksLoop.Replace("mynetworks?", "smtpd_tls_cert_file?", StringComparison.Ordinal)).Errors, e => e.Code == DiagnosticCodes.ExpansionLoop);
    }

    [PostfixFact]
    [Trait("Category", "Slow")]
    public void LoopThroughMynetworksBranch_PostconfStopsOnIt()
    {
        using var dir = Postconf.Folder(MynetworksLoop);
        var r = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-n");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("unreasonable macro call nesting", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void RestrictionClassListedTwice_TwoFindingsAtTheirWords()
    {
        var list = LintPair("smtpd_restriction_classes = reject, greylist, reject\ngreylist = permit\n");
        var found = list.Where(d => d.Code == DiagnosticCodes.UndefinedReference).ToList();
        Assert.Equal(2, found.Count);
        Assert.All(found, d => Assert.Contains("lists reject", d.Message, StringComparison.Ordinal));
        Assert.Equal([29, 47], found.Select(d => d.Span!.Value.Column).Order());
    }

    [Fact]
    public void OtherDefaults_TableAnswersPerRelease()
    {
        // From postconf -d: virtual_alias_maps = $virtual_maps everywhere; mynetworks_style changed syntax in 3.6.
        Assert.Equal("$virtual_maps", OtherDefaults.Find("virtual_alias_maps", PostfixVersion.Parse("3.10"))?.Value);
        Assert.Contains("<level", OtherDefaults.Find("mynetworks_style", PostfixVersion.Parse("3.6"))?.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<level", OtherDefaults.Find("mynetworks_style", PostfixVersion.Parse("3.5"))?.Value, StringComparison.Ordinal);
        Assert.Null(OtherDefaults.Find("virtual_alias_maps", PostfixVersion.Parse("3.3")));
        var host = OtherDefaults.Find("mynetworks", PostfixVersion.Parse("3.7"));
        Assert.True(host is { FromHost: true, Value.Length: > 0 });
        Assert.Null(OtherDefaults.Find("smtpd_tls_security_level", PostfixVersion.Parse("3.7"))); // TLS: the catalog's own
    }

    [Fact]
    public void OtherDefaults_ParsesGoneAndHostLines()
    {
        var table = OtherDefaults.Parse("# c\nx 3.4 one\nx 3.8 (none)\ny 3.4 (host) /usr/sbin\nz 3.4\n");
        Assert.Equal([(new PostfixVersion(3, 4), (OtherDefault?)new OtherDefault("one", false)), (new PostfixVersion(3, 8), null)], table["x"]);
        Assert.Equal(new OtherDefault("/usr/sbin", true), table["y"][0].Value);
        Assert.Equal(new OtherDefault(string.Empty, false), table["z"][0].Value);
        var e = Assert.Throws<FormatException>(() => OtherDefaults.Parse("x notaversion y\n"));
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [PostfixFact]
    [Trait("Category", "Slow")]
    public void OtherDefaults_AgreeWithTheInstalledPostconf()
    {
        // Every default outside TLS that does not depend on the host is what Debian's postconf -d prints.
        using var dir = Postconf.Folder(string.Empty);
        var r = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-d");
        Assert.Equal(0, r.ExitCode);
        var version = PostfixVersion.Parse(PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-h", "-d", "mail_version").StdOut.Trim());
        var compared = 0;
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf(" =", StringComparison.Ordinal);
            var name = line[..eq];
            var value = line[(eq + 2)..].TrimStart(' ');
            if (ParameterCatalog.Default.Find(name) is not null || OtherDefaults.Find(name, version) is not { FromHost: false } d)
            {
                continue;
            }

            Assert.True(d.Value == value, $"{name}: the table says '{d.Value}', postconf -d '{value}'");
            compared++;
        }

        Assert.True(compared > 500, $"only {compared} defaults compared");
    }
}

using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Lint;

/// <summary>
/// What the postconf differential found (issue 21): values postconf stops on, master.cf entries of one
/// service name and type sharing their <c>-o</c> names, and per-service names whose service has a '-'.
/// Each case was checked against Debian's postconf 3.7.11 by hand; the differential test checks them at scale.
/// </summary>
public class PostconfFatalAndSharedNamesTests
{
    private const string Stock = LintPairs.StockMasterCf;

    private static DiagnosticList LintPair(string mainCf, string masterCf, string version = "3.7") => LintPairs.Run(mainCf, masterCf, version);

    [Fact]
    public void GluedOption_CutAtTheNextLetterO_IsAnExpansionErrorInMasterCf()
    {
        // postconf reads -osmtpd_tls_security_level=${mua_client_restrictions} as -osmtpd_tls_security_level=${mua_client_restricti
        // and -ons}: "truncated macro reference", then "fatal: macro processing error".
        var list = LintPair("mua_client_restrictions = permit\n", Stock + "relay2 inet y - - - - smtpd\n  -osmtpd_tls_security_level=${mua_client_restrictions}\n");
        var d = Assert.Single(list.Errors, e => e.Code == DiagnosticCodes.ExpansionSyntax);
        var span = Assert.IsType<SourceSpan>(d.Span);
        Assert.EndsWith("master.cf", span.File, StringComparison.Ordinal);
        Assert.Equal(3, span.Line);
        Assert.Contains("truncated macro reference", d.Message, StringComparison.Ordinal);
        Assert.Contains("-o NAME=VALUE", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpacedOption_SameValue_NoExpansionError()
    {
        var list = LintPair("mua_client_restrictions = permit\n", Stock + "relay2 inet y - - - - smtpd\n  -o smtpd_client_restrictions=${mua_client_restrictions}\n");
        Assert.DoesNotContain(list, e => e.Code is DiagnosticCodes.ExpansionSyntax or DiagnosticCodes.UnknownParameter or DiagnosticCodes.MasterCfUndefinedReference);
    }

    [Fact]
    public void TwoEntriesOfOneNameAndType_ShareTheirOptionNames()
    {
        // One -o defines u4, the other entry of submission/inet refers to it: postconf keeps one table per name/type.
        const string master = Stock
            + "submission inet y - n - 2 smtpd\n  -o smtpd_client_restrictions=$u4\n"
            + "submission inet y - - - 2 postscreen\n  -o u4=permit\n";
        var list = LintPair(string.Empty, master);
        Assert.DoesNotContain(list, d => d.Code is DiagnosticCodes.MasterCfUndefinedReference or DiagnosticCodes.MasterCfParameterUnused);

        // Entries of another type do not share: u4 is then undefined in one and unused in the other.
        var apart = LintPair(string.Empty, master.Replace("submission inet y - - - 2 postscreen", "submission unix y - - - 2 smtpd", StringComparison.Ordinal));
        Assert.Contains(apart, d => d.Code == DiagnosticCodes.MasterCfUndefinedReference);
        Assert.Contains(apart, d => d.Code == DiagnosticCodes.MasterCfParameterUnused && d.Parameter == "submission/unix/u4");
    }

    [Theory]
    [InlineData("compatibility_level = $nosuch_level_name\n", true)]
    [InlineData("compatibility_level = ${nosuch_level_name}\n", true)]
    [InlineData("compatibility_level = 3.6\n", false)]
    [InlineData("lvl = 3.6\ncompatibility_level = $lvl\n", false)]
    public void CompatibilityLevel_ExpandingToNothing_IsTheFatalPostconfStopsOn(string mainCf, bool error)
    {
        var list = LintPair(mainCf, Stock);
        Assert.Equal(error, list.Errors.Any(d => d.Code == DiagnosticCodes.InvalidCompatibilityLevel));
    }

    [Fact]
    public void LoopThroughATakenConditional_IsAnExpansionLoop()
    {
        // smtp_tls_loglevel defaults to 0 (not empty), so ${smtp_tls_loglevel?{$u5}} takes its branch: u4 -> u5 -> u4.
        const string main = "u4 = permit ${smtp_tls_loglevel?{$u5}:{x}}\nu5 = $u4\nrelay_recipient_maps = ${nosuch_zz?{x}:{$u5}}\n";
        var list = LintPair(main, Stock);
        var d = Assert.Single(list.Errors, e => e.Code == DiagnosticCodes.ExpansionLoop && e.Parameter == "relay_recipient_maps");
        Assert.Contains("unreasonable macro call nesting", d.Message, StringComparison.Ordinal);

        // With a condition on an empty default (smtpd_tls_cert_file is empty) the branch is not taken: no loop.
        var none = LintPair(main.Replace("smtp_tls_loglevel", "smtpd_tls_cert_file", StringComparison.Ordinal), Stock);
        Assert.DoesNotContain(none.Errors, e => e.Code == DiagnosticCodes.ExpansionLoop);
    }

    [Fact]
    public void ServiceNameWithHyphen_UnusedIsAWarningNotAnInvalidName()
    {
        var without = LintPair("policyd-spf_time_limit = 3600\n", Stock);
        Assert.DoesNotContain(without, d => d.Code == DiagnosticCodes.InvalidParameterName);
        Assert.Contains(without, d => d.Code == DiagnosticCodes.ServiceParameterUnused && d.Severity == DiagnosticSeverity.Warning);

        var with = LintPair("policyd-spf_time_limit = 3600\n", Stock + "policyd-spf unix - n n - 0 spawn\n  user=nobody argv=/bin/true\n");
        Assert.DoesNotContain(with, d => d.Parameter == "policyd-spf_time_limit" && d.Severity != DiagnosticSeverity.Info);

        // And the YAML path (no master.cf) does not call it invalid either.
        var yaml = PostfixTls.Validate(PostfixTls.LoadYaml("main:\n  policyd-spf_time_limit: 3600\n").GetValueOrThrow());
        Assert.DoesNotContain(yaml, d => d.Code == DiagnosticCodes.InvalidParameterName);
        Assert.False(yaml.HasErrors, yaml.ToString());
    }

    [Fact]
    public void SocketmapPrefixOfTheUsersOwn_IsNotAMissingMapName()
    {
        // A prefix completed where it is used (${podop}alias), as some mail suites write their tables.
        const string main = "podop = socketmap:unix:/run/podop.socket:\nvirtual_alias_maps = ${podop}alias\n";
        Assert.DoesNotContain(LintPair(main, Stock), d => d.Code == DiagnosticCodes.InvalidMapReference);

        // In a parameter of Postfix's own the same text is a table without its name.
        Assert.Contains(LintPair("virtual_alias_maps = socketmap:unix:/run/podop.socket:\n", Stock), d => d.Code == DiagnosticCodes.InvalidMapReference);
    }

    [Fact]
    public void NameWithHyphenThatIsNoServiceName_StillInvalid()
    {
        var list = LintPair("smtpd-tls-security-level = may\n", Stock);
        Assert.Contains(list.Errors, d => d.Code == DiagnosticCodes.InvalidParameterName);
    }
}

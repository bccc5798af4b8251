using System.Text;
using CsCheck;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// Lint reads the master.cf next to main.cf as postconf does: per-service parameters of services it
/// defines are valid, others are unused, and parameters its <c>-o</c> options refer to are used.
/// The installed postconf is the judge of which parameters are unused.
/// </summary>
public class MasterCfTests
{
    private const string Master =
        "# a comment\n"
        + "smtp      inet  n       -       y       -       -       smtpd\n"
        + "submission inet n       -       y       -       -       smtpd\n"
        + "  -o syslog_name=postfix/submission\n"
        + "# -o smtpd_helo_restrictions=$commented_out\n"
        + "  -o smtpd_client_restrictions=$mua_client_restrictions\n"
        + "  -o smtpd_sender_restrictions=${mua_sender_restrictions}\n"
        + "  -o { smtpd_recipient_restrictions = ${mua_recipient_restrictions}, reject }\n"
        + "relay     unix  -       -       y       -       -       smtp\n"
        + "dovecot   unix  -       n       n       -       -       pipe\n"
        + "  flags=DRhu user=vmail:vmail argv=/usr/lib/dovecot/deliver -f ${pipe_macro} -d ${recipient}\n"
        + "mailman   unix  -       n       n       -       -       spawn\n"
        + "  user=nobody argv=/bin/true\n"
        + "cleanup   unix  n       -       y       -       0       cleanup\n"
        + "fullpath  unix  -       -       y       -       -       /usr/lib/postfix/sbin/smtp\n"
        + "ltmp      unix  -       -       y       -       -       lmtp\n";

    [Fact]
    public void Parse_ServicesProgramsAndOptionReferences()
    {
        var master = MasterCf.Parse(Master);
        Assert.Equal(
            ["smtp smtpd 2", "submission smtpd 3", "relay smtp 9", "dovecot pipe 10", "mailman spawn 12", "cleanup cleanup 14", "fullpath /usr/lib/postfix/sbin/smtp 15", "ltmp lmtp 16"],
            master.Services.Select(s => $"{s.Name} {s.Program} {s.Line}"));
        Assert.Equal(["mua_client_restrictions", "mua_recipient_restrictions", "mua_sender_restrictions"], master.ReferencedNames.Order(StringComparer.Ordinal));
        Assert.True(master.Defines("relay", ["smtp", "lmtp"]));
        Assert.False(master.Defines("relay", ["pipe"]));
        Assert.False(master.Defines("nosuch", ["smtp"]));
    }

    [PostfixFact]
    public void Lint_EntryWithTooFewFields_ReportedAsPostfixStopsOnIt()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("main.cf"), "relay_destination_concurrency_limit = 2\n");
        File.WriteAllText(dir.File("master.cf"), "relay unix - - y - - smtp\n# comment\nbroken    unix  -       -       y\n");
        Postconf.Cool(dir);
        var postconf = Postconf.N(dir);
        Assert.NotEqual(0, postconf.ExitCode);
        Assert.True(postconf.Warned("line 3: bad field count"), postconf.StdErr);
        var d = Assert.Single(PostfixTls.LintMainCfFile(dir.File("main.cf")), x => x.Code == DiagnosticCodes.MasterCfSyntax);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(new SourceSpan(dir.File("master.cf"), 3, 1), d.Span);
        Assert.StartsWith("This master.cf entry has 5 fields", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defines_ServiceWithAnInetAndAUnixEntry_EitherProgramCounts()
    {
        var master = MasterCf.Parse("smtp inet n - y - - smtpd\nsmtp unix - - y - - smtp\n");
        Assert.True(master.Defines("smtp", ["smtp", "lmtp"]));
        Assert.False(master.Defines("smtp", ["pipe"]));
        Assert.Equal("smtpd", master.ProgramOf("smtp"));
        Assert.Null(master.ProgramOf("relay"));
    }

    [Theory]
    [InlineData("dovecot", "dovcot", true)]
    [InlineData("dovecot", "dovecoot", true)]
    [InlineData("dovecot", "dovecat", true)]
    [InlineData("dovecot", "dvoecot", true)]
    [InlineData("dovecot", "dovecto", true)]
    [InlineData("dovecot", "dovecot", false)]
    [InlineData("dovecot", "dvcot", false)]
    [InlineData("dovecot", "odvecto", false)]
    [InlineData("dovecot", "Dovecot2", false)]
    [InlineData("", "a", true)]
    public void OneEditApart_AgreesWithTheDefinition(string a, string b, bool expected)
    {
        Assert.Equal(expected, MasterCf.OneEditApart(a, b));
        Assert.Equal(expected, MasterCf.OneEditApart(b, a));
    }

    /// <summary>Against a plain enumeration of every single edit over a small alphabet.</summary>
    [Fact]
    public void OneEditApart_AgreesWithAllSingleEdits() =>
        Gen.Select(Gen.Char["abc"].Array[0, 5], Gen.Char["abc"].Array[0, 5]).Select((x, y) => (new string(x), new string(y))).Sample(p =>
        {
            var (a, b) = p;
            var edits = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i <= a.Length; i++)
            {
                foreach (var c in "abc")
                {
                    edits.Add(a.Insert(i, c.ToString()));
                    if (i < a.Length)
                    {
                        edits.Add(string.Concat(a.AsSpan(0, i), c.ToString(), a.AsSpan(i + 1)));
                    }
                }

                if (i < a.Length)
                {
                    edits.Add(a.Remove(i, 1));
                }

                if (i + 1 < a.Length)
                {
                    edits.Add(string.Concat(a.AsSpan(0, i), a[i + 1].ToString(), a[i].ToString(), a.AsSpan(i + 2)));
                }
            }

            edits.Remove(a);
            Assert.Equal(edits.Contains(b), MasterCf.OneEditApart(a, b));
        }, iter: 20_000);

    /// <summary>The indexed search finds what a scan of every service would.</summary>
    [Fact]
    public void SuggestService_AgreesWithAPlainScan() =>
        Gen.Select(Gen.Char["ab-"].Array[1, 4].Select(c => new string(c)).List[0, 12], Gen.Char["ab-"].Array[1, 5].Select(c => new string(c))).Sample((names, query) =>
        {
            var text = string.Concat(names.Select((n, i) => $"{n} unix - - y - - {(i % 3 == 0 ? "pipe" : "smtp")}\n"));
            var master = MasterCf.Parse(text);
            string[] programs = ["smtp"];
            var expected = names.Where((n, i) => i % 3 != 0 && MasterCf.OneEditApart(query, n)).Order(StringComparer.Ordinal).FirstOrDefault(); // entries i % 3 == 0 run pipe

            Assert.Equal(expected, master.SuggestService(query, programs));
        }, iter: 5_000);

    [Fact]
    public void Parse_ContinuationBeforeAnyEntryAndCrLf_Ignored()
    {
        var master = MasterCf.Parse("  -o orphan=$x\r\nrelay unix - - y - - smtp\r\n  -o a=$y\r\n");
        Assert.Equal("smtp", Assert.Single(master.Services).Program);
        Assert.Equal(["y"], master.ReferencedNames);
    }

    /// <summary>main.cf lines whose fate depends on master.cf.</summary>
    private static readonly string[] MainLines =
    [
        "relay_destination_concurrency_limit = 2",
        "relay_transport_rate_delay = 1s",
        "dovecot_destination_recipient_limit = 1",
        "dovecot_time_limit = 100s",
        "mailman_time_limit = 100s",
        "mailman_destination_rate_delay = 1s",
        "smtpd_time_limit = 10s",
        "cleanup_destination_concurrency_limit = 4",
        "fullpath_destination_concurrency_limit = 4",
        "ltmp_destination_recipient_limit = 3",
        "nosuch_destination_concurrency_limit = 5",
        "uucp_destination_concurrency_limit = 5",
        "local_destination_concurrency_limit = 5",
        "smtpd_recipient_limit = 500",
        "mua_client_restrictions = permit_sasl_authenticated, reject",
        "mua_sender_restrictions = permit_sasl_authenticated, reject",
        "mua_recipient_restrictions = permit_sasl_authenticated",
        "commented_out = 1",
        "pipe_macro = 1",
        "plain_user_parameter = 1",
    ];

    [PostfixFact]
    public void Lint_WithMasterCf_UnusedParametersAreWhatPostconfReports()
    {
        using var dir = new TempDir();
        var mainCf = "compatibility_level = 3.6\n" + string.Concat(MainLines.Select(l => l + "\n"));
        File.WriteAllBytes(dir.File("main.cf"), new UTF8Encoding(false).GetBytes(mainCf));
        File.WriteAllText(dir.File("master.cf"), Master);
        Postconf.Cool(dir);
        var postconf = Postconf.N(dir);
        var lint = PostfixTls.LintMainCfFile(dir.File("main.cf"), LintOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } });
        var names = MainLines.Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]).ToList();
        var expectedUnused = names.Where(postconf.Unused.ContainsKey).ToList();
        var reportedUnused = names.Where(n => lint.Any(d => d.Parameter == n && d.Code is DiagnosticCodes.UnknownParameter or DiagnosticCodes.ServiceParameterUnused)).ToList();
        Assert.Equal(expectedUnused, reportedUnused);

        // The judge found both kinds, so the comparison means something.
        Assert.Contains("cleanup_destination_concurrency_limit", expectedUnused);
        Assert.Contains("uucp_destination_concurrency_limit", expectedUnused);
        Assert.Contains("local_destination_concurrency_limit", names.Except(expectedUnused));
        Assert.Contains("plain_user_parameter", expectedUnused);
        Assert.Contains("relay_destination_concurrency_limit", names.Except(expectedUnused));
        Assert.Contains("mua_recipient_restrictions", names.Except(expectedUnused));

        // A per-service parameter is never "unknown" (with a misleading "did you mean"), and no valid one gets a note.
        Assert.DoesNotContain(lint, d => d.Code == DiagnosticCodes.UnknownParameter && d.Parameter!.EndsWith("_limit", StringComparison.Ordinal));
        Assert.DoesNotContain(lint, d => d.Code == DiagnosticCodes.ServiceParameter);
        var spawn = Assert.Single(lint, d => d.Code == DiagnosticCodes.ServiceParameterUnused && d.Parameter == "mailman_destination_rate_delay");
        Assert.Contains("runs 'mailman' with spawn", spawn.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Warning, spawn.Severity);
    }

    /// <summary>
    /// Debian's main.cf and stock master.cf (from the installed package) with what people add: a
    /// submission service whose restrictions come from main.cf (as the stock comments suggest), a
    /// dovecot transport, and per-service limits for services that exist and that do not.
    /// </summary>
    [PostfixFact]
    public void Lint_DebianFilesWithTypicalAdditions_UnusedParametersAreWhatPostconfReports()
    {
        using var dir = new TempDir();
        string[] added =
        [
            "mua_client_restrictions = permit_sasl_authenticated, reject",
            "mua_sender_restrictions = reject_sender_login_mismatch",
            "mua_helo_restrictions = permit_mynetworks",
            "dovecot_destination_recipient_limit = 1",
            "relay_destination_concurrency_limit = 2",
            "maildrop_destination_recipient_limit = 1",
            "uucp_time_limit = 3600s",
            "mailman_destination_rate_delay = 1s",
            "smtp_destination_concurrency_limit = 10",
            "retry_destination_recipient_limit = 5",
            "discard_destination_concurrency_limit = 5",
            "dovcot_destination_recipient_limit = 1",
        ];
        File.WriteAllText(dir.File("main.cf"), RealWorldFiles.DebianDefault() + string.Concat(added.Select(l => l + "\n")));
        File.WriteAllText(dir.File("master.cf"), File.ReadAllText("/usr/share/postfix/master.cf.dist")
            + "submission inet n       -       y       -       -       smtpd\n"
            + "  -o syslog_name=postfix/submission\n"
            + "  -o smtpd_client_restrictions=$mua_client_restrictions\n"
            + "  -o smtpd_sender_restrictions=$mua_sender_restrictions\n"
            + "dovecot   unix  -       n       n       -       -       pipe\n"
            + "  flags=DRhu user=vmail:vmail argv=/usr/lib/dovecot/deliver -f ${sender} -d ${recipient}\n");
        Postconf.Cool(dir);
        var postconf = Postconf.N(dir);
        Assert.Equal(0, postconf.ExitCode);
        var lint = PostfixTls.LintMainCfFile(dir.File("main.cf"), LintOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } });
        var names = added.Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]).ToList();
        var reported = names.Where(n => lint.Any(d => d.Parameter == n && d.Code is DiagnosticCodes.UnknownParameter or DiagnosticCodes.ServiceParameterUnused)).ToList();
        Assert.Equal(names.Where(postconf.Unused.ContainsKey).ToList(), reported);
        Assert.Equal(["mua_helo_restrictions", "discard_destination_concurrency_limit", "dovcot_destination_recipient_limit"], reported); // mailman is a pipe service there
        Assert.Contains("has no such service, so it has no effect (postconf reports it as unused). Did you mean 'dovecot'?", Assert.Single(lint, d => d.Parameter == "dovcot_destination_recipient_limit").Message, StringComparison.Ordinal);
        Assert.Contains("runs 'discard' with discard, which does not read it", Assert.Single(lint, d => d.Parameter == "discard_destination_concurrency_limit").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_WithoutMasterCf_PerServiceParametersAreNotes()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("main.cf"), "outbound_destination_concurrency_limit = 2\nmua_client_restrictions = reject\nrelay_destination_concurrency_limit = 2\n");
        var lint = PostfixTls.LintMainCfFile(dir.File("main.cf"));
        Assert.Equal(DiagnosticSeverity.Info, Assert.Single(lint, d => d.Parameter == "outbound_destination_concurrency_limit").Severity);
        Assert.DoesNotContain(lint, d => d.Parameter == "relay_destination_concurrency_limit"); // Debian's stock master.cf has relay
        Assert.Contains(lint, d => d.Code == DiagnosticCodes.UnknownParameter && d.Parameter == "mua_client_restrictions");
    }

    [Fact]
    public void Lint_MasterCfNotWanted_NotRead()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("main.cf"), "nosuch_destination_concurrency_limit = 2\n");
        File.WriteAllText(dir.File("master.cf"), "relay unix - - y - - smtp\n");
        Assert.Contains(PostfixTls.LintMainCfFile(dir.File("main.cf")), d => d.Code == DiagnosticCodes.ServiceParameterUnused);
        var without = PostfixTls.LintMainCfFile(dir.File("main.cf"), LintOptions.Default with { ReadMasterCf = false });
        Assert.Contains(without, d => d.Code == DiagnosticCodes.ServiceParameter);
        Assert.DoesNotContain(without, d => d.Code == DiagnosticCodes.ServiceParameterUnused);
    }
}

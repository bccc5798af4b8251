using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Merge;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Merge;

/// <summary>
/// merge with <c>services:</c> edits the existing master.cf in place: an entry's <c>-o</c> options
/// get new values where they differ, missing options and entries are added, every other byte
/// stays; and lint warns when master.cf's <c>-o</c> options undo what a port needs.
/// </summary>
public class MasterCfMergeTests
{
    private const string Yaml = "postfix_version: \"3.7\"\nmain: {smtpd_tls_chain_files: [/k.pem, /c.pem], smtpd_tls_security_level: may}\nservices:\n  submission: {smtpd_sasl_auth_enable: yes}\n  submissions: {}\n";

    private static Result<MergedConfiguration> Merge(string yaml, string masterCf, string mainCf = "biff = no\n") =>
        PostfixTls.Merge(PostfixTls.LoadYaml(yaml, "c.yaml").GetValueOrThrow(), PostfixTls.ReadMainCf(mainCf, "main.cf").GetValueOrThrow(),
            MergeOptions.Default with { MasterCfText = masterCf });

    private static string? MasterCf(Result<MergedConfiguration> r)
    {
        Assert.False(r.HasErrors, string.Join('\n', r.Diagnostics));
        return r.Value.Files.Files.FirstOrDefault(f => f.Kind == RenderedFileKind.MasterCf)?.Content;
    }

    [Fact]
    public void Merge_ExistingEntry_OptionsEditedInPlaceEveryOtherByteKept()
    {
        var before = "# header\r\nsmtp      inet  n       -       y       -       -       smtpd\r\n"
            + "submission inet n - y - - smtpd -o syslog_name=postfix/submission\r\n"
            + "# a comment inside the entry\r\n"
            + "  -o smtpd_tls_security_level=may -o smtpd_client_restrictions=$mua_client_restrictions\r\n"
            + "  -o { smtpd_sasl_auth_enable = no }\r\n"
            + "pickup    unix  n       -       y       60      1       pickup";
        var expected = "# header\r\nsmtp      inet  n       -       y       -       -       smtpd\r\n"
            + "submission inet n - y - - smtpd -o syslog_name=postfix/submission\r\n"
            + "# a comment inside the entry\r\n"
            + "  -o smtpd_tls_security_level=encrypt -o smtpd_client_restrictions=$mua_client_restrictions\r\n"
            + "  -o smtpd_sasl_auth_enable=yes\r\n"
            + "pickup    unix  n       -       y       60      1       pickup\r\n"
            + "\r\n# Added by postfix-config merge\r\n"
            + "submissions inet  n       -       y       -       -       smtpd\r\n"
            + "  -o syslog_name=postfix/submissions\r\n"
            + "  -o smtpd_tls_wrappermode=yes\r\n";
        var r = Merge(Yaml, before);
        Assert.Equal(expected, MasterCf(r));
        Assert.Contains(new MainCfChange("submission/inet/smtpd_tls_security_level", MainCfChangeKind.Replaced, "may", "encrypt", RenderedFileKind.MasterCf), r.Value!.Changes);
        Assert.Contains(new MainCfChange("submission/inet/smtpd_sasl_auth_enable", MainCfChangeKind.Replaced, "no", "yes", RenderedFileKind.MasterCf), r.Value.Changes);
        Assert.DoesNotContain(r.Value.Changes, c => c.Name == "submission/inet/syslog_name");

        // A second merge into the result changes nothing.
        Assert.Null(MasterCf(Merge(Yaml, expected)));
    }

    [Fact]
    public void Merge_OptionSpanningLines_ReplacedWhole()
    {
        var before = "submission inet n - y - - smtpd\n  -o { smtpd_tls_security_level =\n     may }\n  -o syslog_name=x\n";
        var after = MasterCf(Merge("postfix_version: \"3.7\"\nmain: {smtpd_tls_chain_files: [/k.pem, /c.pem]}\nservices: {submission: {syslog_name: x}}\n", before));
        Assert.Equal("submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o syslog_name=x\n", after);
    }

    [Fact]
    public void Merge_Postscreen_Port25OverridesGoToTheSmtpdPassEntry()
    {
        var before = "smtp      inet  n       -       y       -       1       postscreen\nsmtpd     pass  -       -       y       -       -       smtpd\ndnsblog   unix  -       -       y       -       0       dnsblog\n";
        var after = MasterCf(Merge("postfix_version: \"3.7\"\nmain: {smtpd_tls_chain_files: [/k.pem, /c.pem]}\nservices: {smtp: {smtpd_tls_loglevel: 1}}\n", before));
        Assert.Equal("smtp      inet  n       -       y       -       1       postscreen\nsmtpd     pass  -       -       y       -       -       smtpd\n  -o smtpd_tls_loglevel=1\ndnsblog   unix  -       -       y       -       0       dnsblog\n", after);
    }

    [PostfixFact]
    public void MergeCli_DebianStockMasterCf_StockLinesKeptAndPostconfReadsTheServices()
    {
        using var dir = new TempDir();
        var stock = File.ReadAllText(Path.Combine(RepoPaths.Data, "master.cf.debian-3.7.11"));
        dir.Write("master.cf", stock);
        dir.Write("main.cf", "# my host\nmyhostname = mail.example.com\n");
        var yaml = dir.Write("c.yaml", Yaml);
        var r = CliRunner.Run("merge", yaml, "--into", dir.File("main.cf"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        var merged = File.ReadAllText(dir.File("master.cf"));
        Assert.StartsWith(stock, merged, StringComparison.Ordinal);
        PostfixTools.AgeFiles(dir.Path);
        var (parameters, stderr) = PostfixTools.PostconfP(dir.Path);
        Assert.True(stderr.Length == 0, stderr);
        Assert.Equal("encrypt", parameters["submission/inet/smtpd_tls_security_level"]);
        Assert.Equal("yes", parameters["submissions/inet/smtpd_tls_wrappermode"]);

        var again = CliRunner.Run("merge", yaml, "--into", dir.File("main.cf"));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already up to date", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(merged, File.ReadAllText(dir.File("master.cf")));
    }

    [Fact]
    public void MergeCli_NoMasterCf_WritesTheStockFileWithTheServices()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "myhostname = mail.example.com\n");
        var r = CliRunner.Run("merge", dir.Write("c.yaml", Yaml), "--into", dir.File("main.cf"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        var master = File.ReadAllText(dir.File("master.cf"));
        Assert.Contains("\nsubmissions inet  n       -       y       -       -       smtpd\n  -o syslog_name=postfix/submissions\n  -o smtpd_tls_wrappermode=yes\n", master, StringComparison.Ordinal);
        Assert.Contains("\npickup    unix  n       -       y       60      1       pickup\n", master, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeCli_InvalidService_NothingWritten()
    {
        using var dir = new TempDir();
        var main = dir.Write("main.cf", "myhostname = mail.example.com\n");
        var master = dir.Write("master.cf", "smtp inet n - y - - smtpd\n");
        var r = CliRunner.Run("merge", dir.Write("c.yaml", Yaml.Replace("submissions: {}", "submissions: {smtpd_tls_wrappermode: no}", StringComparison.Ordinal)), "--into", main);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("PFX3104", r.StdErr, StringComparison.Ordinal);
        Assert.Equal("myhostname = mail.example.com\n", File.ReadAllText(main));
        Assert.Equal("smtp inet n - y - - smtpd\n", File.ReadAllText(master));
    }

    private static DiagnosticList Lint(string masterCf, string mainCf = "smtpd_tls_chain_files = /k.pem, /c.pem\nsmtpd_tls_security_level = may\n")
    {
        using var dir = new TempDir();
        dir.Write("master.cf", masterCf);
        return PostfixTls.LintMainCf(mainCf, dir.Write("main.cf", mainCf), LintOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } });
    }

    [Theory]
    [InlineData("smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n", DiagnosticCodes.MandatoryTlsOnPort25Service, "smtp/inet/smtpd_tls_security_level", 2)]
    [InlineData("0.0.0.0:25 inet n - y - - smtpd -o smtpd_tls_wrappermode=yes\n", DiagnosticCodes.MandatoryTlsOnPort25Service, "0.0.0.0:25/inet/smtpd_tls_wrappermode", 1)]
    [InlineData("submission inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n", DiagnosticCodes.WrapperModeMismatch, "submission/inet/smtpd_tls_wrappermode", 2)]
    [InlineData("submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=may\n", DiagnosticCodes.SubmissionTlsNotRequired, "submission/inet/smtpd_tls_security_level", 2)]
    [InlineData("submission inet n - y - - smtpd\n  -o syslog_name=postfix/submission\n", DiagnosticCodes.SubmissionTlsNotRequired, "submission/inet/smtpd_tls_security_level", 1)]
    [InlineData("[::1]:465 inet n - y - - smtpd\n", DiagnosticCodes.WrapperModeMismatch, "[::1]:465/inet/smtpd_tls_wrappermode", 1)]
    public void Lint_MasterCfOverrideUndoesWhatThePortNeeds_Warning(string masterCf, string code, string parameter, int line)
    {
        var d = Assert.Single(Lint(masterCf), x => x.Code == code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(parameter, d.Parameter);
        Assert.Equal(line, d.Span!.Value.Line);
        Assert.EndsWith("master.cf", d.Span.Value.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_StockMasterCfAndCorrectServices_NoServiceWarnings()
    {
        var stock = File.ReadAllText(Path.Combine(RepoPaths.Data, "master.cf.debian-3.7.11"));
        var good = stock + "submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_sasl_auth_enable=yes\nsubmissions inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n";
        Assert.DoesNotContain(Lint(good), x => x.Code is DiagnosticCodes.MandatoryTlsOnPort25Service or DiagnosticCodes.WrapperModeMismatch or DiagnosticCodes.SubmissionTlsNotRequired);
        // main.cf requiring TLS everywhere makes submission mandatory without an -o (and port 25 gets main.cf's own warning).
        Assert.DoesNotContain(Lint("submission inet n - y - - smtpd\n", "smtpd_tls_chain_files = /k.pem, /c.pem\nsmtpd_tls_security_level = encrypt\n"), x => x.Code == DiagnosticCodes.SubmissionTlsNotRequired);

        // The legacy switch is ignored while a security level is set, so it does not make port 25 mandatory.
        Assert.DoesNotContain(Lint("smtp inet n - y - - smtpd -o smtpd_enforce_tls=yes\n"), x => x.Code == DiagnosticCodes.MandatoryTlsOnPort25Service);
    }

    /// <summary>Our reading of -o options agrees with postconf -P, also for braces across lines and comments inside entries.</summary>
    [PostfixFact]
    public void MasterCfOptions_AgreeWithPostconfP()
    {
        var text = "smtp inet n - n - - smtpd -o smtpd_tls_loglevel=1\n"
            + "submission inet n - n - - smtpd\n# inside\n  -o { smtpd_client_restrictions = permit_sasl_authenticated,\n     reject }\n  -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt\n"
            + "127.0.0.1:465 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o { smtpd_sasl_auth_enable = yes }\n";
        using var dir = new TempDir();
        dir.Write("main.cf", string.Empty);
        dir.Write("master.cf", text);
        PostfixTools.AgeFiles(dir.Path);
        var (expected, stderr) = PostfixTools.PostconfP(dir.Path);
        Assert.True(stderr.Length == 0, stderr);
        var ours = PostfixConfig.MainCf.MasterCf.Parse(text).Services
            .SelectMany(s => s.Options.Select(o => ($"{s.Name}/{s.Type}/{o.Name}", o.Value)))
            .ToDictionary(kv => kv.Item1, kv => kv.Value, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), ours.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }
}

using PostfixConfig.Apply;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Apply;

/// <summary>
/// apply does exactly what render plus merge say (issue 23): a service whose listen address or name
/// changed is moved, not joined by a second listener; findings point at the YAML; the release is the
/// installed one (<c>postconf -h mail_version</c>) unless the YAML names another line; and a run with
/// nothing to change reads and compares, no more (no <c>postconf -m</c>).
/// </summary>
public class ApplyExactTests
{
    /// <summary>Answers <c>mail_version</c> and, when allowed, <c>postconf -m</c>; records what was asked; any other command fails the test.</summary>
    private sealed class InstalledCommands(string? version, bool mapTypesAllowed = true) : IPostfixCommands
    {
        public List<string> Asked { get; } = [];

        public string? InstalledVersion(string configDirectory)
        {
            Asked.Add("postconf -h mail_version");
            return version;
        }

        public IReadOnlySet<string> MapTypes()
        {
            Asked.Add("postconf -m");
            return mapTypesAllowed
                ? new HashSet<string>(["hash", "btree", "cdb", "lmdb", "texthash", "inline", "proxy"], StringComparer.Ordinal)
                : throw new InvalidOperationException("a no-op apply ran postconf -m");
        }

        public CommandResult Postmap(string configDirectory, string type, string file, bool fileContents) => throw new InvalidOperationException("planning ran postmap");

        public CommandResult Postconf(string configDirectory) => throw new InvalidOperationException("planning ran postconf -n");

        public CommandResult Check(string configDirectory) => throw new InvalidOperationException("planning ran postfix check");

        public bool IsRunning(string configDirectory) => throw new InvalidOperationException("planning asked whether Postfix runs");

        public CommandResult Reload(string configDirectory) => throw new InvalidOperationException("planning reloaded");

        public CommandResult Restart(string configDirectory) => throw new InvalidOperationException("planning restarted");
    }

    private const string Main = "main: {smtpd_tls_chain_files: [/k.pem, /c.pem], smtpd_tls_security_level: may}\n";

    private static ApplyOptions Options(TempDir dir, IPostfixCommands? commands = null) =>
        ApplyOptions.Default with { ConfigDirectory = dir.Path, Commands = commands ?? new InstalledCommands(null), CheckFiles = false };

    private static TlsConfiguration Load(string yaml) => PostfixTls.LoadYaml(yaml, "exact.yaml").GetValueOrThrow();

    private static string? PlannedMasterCf(ApplyPlan plan) =>
        plan.Contents.Where(c => c.File.Kind == RenderedFileKind.MasterCf).Select(c => c.Content.Content).SingleOrDefault();

    /// <summary>Writes what the plan would write, as a completed apply leaves it.</summary>
    private static void Write(ApplyPlan plan)
    {
        foreach (var (file, content) in plan.Contents)
        {
            File.WriteAllText(file.Path, content.Content);
        }
    }

    [Fact]
    public void Plan_ListenChanged_OldListenerMovedNotKeptAndMasterCfEqualsMerge()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "biff = no\n");
        var before = "smtp      inet  n       -       y       -       -       smtpd\n"
            + "127.0.0.1:2587 inet n - n - - smtpd\n  -o syslog_name=postfix/submission\n  -o smtpd_tls_security_level=encrypt\n"
            + "pickup    unix  n       -       y       60      1       pickup\n";
        dir.Write("master.cf", before);
        var yaml = "postfix_version: \"3.7\"\n" + Main + "services:\n  submission: {listen: \"127.0.0.1:2588\"}\n";

        var plan = PostfixTls.PlanApply(Load(yaml), Options(dir)).GetValueOrThrow();
        var after = PlannedMasterCf(plan);
        Assert.Equal("smtp      inet  n       -       y       -       -       smtpd\n"
            + "127.0.0.1:2588 inet n - n - - smtpd\n  -o syslog_name=postfix/submission\n  -o smtpd_tls_security_level=encrypt\n"
            + "pickup    unix  n       -       y       60      1       pickup\n", after);
        Assert.Contains(plan.Changes, c => c.Name == "127.0.0.1:2588/inet" && c.Kind == MainCfChangeKind.Replaced && c.OldValue == "127.0.0.1:2587/inet");

        // What merge gives for the same input is what apply writes.
        var merged = PostfixTls.Merge(Load(yaml), PostfixTls.ReadMainCf("biff = no\n", dir.File("main.cf")).GetValueOrThrow(), MergeOptions.Default with { MasterCfText = before });
        Assert.Equal(merged.GetValueOrThrow().Files.Files.Single(f => f.Kind == RenderedFileKind.MasterCf).Content, after);

        // Written, the next apply has nothing to do; moving back renames again.
        Write(plan);
        Assert.False(PostfixTls.PlanApply(Load(yaml), Options(dir)).GetValueOrThrow().HasChanges);
        var back = PostfixTls.PlanApply(Load(yaml.Replace("2588", "2587", StringComparison.Ordinal)), Options(dir)).GetValueOrThrow();
        Assert.Equal(before, PlannedMasterCf(back));
    }

    [Fact]
    public void Plan_ServiceRenamedSmtpsToSubmissions_EntryRenamedNotAddedBeside()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "biff = no\n");
        dir.Write("master.cf", "smtps     inet  n       -       y       -       -       smtpd\n  -o syslog_name=postfix/smtps\n  -o smtpd_tls_wrappermode=yes\n");
        var yaml = "postfix_version: \"3.7\"\n" + Main + "services:\n  submissions: {}\n";

        var plan = PostfixTls.PlanApply(Load(yaml), Options(dir)).GetValueOrThrow();
        Assert.Equal("submissions inet  n       -       y       -       -       smtpd\n  -o syslog_name=postfix/submissions\n  -o smtpd_tls_wrappermode=yes\n", PlannedMasterCf(plan));
        Write(plan);
        Assert.False(PostfixTls.PlanApply(Load(yaml), Options(dir)).GetValueOrThrow().HasChanges);
    }

    [Fact]
    public void Plan_EntryOfAnotherManagedService_NeverTakenOver()
    {
        // Both submission entries carry postfix/submission, and the YAML manages the one on port 587:
        // the new listener is added, the managed one stays.
        using var dir = new TempDir();
        dir.Write("main.cf", "biff = no\n");
        dir.Write("master.cf", "127.0.0.1:2587 inet n - n - - smtpd\n  -o syslog_name=postfix/submission\n  -o smtpd_tls_security_level=encrypt\n");
        var yaml = "postfix_version: \"3.7\"\n" + Main + "services:\n  submission: {listen: \"127.0.0.1:2587\"}\n  submissions: {listen: \"127.0.0.1:2465\", syslog_name: postfix/submission}\n";

        var after = PlannedMasterCf(PostfixTls.PlanApply(Load(yaml), Options(dir)).GetValueOrThrow());
        Assert.NotNull(after);
        Assert.StartsWith("127.0.0.1:2587 inet n - n - - smtpd\n", after, StringComparison.Ordinal);
        Assert.Contains("\n127.0.0.1:2465 inet", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NoPostfixVersion_InstalledReleaseNotTheCatalogsNewest()
    {
        using var dir = new TempDir();
        var r = PostfixTls.PlanApply(Load(Main), Options(dir, new InstalledCommands("3.7.11")));
        Assert.Equal("3.7.11", r.GetValueOrThrow().Version.ToString());
        var info = Assert.Single(r.Diagnostics, d => d.Code == DiagnosticCodes.TargetVersionAssumed);
        Assert.Contains("installed Postfix 3.7.11", info.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(r.Diagnostics, d => d.Code == DiagnosticCodes.InstalledReleaseDiffers);
    }

    [Theory]
    [InlineData("3.7")]
    [InlineData("3.7.11")]
    public void Plan_YamlNamesTheInstalledLine_InstalledPatchRelease(string named)
    {
        using var dir = new TempDir();
        var r = PostfixTls.PlanApply(Load($"postfix_version: \"{named}\"\n" + Main), Options(dir, new InstalledCommands("3.7.11")));
        Assert.Equal("3.7.11", r.GetValueOrThrow().Version.ToString());
        Assert.DoesNotContain(r.Diagnostics, d => d.Code is DiagnosticCodes.InstalledReleaseDiffers or DiagnosticCodes.TargetVersionAssumed);
    }

    [Fact]
    public void Plan_YamlNamesAnotherLine_YamlsReleaseAndAWarningAtThatLine()
    {
        using var dir = new TempDir();
        var r = PostfixTls.PlanApply(Load("main: {smtpd_tls_security_level: may}\npostfix_version: \"3.6\"\n"), Options(dir, new InstalledCommands("3.7.11")));
        Assert.Equal(new PostfixVersion(3, 6), r.GetValueOrThrow().Version.Line);
        var warning = Assert.Single(r.Diagnostics, d => d.Code == DiagnosticCodes.InstalledReleaseDiffers);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(new SourceSpan("exact.yaml", 2, 18), warning.Span);
        Assert.Contains("installed Postfix is 3.7.11", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NothingToChange_NoPostconfM()
    {
        using var dir = new TempDir();
        var yaml = "postfix_version: \"3.7\"\nmain:\n  smtp_tls_policy_maps: texthash:${config_directory}/tls_policy\ntls_policy:\n  example.net: encrypt\n";
        var first = new InstalledCommands("3.7.11");
        Write(PostfixTls.PlanApply(Load(yaml), Options(dir, first)).GetValueOrThrow());
        Assert.Contains("postconf -m", first.Asked);

        var second = new InstalledCommands("3.7.11", mapTypesAllowed: false);
        var plan = PostfixTls.PlanApply(Load(yaml), Options(dir, second)).GetValueOrThrow();
        Assert.False(plan.HasChanges);
        Assert.Equal(["postconf -h mail_version"], second.Asked);
    }

    [Fact]
    public void Plan_MissingCertificateFile_ErrorAtTheYamlLineNotTheLiveMainCf()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "# live\nbiff = no\nsmtpd_tls_chain_files = /etc/ssl/private/old.pem\n");
        var yaml = "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: may\n  smtpd_tls_chain_files: [/nonexistent-pfc/key.pem, /nonexistent-pfc/chain.pem]\n";
        var r = PostfixTls.PlanApply(Load(yaml), Options(dir) with { CheckFiles = true });
        Assert.True(r.HasErrors);
        var errors = r.Diagnostics.Errors.Where(d => d.Parameter == "smtpd_tls_chain_files").ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal("exact.yaml", e.Span?.File));
        Assert.All(errors, e => Assert.Equal(4, e.Span?.Line));
    }
}

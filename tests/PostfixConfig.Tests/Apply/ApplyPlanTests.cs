using PostfixConfig.Apply;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Apply;

/// <summary>
/// Planning an apply against a config folder: which files change, what is compiled and why, and
/// what Postfix is asked to do. A stand-in for the Postfix commands answers <c>postconf -m</c> and
/// records every other call, so these tests also show that planning runs nothing.
/// </summary>
public class ApplyPlanTests
{
    /// <summary>Answers <c>postconf -m</c> with a fixed list; any other command fails the test.</summary>
    private sealed class PlanOnlyCommands(params string[] types) : IPostfixCommands
    {
        public IReadOnlySet<string> MapTypes() => types.ToHashSet(StringComparer.Ordinal);

        public CommandResult Postmap(string configDirectory, string type, string file, bool fileContents) => throw new InvalidOperationException("planning ran postmap");

        public CommandResult Postconf(string configDirectory) => throw new InvalidOperationException("planning ran postconf");

        public CommandResult Check(string configDirectory) => throw new InvalidOperationException("planning ran postfix check");

        public bool IsRunning(string configDirectory) => throw new InvalidOperationException("planning asked whether Postfix runs");

        public CommandResult Reload(string configDirectory) => throw new InvalidOperationException("planning reloaded");

        public CommandResult Restart(string configDirectory) => throw new InvalidOperationException("planning restarted");
    }

    private static readonly string[] DebianTypes = ["btree", "cdb", "cidr", "hash", "inline", "lmdb", "proxy", "regexp", "static", "texthash", "unix"];

    private static ApplyOptions Options(TempDir dir, params string[] types) =>
        ApplyOptions.Default with { ConfigDirectory = dir.Path, Commands = new PlanOnlyCommands(types.Length == 0 ? DebianTypes : types), CheckFiles = false };

    private static TlsConfiguration Load(string yaml) => PostfixTls.LoadYaml("postfix_version: \"3.7\"\n" + yaml, "plan.yaml").GetValueOrThrow();

    private const string Policy = "main:\n  smtp_tls_policy_maps: hash:${config_directory}/tls_policy\ntls_policy:\n  example.net: encrypt\n";

    [Fact]
    public void Plan_EmptyFolder_EverythingNewAndReload()
    {
        using var dir = new TempDir();
        var plan = PostfixTls.PlanApply(Load(Policy), Options(dir)).GetValueOrThrow();
        Assert.Contains(plan.Files, f => f.Path == dir.File("main.cf") && f.Action == FileAction.Create);
        Assert.Contains(plan.Files, f => f.Path == dir.File("tls_policy") && f.Action == FileAction.Create);
        var c = Assert.Single(plan.Compilations);
        Assert.Equal($"postmap hash:{dir.File("tls_policy")}", c.Command);
        Assert.Equal(PostfixAction.Reload, plan.Action);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path)); // planning writes nothing
    }

    private static void Write(TempDir dir, TlsConfiguration config)
    {
        // What a completed apply leaves: the merged files, and a database newer than its source.
        var plan = PostfixTls.PlanApply(config, Options(dir)).GetValueOrThrow();
        foreach (var (file, content) in plan.Contents)
        {
            File.WriteAllText(file.Path, content.Content);
            File.SetLastWriteTimeUtc(file.Path, DateTime.UtcNow.AddMinutes(-10));
        }

        File.WriteAllText(dir.File("tls_policy.db"), "compiled");
        File.SetLastWriteTimeUtc(dir.File("tls_policy.db"), DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public void Plan_AlreadyApplied_NoChangeNothingCompiledNoReload()
    {
        using var dir = new TempDir();
        Write(dir, Load(Policy));
        var plan = PostfixTls.PlanApply(Load(Policy), Options(dir)).GetValueOrThrow();
        Assert.False(plan.HasChanges);
        Assert.Empty(plan.Compilations);
        Assert.Equal(PostfixAction.None, plan.Action);
        Assert.Equal("no change", plan.ActionReason);
    }

    [Fact]
    public void Plan_DatabaseMissingOrOlderThanSource_Recompiled()
    {
        using var dir = new TempDir();
        Write(dir, Load(Policy));
        File.Delete(dir.File("tls_policy.db"));
        Assert.Equal("tls_policy.db is missing", Assert.Single(PostfixTls.PlanApply(Load(Policy), Options(dir)).GetValueOrThrow().Compilations).Reason);

        File.WriteAllText(dir.File("tls_policy.db"), "compiled");
        File.SetLastWriteTimeUtc(dir.File("tls_policy.db"), DateTime.UtcNow.AddMinutes(-20));
        var plan = PostfixTls.PlanApply(Load(Policy), Options(dir)).GetValueOrThrow();
        Assert.Equal("tls_policy.db is older than its source", Assert.Single(plan.Compilations).Reason);
        Assert.DoesNotContain(plan.Files, f => f.Action != FileAction.Unchanged);
        Assert.Equal(PostfixAction.Reload, plan.Action);
        Assert.Equal("tls_policy is rebuilt", plan.ActionReason);
    }

    [Fact]
    public void Plan_SourceChanges_CompiledAndOnlyThatFileReplaced()
    {
        using var dir = new TempDir();
        Write(dir, Load(Policy));
        var plan = PostfixTls.PlanApply(Load(Policy + "  example.org: may\n"), Options(dir)).GetValueOrThrow();
        Assert.Equal(FileAction.Replace, Assert.Single(plan.Files, f => f.Action != FileAction.Unchanged).Action);
        Assert.Equal("the source changes", Assert.Single(plan.Compilations).Reason);
    }

    [Theory]
    [InlineData("inet_interfaces: 127.0.0.1", PostfixAction.Restart)]
    [InlineData("inet_protocols: ipv4", PostfixAction.Restart)]
    [InlineData("smtpd_tls_loglevel: 1", PostfixAction.Reload)]
    public void Plan_RestartOnlyWherePostfixNeedsIt(string setting, PostfixAction expected)
    {
        using var dir = new TempDir();
        Write(dir, Load(Policy));
        var plan = PostfixTls.PlanApply(Load(Policy.Replace("main:\n", $"main:\n  {setting}\n", StringComparison.Ordinal)), Options(dir)).GetValueOrThrow();
        Assert.Equal(expected, plan.Action);
    }

    [Fact]
    public void Plan_NoReload_SaysSo()
    {
        using var dir = new TempDir();
        var plan = PostfixTls.PlanApply(Load(Policy), Options(dir) with { Reload = false }).GetValueOrThrow();
        Assert.Equal(PostfixAction.None, plan.Action);
        Assert.Contains("--no-reload", plan.ActionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnsupportedTableType_ErrorBeforeAnythingAtTheYamlValue()
    {
        using var dir = new TempDir();
        var r = PostfixTls.PlanApply(Load(Policy.Replace("hash:", "lmdb:", StringComparison.Ordinal)), Options(dir, "hash", "btree"));
        var error = Assert.Single(r.Diagnostics.Errors);
        Assert.Equal(DiagnosticCodes.MapTypeNotInstalled, error.Code);
        Assert.Contains("lmdb", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("plan.yaml", 3, 25), error.Span);
    }

    [Fact]
    public void Plan_TableTypeInsideProxy_Checked()
    {
        using var dir = new TempDir();
        var r = PostfixTls.PlanApply(Load("main:\n  smtp_tls_policy_maps: proxy:ldap:/etc/postfix/ldap-tls.cf\n"), Options(dir));
        Assert.Contains(r.Diagnostics.Errors, d => d.Code == DiagnosticCodes.MapTypeNotInstalled && d.Message.Contains("ldap:", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_MapPathOutsideTheConfigFolder_Error()
    {
        using var dir = new TempDir();
        var r = PostfixTls.PlanApply(Load(Policy.Replace("${config_directory}", "/etc/postfix", StringComparison.Ordinal)), Options(dir));
        var error = Assert.Single(r.Diagnostics.Errors);
        Assert.Equal(DiagnosticCodes.MapOutsideConfigDirectory, error.Code);
        Assert.Contains("${config_directory}/tls_policy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SniTable_BuiltWithPostmapF()
    {
        using var dir = new TempDir();
        var plan = PostfixTls.PlanApply(Load("main:\n  tls_server_sni_maps: lmdb:${config_directory}/sni\nsni:\n  mail.example.com: [/k.pem, /c.pem]\n"), Options(dir)).GetValueOrThrow();
        var c = Assert.Single(plan.Compilations);
        Assert.True(c.FileContents);
        Assert.Equal($"postmap -F lmdb:{dir.File("sni")}", c.Command);
        Assert.Equal("# SNI table for tls_server_sni_maps = lmdb:${config_directory}/sni: a host name (or .domain), then its private key file and certificate chain file(s).",
            File.Exists(dir.File("sni")) ? null : plan.Contents.Single(x => x.File.Path == dir.File("sni")).Content.Content.Split('\n')[0]);
        Assert.Contains("\nmail.example.com /k.pem /c.pem\n", plan.Contents.Single(x => x.File.Path == dir.File("sni")).Content.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TextHashPolicy_NothingToCompile()
    {
        using var dir = new TempDir();
        var plan = PostfixTls.PlanApply(Load(Policy.Replace("hash:", "texthash:", StringComparison.Ordinal)), Options(dir)).GetValueOrThrow();
        Assert.Empty(plan.Compilations);
        Assert.Equal(PostfixAction.Reload, plan.Action);
    }

    [Fact]
    public void Plan_MissingFolder_IoError()
    {
        var e = Assert.Throws<ApplyException>(() => PostfixTls.PlanApply(Load(Policy), ApplyOptions.Default with { ConfigDirectory = "/nonexistent/pfc", Commands = new PlanOnlyCommands() }));
        Assert.Equal(ApplyStep.Plan, e.Step);
    }

    [Fact]
    public void Plan_MainCfPostfixWouldRefuse_NotApplied()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "smtpd_tls_loglevel 1\n");
        var r = PostfixTls.PlanApply(Load(Policy), Options(dir));
        Assert.Contains(r.Diagnostics.Errors, d => d.Code == DiagnosticCodes.MainCfNotApplied);
    }

    [Fact]
    public void Plan_NamesPostconfCallsUsed_AppliedWithoutErrorAndKept()
    {
        // Issue 21: apply shares postconf's verdict on names with lint, import and merge. A restriction class, a
        // parameter only master.cf refers to and a legacy name a default still reads are no unknown parameters.
        using var dir = new TempDir();
        const string main = "smtpd_restriction_classes = greylisting\ngreylisting = check_policy_service inet:127.0.0.1:10023\n"
            + "mua_sender_restrictions = permit_sasl_authenticated, reject\npostscreen_dnsbl_ttl = 5m\n";
        dir.Write("main.cf", main);
        dir.Write("master.cf", "smtp inet n - y - - smtpd\nsubmission inet n - y - - smtpd\n  -o smtpd_sender_restrictions=$mua_sender_restrictions\n");
        var r = PostfixTls.PlanApply(Load("main:\n  smtpd_tls_security_level: may\n"), Options(dir));
        Assert.DoesNotContain(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(r.Diagnostics, d => d.Code is DiagnosticCodes.UnknownParameter or DiagnosticCodes.ParameterRemoved or DiagnosticCodes.MergePreexistingErrors);
        var plan = r.GetValueOrThrow();
        var written = plan.NewText(plan.Files.Single(f => f.Path == dir.File("main.cf"))) ?? string.Empty;
        Assert.StartsWith(main, written, StringComparison.Ordinal);
        Assert.Contains("smtpd_tls_security_level = may", written, StringComparison.Ordinal);

        // The same file with a misspelt name nothing refers to is still called out.
        dir.Write("main.cf", main + "smtpd_tls_securty_level = may\n");
        var typo = PostfixTls.PlanApply(Load("main:\n  smtpd_tls_security_level: may\n"), Options(dir));
        Assert.Contains(typo.Diagnostics, d => d.Code == DiagnosticCodes.MergePreexistingErrors && d.Message.Contains("PFX1001 smtpd_tls_securty_level", StringComparison.Ordinal));
    }
}

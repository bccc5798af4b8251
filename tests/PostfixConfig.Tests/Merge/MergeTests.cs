using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Merge;

namespace PostfixConfig.Tests.Merge;

/// <summary>merge: in-place edits, refusals, migration of the legacy switches.</summary>
public class MergeTests
{
    private static readonly MergeOptions V37 = MergeOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } };

    private static Result<MergedConfiguration> Merge(string yaml, string mainCf, MergeOptions? options = null) =>
        PostfixTls.Merge(PostfixTls.LoadYaml(yaml, "c.yaml").GetValueOrThrow(), PostfixTls.ReadMainCf(mainCf, "main.cf").GetValueOrThrow(), options ?? V37);

    [Fact]
    public void Merge_ExistingContinuedDefinition_ReplacedOnItsOwnLineCommentsKept()
    {
        var r = Merge("main:\n  smtpd_tls_security_level: none\n",
            "# top\nsmtpd_tls_security_level =\n    # why\n    may\nbiff = no\n");
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        Assert.Equal("# top\nsmtpd_tls_security_level = none\n    # why\nbiff = no\n", r.Value.MainCf.Text);
        var change = Assert.Single(r.Value.Changes);
        Assert.Equal(new MainCfChange("smtpd_tls_security_level", MainCfChangeKind.Replaced, "may", "none"), change);
    }

    [Fact]
    public void Merge_ParameterSetTwice_EveryDefinitionReplacedAndWarned()
    {
        var r = Merge("main:\n  smtpd_tls_loglevel: 1\n", "smtpd_tls_loglevel = 0\nbiff = no\nsmtpd_tls_loglevel=2\n");
        Assert.Equal("smtpd_tls_loglevel = 1\nbiff = no\nsmtpd_tls_loglevel = 1\n", r.Value!.MainCf.Text);
        Assert.Equal(DiagnosticCodes.MergeMultipleDefinitions, Assert.Single(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning).Code);
    }

    [Fact]
    public void Merge_SameValueAlreadySet_NothingToWrite()
    {
        var r = Merge("main:\n  smtpd_tls_security_level: may\n", "smtpd_tls_security_level=may");
        Assert.False(r.Value!.MainCfChanged);
        Assert.Empty(r.Value.Files.Files);
        Assert.Empty(r.Value.Changes);
    }

    [Fact]
    public void Merge_InvalidYaml_RefusedWithoutValue()
    {
        var r = Merge("main:\n  smtpd_tls_security_level: mya\n", "biff = no\n");
        Assert.True(r.HasErrors);
        Assert.Equal(DiagnosticCodes.UnknownValue, Assert.Single(r.Diagnostics.Errors).Code);
    }

    [Fact]
    public void Merge_ErrorAlreadyInMainCf_DoesNotBlock()
    {
        // smtpd_tls_chain_files does not exist in 3.3: an error main.cf had before the merge.
        var r = Merge("main:\n  smtpd_tls_security_level: may\n", "smtpd_tls_chain_files = /k.pem, /c.pem\n",
            MergeOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.3") } });
        Assert.False(r.HasErrors, "the error was already in main.cf, so it must not block");
        Assert.Contains(r.Diagnostics, d => d.Code == DiagnosticCodes.MergePreexistingErrors);
    }

    [Fact]
    public void Merge_ValueThatCannotBeWritten_Refused()
    {
        var r = Merge("main:\n  smtpd_banner: \"a\\nsmtpd_tls_security_level = none\"\n", "biff = no\n");
        Assert.Equal(DiagnosticCodes.ControlCharacter, Assert.Single(r.Diagnostics.Errors).Code);
    }

    [Fact]
    public void Merge_PolicyTableWhileMainCfNamesTheMap_Accepted()
    {
        // On its own the YAML lacks smtp_tls_policy_maps (PFX4004); main.cf supplies it.
        var r = Merge("tls_policy:\n  example.com: encrypt\n", "smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n");
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        Assert.Equal("tls_policy", Assert.Single(r.Value.Files.Files).FileName);
        Assert.False(r.Value.MainCfChanged);
    }

    [Fact]
    public void Merge_PolicyTableWithoutMapsAnywhere_Refused()
    {
        var r = Merge("tls_policy:\n  example.com: encrypt\n", "biff = no\n");
        Assert.Equal(DiagnosticCodes.PolicyMapsMissing, Assert.Single(r.Diagnostics.Errors).Code);
    }

    [Fact]
    public void Merge_NotUtf8_Refused()
    {
        var (text, utf8) = MainCfDocument.Decode([.. "a = caf"u8, 0xE9, (byte)'\n']);
        var doc = MainCfDocument.Parse(text, "main.cf", utf8).Document;
        var r = PostfixTls.Merge(PostfixTls.LoadYaml("main:\n  biff: no\n").GetValueOrThrow(), doc, V37);
        Assert.Equal(DiagnosticCodes.MainCfNotUtf8, Assert.Single(r.Diagnostics.Errors).Code);
    }

    [Fact]
    public void Merge_MigrateClientSwitches_EncryptInsertedWhereTheyWere()
    {
        var r = Merge("main:\n  biff: no\n", "a = 1\nsmtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no\nb = 2\n", V37 with { Migrate = true });
        Assert.False(r.HasErrors, r.Diagnostics.ToString());
        Assert.Equal(
            "a = 1\n"
            + "# postfix-config merge --migrate: smtp_enforce_tls = yes, smtp_tls_enforce_peername = no superseded; smtp_tls_security_level = encrypt replaces them.\n"
            + "#smtp_enforce_tls = yes\nsmtp_tls_security_level = encrypt\n#smtp_tls_enforce_peername = no\nb = 2\n\n# Added by postfix-config merge\nbiff = no\n",
            r.Value.MainCf.Text);
    }

    [Fact]
    public void Merge_MigrateWhenLevelAlreadySet_OnlyCommentsTheSwitchOut()
    {
        var r = Merge("main:\n  biff: no\n", "smtpd_use_tls = yes\nsmtpd_tls_security_level = encrypt\n", V37 with { Migrate = true });
        Assert.StartsWith("# postfix-config merge --migrate: smtpd_use_tls = yes superseded; smtpd_tls_security_level = encrypt is in effect, and it overrides them.\n#smtpd_use_tls = yes\nsmtpd_tls_security_level = encrypt\n", r.Value!.MainCf.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MigrateWithChainFiles_CertAndKeyFilesCommentedOut()
    {
        var r = Merge("main:\n  smtpd_tls_chain_files: [/k.pem, /c.pem]\n", "smtpd_tls_cert_file = /old.pem\nsmtpd_tls_key_file = /old.key\nbiff = no\n", V37 with { Migrate = true });
        Assert.Equal(
            "# postfix-config merge --migrate: smtpd_tls_chain_files is set, so Postfix ignores smtpd_tls_cert_file = /old.pem, smtpd_tls_key_file = /old.key.\n"
            + "#smtpd_tls_cert_file = /old.pem\n#smtpd_tls_key_file = /old.key\nbiff = no\n\n# Added by postfix-config merge\nsmtpd_tls_chain_files = /k.pem, /c.pem\n",
            r.Value!.MainCf.Text);
        var without = Merge("main:\n  smtpd_tls_chain_files: [/k.pem, /c.pem]\n", "smtpd_tls_cert_file = /old.pem\n", V37);
        Assert.Contains("\nsmtpd_tls_cert_file = /old.pem\n", "\n" + without.Value!.MainCf.Text, StringComparison.Ordinal);
        var old = Merge("main:\n  smtpd_tls_security_level: may\n", "smtpd_tls_cert_file = /old.pem\n", V37 with { Migrate = true });
        Assert.Contains("smtpd_tls_cert_file = /old.pem\n", old.Value!.MainCf.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MigrateNonBooleanSwitch_LeftAloneWithWarning()
    {
        var r = Merge("main:\n  biff: no\n", "smtpd_use_tls = $x\nx = maybe\n", V37 with { Migrate = true });
        Assert.Contains("smtpd_use_tls = $x\n", r.Value!.MainCf.Text, StringComparison.Ordinal);
        Assert.Contains(r.Diagnostics, d => d.Code == DiagnosticCodes.MergeMigrationSkipped);
    }

    [Fact]
    public void Merge_PolicyTable_MapFileRenderedNextToMainCf()
    {
        var r = Merge("main:\n  smtp_tls_policy_maps: lmdb:/etc/postfix/policy\ntls_policy:\n  example.com: encrypt\n", "biff = no\n");
        var map = Assert.Single(r.Value!.Files.Files, f => f.Kind == RenderedFileKind.Map);
        Assert.Equal("policy", map.FileName);
        Assert.Contains("example.com encrypt\n", map.Content, StringComparison.Ordinal);
        Assert.Equal("main.cf", r.Value.Files.MainCf.FileName);
    }
}

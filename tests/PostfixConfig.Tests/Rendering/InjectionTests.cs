using System.Text;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Rendering;
using PostfixConfig.Tests.Support;
using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Tests.Rendering;

/// <summary>
/// No value can smuggle in a setting, and what is rendered means what the configuration says.
/// The Postfix reading rules these expectations come from are in the remarks of TextSafetyRules
/// (and /work/shared/reference/main-cf-syntax.md, policy-table.md).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class InjectionTests
{
    private const string Maps = "  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\n";

    private static DiagnosticList Check(string yaml)
    {
        var loaded = PostfixTls.LoadYaml("postfix_version: \"3.7\"\n" + yaml, "c.yaml");
        Assert.False(loaded.HasErrors, loaded.Diagnostics.ToString());
        return PostfixTls.Validate(loaded.Value);
    }

    private static DiagnosticList Check(TlsConfiguration config) =>
        PostfixTls.Validate(config with { PostfixVersion = PostfixVersion.Parse("3.7") });

    private static Diagnostic Single(DiagnosticList list, string code, string? parameter = null)
    {
        var found = list.Where(d => d.Code == code && (parameter is null || d.Parameter == parameter)).ToList();
        Assert.True(found.Count == 1, $"expected one {code}, got:\n{list}");
        return found[0];
    }

    [Theory]
    [InlineData("\\n", "a newline")]
    [InlineData("\\r", "a carriage return")]
    [InlineData("\\0", "a NUL character")]
    [InlineData("\\x1b", "the control character U+001B")]
    [InlineData("\\x85", "the control character U+0085")]
    public void Validate_ControlCharacterInValue_ErrorAtTheValue(string escape, string what)
    {
        var d = Single(Check($"main:\n  smtpd_tls_cert_file: \"/etc/ssl/cert.pem{escape}smtpd_tls_security_level = none\"\n"), DiagnosticCodes.ControlCharacter);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("smtpd_tls_cert_file", d.Parameter);
        Assert.Equal(new SourceSpan("c.yaml", 3, 24), d.Span);
        Assert.Contains($"contains {what}, which main.cf cannot hold", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ControlCharacterInListItem_Error()
    {
        var d = Single(Check("main:\n  smtpd_tls_chain_files: [/k.pem, \"/c.pem\\nsmtpd_tls_security_level = none\"]\n"), DiagnosticCodes.ControlCharacter);
        Assert.Equal("smtpd_tls_chain_files", d.Parameter);
    }

    [Fact]
    public void Validate_NewlineInValue_NoKindErrorOnTopOfIt()
    {
        // One problem, one message: the boolean check does not also complain about "yes\n...".
        var list = Check("main:\n  smtpd_tls_auth_only: \"yes\\nsmtpd_tls_security_level = none\"\n");
        Assert.Single(list.Errors);
        Assert.Equal(DiagnosticCodes.ControlCharacter, list.Errors.Single().Code);
    }

    [Fact]
    public void Validate_LoneSurrogate_ErrorInvalidUnicode()
    {
        var d = Single(Check(new TlsConfiguration().Set("myhostname", "mail\uD800.example.com")), DiagnosticCodes.InvalidUnicode);
        Assert.Contains("lone UTF-16 surrogate (U+D800)", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\\nexample.org\"", "a newline")]
    [InlineData("\"a.example\\rb\"", "a carriage return")]
    public void Validate_ControlCharacterInPolicyKey_Error(string key, string what)
    {
        var list = Check($"main:\n{Maps}tls_policy:\n  {key}: encrypt\n");
        Assert.Contains(list.Errors, d => d.Span == new SourceSpan("c.yaml", 5, 3));
        Assert.Contains(what, TextSafetyRules.KeyProblem(key.Trim('"').Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\r", "\r", StringComparison.Ordinal))!.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhitespaceInPolicyKey_Error()
    {
        var list = Check($"main:\n{Maps}tls_policy:\n  \"example.com none\": encrypt\n");
        Assert.Contains(list.Errors, d => d.Parameter == "tls_policy[example.com none]" && d.Span == new SourceSpan("c.yaml", 5, 3));
    }

    [Theory]
    [InlineData("example.com none", DiagnosticCodes.PolicyTokenWouldSplit, "a map key ends at the first space, so Postfix would look up 'example.com'")]
    [InlineData("example.com\tnone", DiagnosticCodes.PolicyTokenWouldSplit, "contains whitespace")]
    [InlineData("#example.com", DiagnosticCodes.PolicyTokenWouldSplit, "turns its map line into a comment")]
    [InlineData("", DiagnosticCodes.PolicyTokenWouldSplit, "A destination is empty")]
    [InlineData("a.example\nb.example", DiagnosticCodes.ControlCharacter, "contains a newline")]
    [InlineData("exa\u200Bmple.com", DiagnosticCodes.InvisibleCharacter, "the invisible character U+200B")]
    public void KeyProblem_KeyPostfixWouldReadDifferently_Reported(string key, string code, string message)
    {
        // The guard behind PolicyTableRules' destination syntax (which reports these as PFX4001 first).
        var problem = TextSafetyRules.KeyProblem(key);
        Assert.NotNull(problem);
        Assert.Equal(code, problem.Value.Code);
        Assert.Contains(message, problem.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("[mx.example.com]:587")]
    [InlineData("bücher.example")]
    public void KeyProblem_PlainDestination_None(string key) => Assert.Null(TextSafetyRules.KeyProblem(key));

    [Theory]
    [InlineData("    ciphers: \"high match=evil.example\"", "ciphers", "whitespace; in a policy map a space or comma ends the attribute, so Postfix would read 'match=evil.example' as another attribute")]
    [InlineData("    ciphers: \"high,match=evil\"", "ciphers", "a comma")]
    [InlineData("    servername: \"{ mx.example.com }\"", "servername", "'{', which Postfix 3.10 and later read as the start or end of a { name = value } group")]
    [InlineData("    protocols: [TLSv1.2, \"TLSv1.3 ciphers=null\"]", "protocols", "whitespace")]
    [InlineData("    tafile: \"/etc/ta 1.pem\"", "tafile", "whitespace")]
    [InlineData("    policy_type: \"sts x=y\"", "policy_type", "whitespace")]
    public void Validate_PolicyAttributeWithSeparator_Error(string attribute, string name, string message)
    {
        var list = Check($"main:\n{Maps}tls_policy:\n  example.com:\n    level: verify\n{attribute}\n");
        var d = Single(list, DiagnosticCodes.PolicyTokenWouldSplit);
        Assert.Equal("tls_policy[example.com]", d.Parameter);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Equal(7, d.Span!.Value.Line);
        Assert.Contains(name, d.Message + attribute, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NewlineInPolicyAttribute_Error()
    {
        var d = Single(Check($"main:\n{Maps}tls_policy:\n  example.com:\n    level: encrypt\n    ciphers: \"high\\nevil.example none\"\n"), DiagnosticCodes.ControlCharacter);
        Assert.Contains("a newline, which a map line cannot hold", d.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("c.yaml", 7, 14), d.Span);
    }

    [Fact]
    public void Validate_LevelWithSpace_Error()
    {
        var list = Check(new TlsConfiguration().Set("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy")
            .WithPolicy(new TlsPolicyEntry("example.com", "encrypt protocols=TLSv1")));
        Single(list, DiagnosticCodes.PolicyTokenWouldSplit);
    }

    [Theory]
    [InlineData("a=b")]
    [InlineData("a b")]
    [InlineData("")]
    public void Validate_AttributeNameThatIsNotAName_Error(string name)
    {
        var entry = new TlsPolicyEntry("example.com", "encrypt") { OtherAttributes = [new TlsPolicyAttributeValue(name, "x")] };
        var d = Single(Check(new TlsConfiguration().Set("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy").WithPolicy(entry)), DiagnosticCodes.PolicyTokenWouldSplit);
        Assert.Contains("is not a name", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ColonInsideOneProtocolsItem_ErrorSaysTwoItems()
    {
        var d = Single(Check($"main:\n{Maps}tls_policy:\n  example.com:\n    level: encrypt\n    protocols: [\"!SSLv2:!SSLv3\", \"!TLSv1\"]\n"), DiagnosticCodes.ListItemWouldSplit);
        Assert.Contains("Postfix would read 2 items: '!SSLv2', '!SSLv3'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_ProtocolsAsOneValue_HoldsTheItemsPostfixReads()
    {
        var loaded = PostfixTls.LoadYaml($"main:\n{Maps}tls_policy:\n  example.com:\n    level: encrypt\n    protocols: \"!SSLv2:!SSLv3\"\n");
        var entry = loaded.Value!.TlsPolicy[0];
        Assert.Equal(["!SSLv2", "!SSLv3"], entry.Protocols.ToArray());
        Assert.DoesNotContain(PostfixTls.Validate(loaded.Value), d => d.Code.StartsWith("PFX6", StringComparison.Ordinal));
        Assert.Equal("encrypt protocols=!SSLv2:!SSLv3", entry.RenderValue());
    }

    [Fact]
    public void Validate_PipeInsideOneFingerprint_ErrorButColonsAreFine()
    {
        var fp1 = "3D:95:34:51:24:66:33:B9:D2:40:99:C0:C1:17:0B:D1";
        var fp2 = "EC:3B:2D:B0:5B:B8:8C:33:E6:E4:EB:8E:4F:5F:96:7F";
        Assert.DoesNotContain(Check($"main:\n{Maps}tls_policy:\n  example.com:\n    level: fingerprint\n    match: [\"{fp1}\", \"{fp2}\"]\n"), d => d.Code.StartsWith("PFX6", StringComparison.Ordinal));
        var d = Single(Check($"main:\n{Maps}tls_policy:\n  example.com:\n    level: fingerprint\n    match: [\"{fp1}|{fp2}\"]\n"), DiagnosticCodes.ListItemWouldSplit);
        Assert.Contains("contains '|', which separates match items", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyPolicyListItem_Error()
    {
        Single(Check($"main:\n{Maps}tls_policy:\n  example.com:\n    level: verify\n    match: [nexthop, \"\"]\n"), DiagnosticCodes.ListItemWouldSplit);
    }

    [Theory]
    [InlineData("smtpd_tls_chain_files", "[\"/etc/ssl/my key.pem\", /etc/ssl/cert.pem]", "Postfix splits smtpd_tls_chain_files at spaces and commas, so it would read 2 items: '/etc/ssl/my', 'key.pem'")]
    [InlineData("smtpd_tls_chain_files", "[\"/k.pem,/c.pem\"]", "contains a comma")]
    [InlineData("smtpd_tls_chain_files", "[/k.pem, \"\"]", "Item 2 of smtpd_tls_chain_files is empty")]
    [InlineData("smtpd_tls_protocols", "[\"!SSLv2:!SSLv3\"]", "Postfix splits smtpd_tls_protocols at spaces, commas and ':'")]
    [InlineData("smtpd_tls_exclude_ciphers", "[\"aNULL:MD5\"]", "at spaces, commas and ':'")]
    [InlineData("smtp_tls_verify_cert_match", "[\"nexthop:hostname\"]", "at spaces, commas and ':'")]
    [InlineData("smtp_tls_policy_maps", "[\"hash:/etc/postfix/a}\"]", "a '}' without a matching '{'")]
    public void Validate_ListItemPostfixWouldSplit_Error(string name, string list, string message)
    {
        var d = Single(Check($"main:\n  {name}: {list}\n"), DiagnosticCodes.ListItemWouldSplit);
        Assert.Equal(name, d.Parameter);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smtp_tls_policy_maps: [\"inline:{ example.com=encrypt, example.org=may }\", hash:/etc/postfix/tls_policy]")]
    [InlineData("smtp_tls_fingerprint_cert_match: [\"3D:95:34:51\", \"EC:3B:2D:B0\"]")]
    [InlineData("smtpd_tls_chain_files: \"/k.pem, /c.pem\"")]
    [InlineData("smtpd_recipient_restrictions: [permit_mynetworks, \"check_policy_service inet:127.0.0.1:10023\"]")]
    public void Validate_ListsPostfixReadsAsWritten_NoSafetyError(string yaml) =>
        Assert.DoesNotContain(Check($"main:\n  {yaml}\n"), d => d.Code.StartsWith("PFX6", StringComparison.Ordinal));

    [Theory]
    [InlineData("\" mail.example.com\"", "begins with whitespace", "'mail.example.com'")]
    [InlineData("\"mail.example.com\\t\"", "ends with whitespace", "'mail.example.com'")]
    [InlineData("\"   \"", "is only whitespace", "write an empty value instead")]
    public void Validate_WhitespacePostfixDrops_Error(string value, string what, string rest)
    {
        var d = Single(Check($"main:\n  myhostname: {value}\n"), DiagnosticCodes.SurroundingWhitespace);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains(what, d.Message, StringComparison.Ordinal);
        Assert.Contains(rest, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"a $= b\"", "has a '$' followed by '='")]
    [InlineData("\"price 5$\"", "ends with a '$'")]
    [InlineData("\"${data_directory/x\"", "has a '${' that is never closed with '}'")]
    [InlineData("\"$(data_directory/x\"", "has a '$(' that is never closed with ')'")]
    public void Validate_DollarThatStartsNoReference_Error(string value, string message)
    {
        // postconf -n (3.7.11) stops with "fatal: macro processing error" on each of these.
        var d = Single(Check($"main:\n  smtpd_banner: {value}\n"), DiagnosticCodes.MalformedReference);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Contains("Write $$ for a literal '$'", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smtpd_banner: \"$myhostname costs 5$$ ${x?{y}} $(z) ${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}\"")]
    [InlineData("smtpd_reject_footer: \"call $= now\"")]
    public void Validate_WellFormedOrRawDollar_NoError(string yaml) =>
        Assert.DoesNotContain(Check($"main:\n  {yaml}\n"), d => d.Code == DiagnosticCodes.MalformedReference);

    [Fact]
    public void Validate_InvisibleCharacter_Warning()
    {
        var d = Single(Check("main:\n  myhostname: \"mail\\u200B.example.com\"\n"), DiagnosticCodes.InvisibleCharacter);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Theory]
    [InlineData("hash:../../etc/passwd", "contains '..'")]
    [InlineData("hash:/etc/postfix/main.cf", "replacing Postfix's own main.cf")]
    [InlineData("lmdb:/etc/postfix/master.cf", "replacing Postfix's own master.cf")]
    public void Validate_PolicyMapPathThatEscapesOrOverwrites_Error(string maps, string message)
    {
        var d = Single(Check($"main:\n  smtp_tls_policy_maps: {maps}\ntls_policy:\n  example.com: encrypt\n"), DiagnosticCodes.UnsafeMapPath);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceSpan("c.yaml", 3, 25), d.Span);
    }

    [Fact]
    public void Render_MapPathWithDotDot_WritesNothingOutsideTheOutputFolder()
    {
        // Even with validation out of the way (the renderer called directly), the map is named by its
        // base name only, and the writer refuses any name that is not a plain file name.
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "a", "b", "out");
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
            .Set("smtp_tls_policy_maps", "hash:../../passwd")
            .WithPolicy(new TlsPolicyEntry("example.com", "encrypt"));
        var rendered = ConfigurationRenderer.Render(config, TargetRelease.For(PostfixVersion.Parse("3.7.22")), RenderOptions.Default);
        rendered.WriteTo(outDir);
        Assert.Equal(["main.cf", "passwd"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["a/b", "a/b/out"], Directory.GetDirectories(dir.Path, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(dir.Path, p)).Where(p => p != "a").Order(StringComparer.Ordinal));
        Assert.Equal(["a/b/out/main.cf", "a/b/out/passwd"], Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(dir.Path, p)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_ValuesWithHashDollarBracesAndUnicode_WrittenByteForByte()
    {
        const string banner = "$myhostname ESMTP {{ 1 + 1 }} {% raw %} # not a comment ${x?{y}} Grüße 日本 📧 ";
        using var dir = new TempDir();
        var config = dir.Write("c.yaml", $"postfix_version: \"3.7\"\nmain:\n  smtpd_banner: \"{banner.TrimEnd()}\"\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n  bücher.example: encrypt\n");
        var outDir = Path.Combine(dir.Path, "out");
        var r = CliRunner.Run("render", config, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var bytes = File.ReadAllBytes(Path.Combine(outDir, "main.cf"));
        var expected = Encoding.UTF8.GetBytes($"\nsmtpd_banner = {banner.TrimEnd()}\n");
        Assert.True(bytes.AsSpan().IndexOf(expected) >= 0, Encoding.UTF8.GetString(bytes));
        Assert.DoesNotContain("2", Encoding.UTF8.GetString(bytes).Split('\n').Single(l => l.StartsWith("smtpd_banner", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte order mark");
        var map = File.ReadAllBytes(Path.Combine(outDir, "tls_policy"));
        Assert.True(map.AsSpan().IndexOf(Encoding.UTF8.GetBytes("\nbücher.example encrypt\n")) >= 0);
    }

    [PostfixFact]
    public void Render_ValuesWithHashDollarBracesAndUnicode_PostconfReadsThemUnchanged()
    {
        const string banner = "$myhostname ESMTP {{ 1 + 1 }} # not a comment Grüße 📧";
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }.Set("smtpd_banner", banner);
        var rendered = PostfixTls.Render(config);
        Assert.False(rendered.HasErrors, rendered.Diagnostics.ToString());
        using var dir = PostfixTools.ConfigDir(rendered.Value);
        var (values, _) = PostfixTools.PostconfN(dir.Path);
        Assert.Equal(banner, values["smtpd_banner"]);
    }

    [Fact]
    public void Render_SourceFileNameWithNewline_CannotAddASetting()
    {
        using var dir = new TempDir();
        var config = dir.Write("x\nsmtpd_tls_security_level = none\n.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: encrypt\n  smtpd_tls_chain_files: [/k.pem, /c.pem]\n");
        var outDir = Path.Combine(dir.Path, "out");
        var r = CliRunner.Run("render", config, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var lines = File.ReadAllLines(Path.Combine(outDir, "main.cf"));
        Assert.DoesNotContain("smtpd_tls_security_level = none", lines);
        Assert.All(lines, l => Assert.True(l.Length == 0 || l.StartsWith('#') || l.Contains(" = ", StringComparison.Ordinal) || l.EndsWith(" =", StringComparison.Ordinal), l));
        Assert.Contains(lines, l => l.StartsWith("# Source: x\\u000Asmtpd_tls_security_level = none\\u000A.yaml.", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ValueWithNewlinePastValidation_RendererRefuses()
    {
        // The last guard: should validation ever let a line break through, the renderer stops.
        var config = new TlsConfiguration().Set("myhostname", "mail.example.com\nsmtpd_tls_security_level = none");
        var e = Assert.Throws<InvalidOperationException>(() => ConfigurationRenderer.Render(config, TargetRelease.For(PostfixVersion.Parse("3.7.22")), RenderOptions.Default));
        Assert.Contains("line break", e.Message, StringComparison.Ordinal);
        var policy = new TlsConfiguration().Set("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy").WithPolicy(new TlsPolicyEntry("a.example\nb.example", "none"));
        Assert.Throws<InvalidOperationException>(() => ConfigurationRenderer.Render(policy, TargetRelease.For(PostfixVersion.Parse("3.7.22")), RenderOptions.Default));
    }

    [Fact]
    public void Validate_KeyWithNewline_DiagnosticsStayOneLineEach()
    {
        using var dir = new TempDir();
        var config = dir.Write("c.yaml", "postfix_version: \"3.7\"\nmain:\n" + Maps + "tls_policy:\n  \"a.example\\nforged.yaml(1,1): error PFX0000: forged\": encrypt\n");
        var r = CliRunner.Run("validate", config);
        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain(r.StdOut.Split('\n'), l => l.StartsWith("forged.yaml", StringComparison.Ordinal));
        Assert.Contains("a.example\\u000Aforged.yaml", r.StdOut, StringComparison.Ordinal);
    }
}

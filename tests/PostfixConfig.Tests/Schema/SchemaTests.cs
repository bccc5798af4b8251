using System.Text.Json;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;
using PostfixConfig.Yaml;

namespace PostfixConfig.Tests.Schema;

/// <summary>
/// The JSON Schema (<c>postfix-config schema</c>, <see cref="PostfixTls.JsonSchema"/>) checked with a real
/// validator (python3-jsonschema) against the examples, against mistakes, and against the validator
/// itself: for names, enumeration words, booleans and policy attributes the schema must reject exactly
/// what <c>validate</c> reports as an error.
/// </summary>
[Trait("Category", "Slow")]
public class SchemaTests
{
    private const string SchemaLine = "# yaml-language-server: $schema=../schema/postfix-config.schema.json";

    private static string SchemaPath => Path.Combine(RepoPaths.Root, "schema", "postfix-config.schema.json");

    private static readonly ParameterCatalog Catalog = ParameterCatalog.Default;

    public static TheoryData<string> Releases => new("2.4", "2.10", "3.3", "3.11");

    [Fact]
    public void CommittedSchema_IsTheGeneratedSchemaOfTheNewestStableRelease()
    {
        // Generated, never hand-edited: UPDATE_GOLDEN=1 rewrites the file from the catalog.
        Golden.Match(SchemaPath, PostfixTls.JsonSchema());
        Assert.Contains($"for Postfix {Catalog.Releases.NewestStable.Line} ({Catalog.Releases.NewestStable})", PostfixTls.JsonSchema(), StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_IsTheSameForALineAndItsNewestPatchRelease_AndDiffersBetweenReleases()
    {
        Assert.Equal(PostfixTls.JsonSchema(PostfixVersion.Parse("3.7.22")), PostfixTls.JsonSchema(PostfixVersion.Parse("3.7")));
        Assert.NotEqual(PostfixTls.JsonSchema(PostfixVersion.Parse("3.3")), PostfixTls.JsonSchema(PostfixVersion.Parse("3.4")));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostfixTls.JsonSchema(PostfixVersion.Parse("2.1")));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostfixTls.JsonSchema(PostfixVersion.Parse("4.0")));
    }

    [Fact]
    public void Examples_PointAtTheShippedSchema_AndValidateAgainstItAndTheirOwnRelease()
    {
        var examples = Directory.GetFiles(RepoPaths.Examples, "*.yaml").Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        Assert.True(examples.Count >= 3);
        var jobs = new List<(string, IReadOnlyDictionary<string, string>)> { (File.ReadAllText(SchemaPath), examples) };
        foreach (var (name, yaml) in examples)
        {
            Assert.True(yaml.StartsWith(SchemaLine + "\n", StringComparison.Ordinal), $"{name} must start with '{SchemaLine}'");
            var config = PostfixTls.LoadYaml(yaml, name).GetValueOrThrow();
            Assert.NotNull(config.PostfixVersion);
            jobs.Add((PostfixTls.JsonSchema(config.PostfixVersion), new Dictionary<string, string> { [name] = yaml }));
        }

        var results = SchemaValidator.Validate(jobs);
        Assert.Equal(1 + examples.Count, results.Count);
        foreach (var result in results)
        {
            foreach (var (name, errors) in result)
            {
                Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}");
            }
        }
    }

    /// <summary>Mistakes with where the schema reports them; validate rejects each as well.</summary>
    private static readonly (string Yaml, string Where)[] Mistakes =
    [
        ("main:\n  smtpd_tls_chainfiles: /etc/ssl/key.pem\n", "smtpd_tls_chainfiles"),
        ("main:\n  smtpd_tls_security_level: mya\n", "main/smtpd_tls_security_level"),
        ("main:\n  smtp_tls_security_level: sure\n", "main/smtp_tls_security_level"),
        ("main:\n  smtpd_tls_auth_only: maybe\n", "main/smtpd_tls_auth_only"),
        ("main:\n  smtpd_tls_loglevel: [1, 2]\n", "main/smtpd_tls_loglevel"),
        ("tls_policy:\n  gmail.com: {level: encrypt, protcols: TLSv1.2}\n", "protcols"),
        ("tls_policy:\n  gmail.com: {level: encrypt, match: nexthop}\n", "tls_policy/gmail.com"),
        ("tls_policy:\n  gmail.com: {level: secure, tafile: [/etc/ta.pem], ciphers: ultra}\n", "tls_policy/gmail.com"),
        ("tls_policy:\n  gmail.com: encrypted\n", "tls_policy/gmail.com"),
        ("tls_policy:\n  gmail.com: {protocols: TLSv1.2}\n", "tls_policy/gmail.com"),
        ("tls_policys:\n  gmail.com: encrypt\n", "tls_policys"),
    ];

    /// <summary>Valid configurations (letter case, $ expressions, YAML and Postfix booleans, lists, per-service names, policy entries).</summary>
    private static readonly string[] Valid =
    [
        "main:\n  smtpd_tls_security_level: MAY\n  smtp_tls_security_level: $smtpd_tls_security_level\n",
        "main:\n  smtpd_tls_auth_only: true\n  smtpd_tls_received_header: \"yes\"\n  smtpd_tls_req_ccert: No\n",
        "main:\n  smtpd_tls_security_level: verify\n  smtpd_tls_chain_files: [/etc/ssl/key.pem, /etc/ssl/chain.pem]\n", // acts as encrypt, with a warning
        "main:\n  smtpd_tls_session_cache_timeout: 3600\n  smtp_tls_session_cache_timeout: 1h\n  smtpd_tls_ccert_verifydepth: \"5\"\n",
        "main:\n  smtpd_tls_protocols: [\"!SSLv2\", \"!SSLv3\"]\n  smtp_tls_mandatory_protocols: \">=TLSv1.2\"\n  smtpd_tls_loglevel: 1\n",
        "main:\n  dovecot_destination_recipient_limit: 1\n  myhostname: mx.example.com\n",
        "main:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n  \"[mx.example.com]:587\": {level: secure, match: [nexthop, dot-nexthop], tafile: /etc/ta.pem, servername: hostname, connection_reuse: yes}\n  .example.org: ENCRYPT\n",
        "main:\ntls_policy:\n",
    ];

    [Fact]
    public void Mistakes_AreRejected_AndValidConfigurationsAccepted_BySchemaAndValidation()
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Mistakes.Length; i++)
        {
            documents[$"mistake {i}"] = "postfix_version: \"3.11\"\n" + Mistakes[i].Yaml;
        }

        for (var i = 0; i < Valid.Length; i++)
        {
            documents[$"valid {i}"] = "postfix_version: \"3.11\"\n" + Valid[i];
        }

        var results = SchemaValidator.Validate(File.ReadAllText(SchemaPath), documents);
        for (var i = 0; i < Mistakes.Length; i++)
        {
            var (yaml, errors) = (documents[$"mistake {i}"], results[$"mistake {i}"]);
            Assert.True(errors.Count > 0, $"the schema accepts:\n{yaml}");
            Assert.True(errors.Any(e => e.Contains(Mistakes[i].Where, StringComparison.Ordinal)), $"{yaml}\nnot reported at {Mistakes[i].Where}: {string.Join("; ", errors)}");
            Assert.True(HasErrors(yaml), $"validate accepts what the schema rejects:\n{yaml}");
        }

        for (var i = 0; i < Valid.Length; i++)
        {
            var (yaml, errors) = (documents[$"valid {i}"], results[$"valid {i}"]);
            Assert.True(errors.Count == 0, $"{yaml}\n{string.Join("; ", errors)}");
            Assert.False(HasErrors(yaml), string.Join("\n", Diagnostics(yaml)));
        }
    }

    /// <summary>
    /// The keys the lead's branch adds (profile, openssl_version, services, sni), right and wrong; and
    /// where the schema is stricter than the reader on purpose: an unquoted release is a YAML number
    /// (3.10 is 3.1 to an editor), though the reader takes the text as written.
    /// </summary>
    [Fact]
    public void NewTopLevelKeys_HaveTheirShapes_AndAnUnquotedReleaseIsFlagged()
    {
        (string Yaml, bool Valid)[] cases =
        [
            ("profile: intermediate\nopenssl_version: \"1.1.1\"\n", true),
            ("profile: paranoid\n", false),
            ("openssl_version: 3.0\n", false),
            ("services:\n  submission:\n    smtpd_tls_security_level: encrypt\n    smtpd_tls_auth_only: yes\n  smtps:\n", true),
            ("services:\n  submission:\n    smtpd_tls_security_level: sure\n", false),
            ("services:\n  submission:\n    smtpd_tls_secrity_level: encrypt\n", false),
            ("services:\n  relay:\n    smtp_tls_security_level: encrypt\n", false),
            ("sni:\n  mail.example.com: [/etc/ssl/key.pem, /etc/ssl/chain.pem]\n  .example.org: [/k.pem, /c.pem, /i.pem]\n", true),
            ("sni:\n  mail.example.com: [/etc/ssl/key-and-chain.pem]\n", true),
            ("sni:\n  mail.example.com: /etc/ssl/key-and-chain.pem\n", true),
            ("sni:\n  mail.example.com: []\n", false),
            ("services:\n  submission:\n    listen: 127.0.0.1:587\n    smtpd_tls_security_level: encrypt\n  smtp:\n    smtpd_tls_security_level: may\n", true),
            ("services:\n  submission:\n    listen: [587]\n", false),
            ("sni:\n  \"mail example.com\": [/k.pem, /c.pem]\n", false),
            ("postfix_version: 3.10\n", false),
            ("postfix_version: \"3.10\"\n", true),
        ];
        var documents = cases.Select((c, i) => (i, c.Yaml.StartsWith("postfix_version", StringComparison.Ordinal) ? c.Yaml : "postfix_version: \"3.11\"\n" + c.Yaml))
            .ToDictionary(x => x.i.ToString(System.Globalization.CultureInfo.InvariantCulture), x => x.Item2, StringComparer.Ordinal);
        var results = SchemaValidator.Validate(File.ReadAllText(SchemaPath), documents);
        foreach (var (key, yaml) in documents)
        {
            Assert.True(cases[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)].Valid == (results[key].Count == 0), $"{yaml}\n{string.Join("; ", results[key])}");
        }
    }

    [Fact]
    public void EveryTopLevelKeyTheReaderAccepts_IsDescribedByTheSchema()
    {
        using var schema = JsonDocument.Parse(PostfixTls.JsonSchema());
        var described = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.False(schema.RootElement.GetProperty("additionalProperties").GetBoolean());
        foreach (var key in ConfigYamlReader.TopLevelKeys)
        {
            Assert.Contains(key, described);
        }

        // The list is what the reader really accepts: every key of it and of the schema, and a stranger.
        foreach (var key in ConfigYamlReader.TopLevelKeys.Concat(described).Append("tls_policies").Distinct())
        {
            var unknown = PostfixTls.LoadYaml($"{key}:\n").Diagnostics.Any(d => d.Code == DiagnosticCodes.UnknownTopLevelKey);
            Assert.True(unknown != ConfigYamlReader.TopLevelKeys.Contains(key),
                $"the reader {(unknown ? "rejects" : "accepts")} '{key}', which ConfigYamlReader.TopLevelKeys {(unknown ? "lists" : "does not list")}");
        }
    }

    /// <summary>
    /// Every name the catalog knows, set at once: the schema lists exactly the names that validation
    /// does not reject, and marks deprecated exactly those it warns about as deprecated, removed,
    /// obsolete or not in the release.
    /// </summary>
    [Theory]
    [MemberData(nameof(Releases))]
    public void SchemaAndValidation_AgreeOnEveryParameterName(string version)
    {
        var release = PostfixVersion.Parse(version);
        using var schema = JsonDocument.Parse(PostfixTls.JsonSchema(release));
        var properties = schema.RootElement.GetProperty("$defs").GetProperty("parameterSet").GetProperty("properties");
        var inSchema = properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.TryGetProperty("deprecated", out var d) && d.GetBoolean(), StringComparer.Ordinal);

        var names = Catalog.Parameters.Select(p => p.Name).Concat(Catalog.NamedParameters.Select(n => n.Name)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(names.Count > 1000, $"only {names.Count} names");
        var config = new TlsConfiguration { PostfixVersion = release, Main = ParameterMap.Create(names.Select(n => (n, PostfixValue.Of("x"), (SourceSpan?)null))) };
        var diagnostics = PostfixTls.Validate(config);
        string[] rejecting = [DiagnosticCodes.UnknownParameter, DiagnosticCodes.ParameterNotYetAvailable];
        string[] deprecating = [DiagnosticCodes.ParameterRemoved, DiagnosticCodes.LegacyParameterName, DiagnosticCodes.ParameterDeprecated, DiagnosticCodes.ParameterObsolete, DiagnosticCodes.ParameterNotInRelease];
        var rejected = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && rejecting.Contains(d.Code)).Select(d => d.Parameter!).ToHashSet(StringComparer.Ordinal);
        var deprecated = diagnostics.Where(d => deprecating.Contains(d.Code)).Select(d => d.Parameter!).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(deprecated);
        foreach (var name in names)
        {
            Assert.True(inSchema.ContainsKey(name) == !rejected.Contains(name), $"{name} in {version}: schema {(inSchema.ContainsKey(name) ? "lists" : "omits")} it, validation {(rejected.Contains(name) ? "rejects" : "accepts")} it");
            if (inSchema.TryGetValue(name, out var isDeprecated))
            {
                Assert.True(isDeprecated == deprecated.Contains(name), $"{name} in {version}: schema deprecated={isDeprecated}, validation {(deprecated.Contains(name) ? "warns" : "does not warn")}");
            }
        }

        Assert.Equal(names.Count - rejected.Count, inSchema.Count); // and nothing else
    }

    /// <summary>Every word of every enumeration (from any release), letter case changed, plus a wrong one; and booleans.</summary>
    [Theory]
    [MemberData(nameof(Releases))]
    public void SchemaAndValidation_AgreeOnEveryWordAndBoolean(string version)
    {
        var release = Catalog.Releases.Resolve(PostfixVersion.Parse(version));
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        var expectedValid = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var p in Catalog.ParametersIn(release))
        {
            IEnumerable<string> words = p.Kind switch
            {
                ParameterKind.Enum or ParameterKind.CipherGrade => p.Values.Select(v => v.Value).Concat(["bogus", p.Values[0].Value.ToUpperInvariant(), ""]),
                ParameterKind.Boolean => ["yes", "No", "true", "1", "maybe", ""],
                _ => [],
            };
            foreach (var word in words)
            {
                var key = $"{p.Name}={word}";
                var value = word is "true" ? word : $"\"{word}\"";
                var yaml = $"postfix_version: \"{release}\"\nmain:\n  {p.Name}: {value}\n";
                documents[key] = yaml;
                expectedValid[key] = !Diagnostics(yaml).Any(d => d.Severity == DiagnosticSeverity.Error && d.Parameter == p.Name
                    && d.Code is DiagnosticCodes.UnknownValue or DiagnosticCodes.ValueNotYetAvailable or DiagnosticCodes.InvalidBoolean);
            }
        }

        Assert.Contains(expectedValid.Values, v => !v);
        AssertSchemaAgrees(release, documents, expectedValid);
    }

    /// <summary>Each policy attribute at a level that takes it and at one that does not, a misspelt one, and plugin attributes.</summary>
    [Theory]
    [MemberData(nameof(Releases))]
    public void SchemaAndValidation_AgreeOnPolicyAttributes(string version)
    {
        var release = Catalog.Releases.Resolve(PostfixVersion.Parse(version));
        (string Attribute, string Value)[] attributes =
        [
            ("protocols", "\"!SSLv2\""), ("ciphers", "high"), ("exclude", "aNULL"), ("match", "nexthop"), ("tafile", "/etc/ta.pem"),
            ("servername", "hostname"), ("connection_reuse", "yes"), ("enable_rpk", "yes"), ("protcols", "\"!SSLv2\""),
            ("policy_type", "sts"), ("policy_ttl", "86400"), ("policy_domain", "example.com"),
        ];
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        var expectedValid = new Dictionary<string, bool>(StringComparer.Ordinal);
        string[] codes =
        [
            DiagnosticCodes.UnknownPolicyAttribute, DiagnosticCodes.PolicyAttributeNotInRelease, DiagnosticCodes.PolicyAttributeNotAtLevel, DiagnosticCodes.InvalidPolicyLevel,
        ];
        foreach (var level in new[] { "encrypt", "verify" })
        {
            foreach (var (attribute, value) in attributes)
            {
                var extra = attribute.StartsWith("policy_", StringComparison.Ordinal) && attribute != "policy_type" ? ", policy_type: sts" : string.Empty;
                var key = $"{level}/{attribute}";
                var yaml = $"postfix_version: \"{release}\"\nmain:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n  example.com: {{level: {level}, {attribute}: {value}{extra}}}\n";
                documents[key] = yaml;
                expectedValid[key] = !Diagnostics(yaml).Any(d => d.Severity == DiagnosticSeverity.Error && codes.Contains(d.Code));
            }
        }

        // Before 2.5 an unknown or misplaced attribute is only a warning (the entry stays valid).
        Assert.True(expectedValid.Values.All(v => v) != Thresholds.PolicyStrictAttributes.IsSatisfiedBy(release));
        AssertSchemaAgrees(release, documents, expectedValid);
    }

    /// <summary>The release's schema accepts exactly the documents that validation accepts.</summary>
    private static void AssertSchemaAgrees(PostfixVersion release, Dictionary<string, string> documents, Dictionary<string, bool> expectedValid)
    {
        var results = SchemaValidator.Validate(PostfixTls.JsonSchema(release), documents);
        var disagreements = documents.Keys.Where(k => expectedValid[k] != (results[k].Count == 0))
            .Select(k => $"{k}: validation {(expectedValid[k] ? "accepts" : "rejects")}, schema {(results[k].Count == 0 ? "accepts" : string.Join("; ", results[k]))}")
            .ToList();
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    /// <summary>Every parameter of a release set to its own default (as postconf -d prints it) is valid for the schema.</summary>
    [Theory]
    [MemberData(nameof(Releases))]
    public void EveryDefault_ValidatesAgainstItsReleasesSchema(string version)
    {
        var release = Catalog.Releases.Resolve(PostfixVersion.Parse(version));
        var lines = Catalog.ParametersIn(release).Select(p => $"  {p.Name}: {JsonSerializer.Serialize(p.DefaultIn(release))}");
        var yaml = $"postfix_version: \"{release}\"\nmain:\n{string.Join("\n", lines)}\n";
        Assert.Empty(SchemaValidator.Validate(PostfixTls.JsonSchema(release), yaml));
    }

    [Fact]
    public void Cli_Schema_PrintsTheReleasesSchema_AndRefusesUnknownReleases()
    {
        var r = CliRunner.Run("schema", "--postfix-version", "3.4");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(PostfixTls.JsonSchema(PostfixVersion.Parse("3.4")), r.StdOut);
        Assert.Equal(File.ReadAllText(SchemaPath), CliRunner.Run("schema").StdOut);
        var old = CliRunner.Run("schema", "--postfix-version", "2.1");
        Assert.Equal(2, old.ExitCode);
        Assert.Contains("2.2 to 3.12", old.StdErr, StringComparison.Ordinal);
        Assert.Empty(old.StdOut);
    }

    private static List<Diagnostic> Diagnostics(string yaml)
    {
        var loaded = PostfixTls.LoadYaml(yaml);
        return loaded.Value is { } config ? [.. loaded.Diagnostics, .. PostfixTls.Validate(config)] : [.. loaded.Diagnostics];
    }

    private static bool HasErrors(string yaml) => Diagnostics(yaml).Any(d => d.Severity == DiagnosticSeverity.Error);
}

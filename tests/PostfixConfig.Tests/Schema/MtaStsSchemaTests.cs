using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Schema;

/// <summary>The schema's mta_sts and publish sections, right and wrong, against python3-jsonschema and against validate.</summary>
public class MtaStsSchemaTests
{
    private static string SchemaPath => Path.Combine(RepoPaths.Root, "schema", "postfix-config.schema.json");

    [Fact]
    [Trait("Category", "Slow")] // runs python3-jsonschema
    public void MtaStsAndPublish_HaveTheirShapes()
    {
        (string Yaml, bool Valid)[] cases =
        [
            ("mta_sts: {resolver: postfix-mta-sts-resolver, address: \"inet:127.0.0.1:8461\", require_sni: no, tlsrpt: yes}\n", true),
            ("mta_sts: {resolver: postfix-tlspol, address: \"unix:/run/postfix-tlspol/tlspol.sock\"}\n", true),
            ("mta_sts: {resolver: postfix-tlspol, address: \"inet:[::1]:8642\"}\n", true),
            ("mta_sts: {resolver: postfix-tlspol, address: \"inet:127.0.0.1\"}\n", false),
            ("mta_sts: {resolver: mta-sts-daemon, address: \"inet:127.0.0.1:8461\"}\n", false),
            ("mta_sts: {address: \"inet:127.0.0.1:8461\"}\n", false),
            ("mta_sts: {resolver: postfix-tlspol, address: \"inet:127.0.0.1:8642\", zone: strict}\n", false),
            ("publish: {domain: example.com, mta_sts: {mode: enforce, mx: [mail.example.com, \"*.example.net\"], max_age: 604800}, tlsrpt: {rua: [\"mailto:tls@example.com\", \"https://r.example.com/x\"]}}\n", true),
            ("publish: {domain: example.com, mta_sts: {mode: testing, mx: mail.example.com}, tlsrpt: {rua: \"mailto:tls@example.com\"}}\n", true),
            ("publish: {domain: example.com, mta_sts: {mode: Enforce, mx: [mail.example.com]}}\n", false),
            ("publish: {domain: example.com, mta_sts: {mode: enforce, mx: [\"m*.example.com\"]}}\n", false),
            ("publish: {domain: example.com, mta_sts: {mode: enforce, mx: [mail.example.com], max_age: 31557601}}\n", false),
            ("publish: {domain: example.com, tlsrpt: {rua: [\"ftp://example.com/\"]}}\n", false),
            ("publish: {mta_sts: {mode: none}}\n", false),
        ];
        var documents = cases.Select((c, i) => (i, "postfix_version: \"3.11\"\nmain: {smtp_tls_CAfile: /etc/ssl/certs/ca-certificates.crt, smtp_dns_support_level: dnssec, smtp_tls_security_level: dane}\n" + c.Yaml))
            .ToDictionary(x => x.i.ToString(System.Globalization.CultureInfo.InvariantCulture), x => x.Item2, StringComparer.Ordinal);
        var results = SchemaValidator.Validate(File.ReadAllText(SchemaPath), documents);
        foreach (var (key, yaml) in documents)
        {
            var valid = cases[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)].Valid;
            Assert.True(valid == (results[key].Count == 0), $"schema: {yaml}\n{string.Join("; ", results[key])}");
            var loaded = PostfixTls.LoadYaml(yaml);
            var errors = loaded.HasErrors || PostfixTls.Validate(loaded.Value!).HasErrors;
            Assert.True(valid == !errors, $"validate: {yaml}");
        }
    }
}

using CsCheck;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Validation;

/// <summary>No generated model makes validation throw or trip a rule's internal fault handler.</summary>
public class ValidationPropertyTests
{
    private static readonly ParameterCatalog Catalog = ParameterCatalog.Default;

    private static readonly string[] Names =
    [
        .. Catalog.Parameters.Select(p => p.Name),
        "compatibility_level", "smtp_host_lookup", "ignore_mx_lookup_error", "smtp_dns_resolver_options", "myhostname", "relay_clientcerts",
        "tls_fast_shutdown", "my_value", "smtpd_tls_chainfiles", "", "bad name", "x=y",
    ];

    /// <summary>Words that rules look at, and the shapes Postfix values take.</summary>
    private static readonly string[] Words =
    [
        "", "yes", "no", "YES", "maybe", "0", "1", "4", "9", "-1", "99999999999", "1,trace", "1 # debug", "3600s", "1h", "200d", "0s", "1x",
        "none", "may", "encrypt", "fingerprint", "dane", "dane-only", "verify", "secure", "halfdane", "Encrypt",
        "disabled", "enabled", "dnssec", "export", "low", "medium", "high", "null", "md5", "sha1", "sha256", "sha512",
        "!SSLv2, !SSLv3", ">=TLSv1.2", "<=TLSv1.3", ">=", "<=None", ">=0x0303", "!TLSv1.3", "TLSv1 TLSv1.2", "!", "!!", ":", ",,",
        "hash:/etc/postfix/tls_policy", "btree:${data_directory}/smtp_scache", "lmdb:/x", "cdb:/x", "proxy:hash:/x", "proxy:", "inline:{a=b}",
        "cidr:{{192.0.2.0/24 encrypt}}", "static:{ encrypt }", "{", "}", "{{}}", "hsah:/x", ":x", "x:", "/etc/postfix/x",
        "$smtp_tls_security_level", "${smtpd_tls_cert_file}", "$(my_value)", "$my_value", "$", "$$", "${", "${x?", "${x?{a}:{b}}",
        "${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}", "${{$compatibility_level} <level {} ? {} : {}}",
        "${smtpd_tls_security_level:{may}}", "${domain_to_ascii{$mydomain}}", "${{a} == {b} ? {x} : {y}}", "${{a} ?? {b} ? {x} : {y}}",
        "3.6", "3.11.2", "3.x", "2", "1.2.3.4", "none", "auto", "default", "/etc/ssl/openssl.cnf", "openssl.cnf",
        "3D:95:34:51:24:66:33:B9:D2:40:99:C0:C1:17:0B:D1", "3D95345124663339D24099C0C1170BD1", "3D:9", "nexthop", "dot-nexthop", ".example.com",
        "hostname", "*.example.com", "mx example", "aNULL, RC4", "!RC4", "X25519 prime256v1", "sha512 sha265",
        "line\nbreak", "tab\there", "nul\0char", "\u00e9t\u00e9", new string('a', 300),
    ];

    private static readonly Gen<string> Word = Gen.OneOf(Gen.OneOf(Words), Gen.String);

    private static readonly Gen<PostfixValue> Values = Gen.OneOf(
        Word.Select(w => PostfixValue.Of(w)),
        Word.Array[0, 4].Select(items => PostfixValue.OfList(items)));

    private static readonly Gen<ParameterMap> Maps =
        Gen.Select(Gen.OneOf(Names), Values).Array[0, 10].Select(pairs =>
        {
            var map = ParameterMap.Empty;
            foreach (var pair in pairs)
            {
                if (pair.Item1.Length > 0)
                {
                    map = map.Set(pair.Item1, pair.Item2);
                }
            }

            return map;
        });

    private static readonly Gen<ValueList<string>> Lists = Word.Array[0, 3].Select(a => new ValueList<string>([.. a]));

    private static readonly Gen<TlsPolicyEntry> Entries =
        Gen.Select(
            Gen.OneOf(Gen.OneOf("example.com", ".example.com", "[mx.example.com]:587", "[2001:db8::1]", "bad key", "", "EXAMPLE.com", "[ipv6:2001:db8::1]"), Gen.String),
            Gen.OneOf(Gen.OneOf("none", "may", "encrypt", "fingerprint", "dane", "dane-only", "verify", "secure", "halfdane", " Verify "), Gen.String),
            Gen.Select(Lists, Lists, Lists, Lists),
            Gen.Select(Word.Null(), Word.Null(), Gen.Bool.Nullable(), Gen.Bool.Nullable()),
            Gen.Select(Gen.OneOf("policy_type", "policy_ttl", "policy_domain", "protocol", "Protocols", "mx_host_pattern", ""), Word).Array[0, 2])
        .Select(t => new TlsPolicyEntry(t.Item1, t.Item2)
        {
            Protocols = t.Item3.Item1,
            Exclude = t.Item3.Item2,
            Match = t.Item3.Item3,
            TaFile = t.Item3.Item4,
            Ciphers = t.Item4.Item1,
            ServerName = t.Item4.Item2,
            ConnectionReuse = t.Item4.Item3,
            EnableRpk = t.Item4.Item4,
            OtherAttributes = new ValueList<TlsPolicyAttributeValue>([.. t.Item5.Select(o => new TlsPolicyAttributeValue(o.Item1, o.Item2))]),
        });

    private static readonly Gen<PostfixVersion> Versions = Gen.OneOf(
        Gen.OneOf([.. Catalog.Releases.Newest, .. Catalog.Releases.Lines]),
        Gen.Select(Gen.Int[2, 4], Gen.Int[0, 13], Gen.Int[0, 30]).Select(t => new PostfixVersion(t.Item1, t.Item2, t.Item3)),
        Gen.OneOf(PostfixVersion.Parse("1.1"), PostfixVersion.Parse("3.12-20260821"), PostfixVersion.Parse("9.9")));

    private static readonly Gen<TlsConfiguration> Configurations =
        Gen.Select(Maps, Entries.Array[0, 4], Versions.Nullable()).Select(t =>
        {
            var table = TlsPolicyTable.Empty;
            foreach (var entry in t.Item2)
            {
                table = table.Add(entry);
            }

            return new TlsConfiguration { Main = t.Item1, TlsPolicy = table, PostfixVersion = t.Item3 };
        });

    [Trait("Category", "Slow")]
    [Fact]
    public void Validate_GeneratedModels_NeverThrowsNorFaults() =>
        Configurations.Sample(
            config =>
            {
                var diagnostics = PostfixTls.Validate(config);
                var fault = diagnostics.FirstOrDefault(d => d.Code == DiagnosticCodes.RuleFault);
                Assert.True(fault is null, fault?.ToString());
                Assert.All(diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
            },
            iter: 1000);

    [Trait("Category", "Slow")]
    [Fact]
    public void Validate_EveryCatalogParameterWithEveryWord_NeverFaults()
    {
        // Exhaustive over parameter x word (the release rotating through old and new ones): catches what sampling may miss.
        string[] versions = ["2.2", "2.11", "3.5", "3.11.6"];
        var options = versions.Select(v => ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse(v) }).ToArray();
        for (var i = 0; i < Catalog.Parameters.Length; i++)
        {
            for (var j = 0; j < Words.Length; j++)
            {
                var config = new TlsConfiguration().Set(Catalog.Parameters[i].Name, Words[j]);
                var diagnostics = PostfixTls.Validate(config, options[(i + j) % options.Length]);
                Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.RuleFault);
            }
        }
    }
}

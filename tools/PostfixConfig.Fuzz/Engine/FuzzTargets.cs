using System.Text;
using PostfixConfig.Certificates;

namespace PostfixConfig.Fuzz;

/// <summary>One entry point under fuzzing: its seeds, the syntax tokens its mutations insert, and how an input is run.</summary>
internal sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, IReadOnlyList<string> Tokens, Action<byte[], Workspace> Run);

/// <summary>
/// The entry points, each called through the public API (<see cref="PostfixTls"/>) the way the CLI calls
/// it. Any exception they let out is a finding. Options that vary (digest, host, port, which reader)
/// are taken from a hash of the input, so a saved input replays exactly.
/// </summary>
internal static class FuzzTargets
{
    public static readonly string[] Names = ["yaml", "maincf", "mastercf", "pem", "fingerprint", "tlsa"];

    private static readonly string[] YamlTokens =
    [
        "---\n", "...\n", "&a ", "*a", "&a [x, *a]", "<<: ", "<<: *a\n", "!!binary ", "!!str ", "!tag ", "? ", "- ", "-\n", "[", "]", "[]", "{}", "|\n  ", ">-\n  ",
        "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "null", "~", "true", "yes", "on", "0o17", ".inf", "1_000", "\"\\u0000\"", "\"\\x", "'it''s'",
        "main:\n", "services:\n", "tls_policy:\n", "profile: ", "postfix_version: ", "openssl_version: ", "3.7", "2.2", "99.99", "modern", "intermediate",
        "  smtpd_tls_chain_files: ", "  smtp_tls_security_level: ", "  smtp_tls_policy_maps: ", "hash:/etc/postfix/tls_policy", "lmdb:", "inline:{a=b}",
        "  example.com: dane\n", "    level: fingerprint\n", "    match: ", "    protocols: ", "encrypt", "secure", "dane-only", "listen: ", "smtp: ",
    ];

    private static readonly string[] PostfixTokens =
    [
        "smtpd_tls_security_level = may\n", "smtp_tls_security_level = dane\n", "smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n",
        "smtpd_tls_chain_files = ", "smtpd_tls_cert_file = ", "smtpd_tls_key_file = ", "tls_server_sni_maps = hash:", "myhostname = ", "mydomain = ",
        "smtpd_tls_protocols = ", "!SSLv2, !SSLv3", ">=TLSv1.2", "smtp_tls_mandatory_ciphers = high", "compatibility_level = 3.6\n",
        "${name?value}", "${name:value}", "${x?{a}:{b}}", "$myhostname", "$(mydomain)", "${", "$", "$$", "inline:{ { a = b } }", "texthash:", "cdb:", "regexp:",
        "-o ", "-o smtpd_tls_security_level=encrypt", "-o { smtpd_client_restrictions = permit_mynetworks, reject }", "smtp      inet  n       -       y       -       -       smtpd\n",
        "submission inet n       -       y       -       -       smtpd\n", "  -o syslog_name=postfix/submission\n", "unix", "inet", "fifo", "pass", "-", "n", "y", "?", "100",
        "example.com dane\n", "[mx.example.com]:25 secure match=nexthop:dot-nexthop protocols=!SSLv2\n", "fingerprint match=AB:CD", "servername=hostname", "{ ", " }",
    ];

    private static readonly string[] PemTokens =
    [
        "-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n", "-----BEGIN PRIVATE KEY-----\n", "-----END PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\n", "-----END RSA PRIVATE KEY-----\n", "-----BEGIN EC PRIVATE KEY-----\n", "-----END EC PRIVATE KEY-----\n",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n", "-----BEGIN X509 CRL-----\n", "-----BEGIN TRUSTED CERTIFICATE-----\n", "-----BEGIN -----\n", "-----END -----\n",
        "-----BEGIN CERTIFICATE-----", "-----", "Proc-Type: 4,ENCRYPTED\n", "DEK-Info: AES-128-CBC,00\n", "=", "==", "====", "MIIB", "MII", "AAAA", "////", "++++",
    ];

    private static readonly string[] Hosts =
    [
        "mail.example.com", "mx.example.org.", "", ".", "a..b", "-a.example", "xn--", "xn--bcher-kva.example", "b\u00fccher.example", "*.example.com",
        "x.example com", "a.example\n", "localhost", "1.2.3.4", "[::1]", new string('a', 64) + ".example", string.Join('.', Enumerable.Repeat("abcdefghij", 30)),
    ];

    private static readonly int[] Ports = [25, 465, 587, 0, -1, 65535, 65536, int.MaxValue, int.MinValue];

    /// <summary>Builds the targets with seeds read from the repository at <paramref name="repoRoot"/>.</summary>
    public static IReadOnlyList<FuzzTarget> Create(string repoRoot)
    {
        var corpus = new FuzzCorpus(repoRoot);
        var merge = corpus.Configurations.Select(y => PostfixTls.LoadYaml(Encoding.UTF8.GetString(y)).Value).OfType<TlsConfiguration>().ToArray();
        var smallMainCf = "myhostname = mail.example.com\nsmtpd_tls_security_level = may\nsubmission_destination_concurrency_limit = 5\nrelay_transport = relay\nsmtpd_tls_chain_files = /etc/ssl/private/chain.pem\n"u8.ToArray();
        return
        [
            new FuzzTarget("yaml", corpus.Yaml, YamlTokens, Yaml),
            new FuzzTarget("maincf", corpus.MainCf, PostfixTokens, (input, ws) => MainCfTarget(input, ws, merge, corpus.PolicyMaps)),
            new FuzzTarget("mastercf", corpus.MasterCf, PostfixTokens, (input, ws) => MasterCfTarget(input, ws, smallMainCf, merge)),
            new FuzzTarget("pem", corpus.Pem, PemTokens, Pem),
            new FuzzTarget("fingerprint", corpus.Pem, PemTokens, Fingerprint),
            new FuzzTarget("tlsa", corpus.Pem, PemTokens, Tlsa),
        ];
    }

    /// <summary>A stable hash of the input (FNV-1a), to choose options from.</summary>
    public static uint Variant(byte[] input)
    {
        var h = 2166136261u;
        foreach (var b in input)
        {
            h = unchecked((h ^ b) * 16777619u);
        }

        return h;
    }

    private static void Yaml(byte[] input, Workspace ws)
    {
        var v = Variant(input);
        var loaded = (v & 1) == 0
            ? PostfixTls.LoadYamlFile(ws.Write("config.yaml", input))
            : PostfixTls.LoadYaml(Encoding.UTF8.GetString(input), "config.yaml");
        if (loaded.Value is not { } config)
        {
            return;
        }

        var validation = ValidationOptions.Default with { ShowOrigins = (v & 2) != 0 };
        _ = PostfixTls.Validate(config, validation);
        _ = PostfixTls.Expand(config, validation);
        _ = PostfixTls.ToYaml(config);
        var rendered = PostfixTls.Render(config);
        if (rendered.Value is { } files)
        {
            files.WriteTo(ws.Out);
        }
    }

    private static void MainCfTarget(byte[] input, Workspace ws, TlsConfiguration[] merge, IReadOnlyList<byte[]> policyMaps)
    {
        var v = Variant(input);
        var path = ws.Write("main.cf", input);
        if ((v & 1) != 0 && policyMaps.Count > 0)
        {
            // the policy map next to it, read by lint and import when smtp_tls_policy_maps names it
            ws.Write("tls_policy", policyMaps[(int)((v >> 1) % (uint)policyMaps.Count)]);
        }

        var lintOptions = LintOptions.Default with
        {
            CheckFiles = (v & 4) != 0 ? CertificateCheckOptions.Default with { ConfigDirectory = ws.In } : null,
        };
        _ = PostfixTls.LintMainCfFile(path, lintOptions);
        if ((v & 16) != 0)
        {
            _ = PostfixTls.LintMainCf(Encoding.UTF8.GetString(input), path, lintOptions with { CheckFiles = null });
        }

        var read = PostfixTls.ReadMainCfFile(path);
        if (read.Value is not { } document)
        {
            return;
        }

        if (PostfixTls.Import(document).Value is { } imported)
        {
            _ = PostfixTls.Validate(imported);
            _ = PostfixTls.ToYaml(imported);
        }

        var merged = PostfixTls.Merge(merge[(int)((v >> 4) % (uint)merge.Length)], document, MergeOptions.Default with { Migrate = (v & 8) != 0 });
        merged.Value?.Files.WriteTo(ws.Out);
    }

    private static void MasterCfTarget(byte[] input, Workspace ws, byte[] mainCf, TlsConfiguration[] merge)
    {
        var v = Variant(input);
        var path = ws.Write("main.cf", mainCf);
        ws.Write("master.cf", input);
        _ = PostfixTls.LintMainCfFile(path);
        if ((v & 3) == 0)
        {
            // merge edits master.cf for services (a quarter of the inputs: it renders Debian's stock master.cf each time)
            var document = PostfixTls.ReadMainCfFile(path).Value!;
            var merged = PostfixTls.Merge(merge[(int)((v >> 2) % (uint)merge.Length)], document, MergeOptions.Default with { MasterCfText = Encoding.UTF8.GetString(input) });
            merged.Value?.Files.WriteTo(ws.Out);
        }
    }

    private static void Pem(byte[] input, Workspace ws)
    {
        var v = Variant(input);
        var chain = ws.Write("chain.pem", input);
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }.Set(ServerTls.SecurityLevel, ServerSecurityLevel.May);
        config = (v % 3) switch
        {
            0 => config.Set(ServerTls.ChainFiles, [chain]),
            1 => config.Set(ServerTls.CertFile, chain).Set(ServerTls.KeyFile, chain),
            _ => config.Set(ServerTls.ChainFiles, [chain, chain]).Set(ClientTls.ChainFiles, [chain]),
        };
        _ = PostfixTls.Validate(config);
        _ = PostfixTls.CheckFiles(config, CertificateCheckOptions.Default with
        {
            ConfigDirectory = ws.In,
            HostName = (v & 8) != 0 ? "mail.example.com" : null,
            Clock = new FixedClock(new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero)),
        });
    }

    private static void Fingerprint(byte[] input, Workspace ws)
    {
        var v = Variant(input);
        var digest = (FingerprintDigest)(int)(v % 4);
        if (!Enum.IsDefined(digest))
        {
            digest = FingerprintDigest.Sha256;
        }

        _ = PostfixTls.FingerprintFile(ws.Write("cert.pem", input), digest, publicKey: (v & 4) != 0);
    }

    private static void Tlsa(byte[] input, Workspace ws)
    {
        var v = Variant(input);
        var options = new TlsaOptions(Hosts[(int)(v % (uint)Hosts.Length)])
        {
            Port = Ports[(int)((v >> 5) % (uint)Ports.Length)],
            Usage = ((v >> 9) % 6) switch
            {
                0 => TlsaUsage.DaneEe,
                1 => TlsaUsage.DaneTa,
                2 => TlsaUsage.PkixEe,
                3 => TlsaUsage.PkixTa,
                _ => null,
            },
            Selector = (v & (1 << 12)) != 0 ? TlsaSelector.FullCertificate : TlsaSelector.SubjectPublicKeyInfo,
            MatchingType = (v & (1 << 13)) != 0 ? TlsaMatchingType.Sha512 : TlsaMatchingType.Sha256,
        };
        var result = PostfixTls.TlsaFile(ws.Write("chain.pem", input), options);
        _ = result.Value?.Select(r => r.ToString()).ToList();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

using System.Globalization;
using System.Text;

namespace PostfixConfig.Benchmarks;

/// <summary>
/// Inputs by size: <c>small</c> is examples/newsletter.yaml, <c>typical</c> a config with a
/// 1 000-entry policy table, <c>large</c> one with 100 000 entries, in the shapes
/// benchmarks/generate_inputs.py writes (mostly <c>dest: level</c>, some mappings and lists).
/// </summary>
public static class BenchmarkInputs
{
    public const string Small = "small";
    public const string Typical = "typical";
    public const string Large = "large";

    private static readonly string[] Levels = ["may", "encrypt", "dane", "dane-only", "verify", "secure", "none"];
    private static readonly string[] Tlds = ["com", "net", "org", "de", "nl", "fr", "co.uk", "io"];

    public static string Yaml(string size) => size switch
    {
        Small => Newsletter,
        Typical => PolicyYaml(1_000),
        Large => PolicyYaml(100_000),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "small, typical or large"),
    };

    public static TlsConfiguration Config(string size) => PostfixTls.LoadYaml(Yaml(size)).GetValueOrThrow();

    public static string PolicyYaml(int entries)
    {
        var random = new Random(7);
        var sb = new StringBuilder();
        sb.Append("postfix_version: \"3.7\"\nmain:\n  myhostname: mail.example.com\n  smtp_tls_security_level: dane\n")
            .Append("  smtp_dns_support_level: dnssec\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n");
        for (var i = 0; i < entries; i++)
        {
            var domain = string.Create(CultureInfo.InvariantCulture, $"d{i:D7}-{random.Next(1_000_000):D6}.example.{Tlds[i % Tlds.Length]}");
            var kind = random.NextDouble();
            if (kind < 0.60)
            {
                sb.Append("  ").Append(domain).Append(": ").Append(Levels[random.Next(Levels.Length)]).Append('\n');
            }
            else if (kind < 0.75)
            {
                sb.Append("  .").Append(domain).Append(":\n    level: encrypt\n    protocols: \">=TLSv1.2\"\n");
            }
            else if (kind < 0.90)
            {
                sb.Append("  \"[mx.").Append(domain).Append("]:25\":\n    level: secure\n    match:\n      - .").Append(domain).Append("\n      - nexthop\n");
            }
            else
            {
                sb.Append("  ").Append(domain).Append(": { level: verify, ciphers: high, exclude: [aNULL, RC4] }\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// A main.cf by size: <c>small</c> about 40 settings (a distribution file with TLS), <c>typical</c>
    /// 500 and <c>large</c> 5 000 parameter lines, as benchmarks/generate_inputs.py writes them
    /// (per-service limits, comments, continued user parameters).
    /// </summary>
    public static string MainCf(string size) => size switch
    {
        Small => MainCfText(30),
        Typical => MainCfText(500),
        Large => MainCfText(5_000),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "small, typical or large"),
    };

    public static string MainCfText(int lines)
    {
        var random = new Random(11);
        var sb = new StringBuilder();
        sb.Append("compatibility_level = 3.6\nmyhostname = mail.example.com\n")
            .Append("smtpd_tls_security_level = may\nsmtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n")
            .Append("smtpd_tls_chain_files =\n    /etc/postfix/key.pem,\n    /etc/postfix/chain.pem\n");
        for (var i = 0; i < lines; i++)
        {
            var r = random.NextDouble();
            var n = i.ToString(CultureInfo.InvariantCulture);
            if (r < 0.1)
            {
                sb.Append("# section ").Append(n).Append(": settings for transport t").Append(n).Append('\n');
            }

            if (r < 0.5)
            {
                sb.Append('t').Append(n).Append("_destination_concurrency_limit = ").Append(random.Next(1, 50)).Append('\n');
            }
            else if (r < 0.8)
            {
                sb.Append('t').Append(n).Append("_destination_recipient_limit = ").Append(random.Next(1, 500)).Append('\n');
            }
            else
            {
                sb.Append("user_param_").Append(n).Append(" = value-").Append(n).Append("\n    continued-").Append(n).Append('\n');
            }
        }

        return sb.ToString();
    }

    private const string Newsletter = """
        postfix_version: "3.7"
        main:
          myhostname: mail.example.com
          smtpd_tls_chain_files:
            - /etc/letsencrypt/live/mail.example.com/privkey.pem
            - /etc/letsencrypt/live/mail.example.com/fullchain.pem
          smtpd_tls_security_level: may
          smtp_tls_security_level: dane
          smtp_dns_support_level: dnssec
          smtp_tls_session_cache_database: btree:${data_directory}/smtp_scache
          smtp_tls_policy_maps: hash:/etc/postfix/tls_policy
        tls_policy:
          gmail.com:
            level: encrypt
            protocols: TLSv1.2
          "[contoso-com.mail.protection.outlook.com]": encrypt

        """;
}

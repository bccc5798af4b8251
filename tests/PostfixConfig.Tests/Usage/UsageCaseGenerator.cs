using System.Globalization;
using System.Text;

namespace PostfixConfig.Tests.Usage;

/// <summary>One generated main.cf/master.cf pair.</summary>
internal sealed record UsageCase(int Index, string MainCf, string MasterCf);

/// <summary>
/// Seeded generator of main.cf/master.cf pairs that exercise every rule of postconf's unused and
/// undefined verdict: parameters of the release, user-defined parameters referred to (or not) in every
/// <c>$</c> form from main.cf and from master.cf <c>-o</c> values, chains, restriction classes (also
/// listed through a <c>$name</c>), legacy and read-only names, names of later or earlier releases,
/// misspellings and case changes, per-service names of delivery and spawn services (also with a
/// path or another program as the command), legacy database client tables (<c>mysql:name</c>,
/// <c>proxy:ldap:name</c>) with their settings, raw parameters, <c>$$</c>, and every <c>-o</c> form
/// postconf reads (<c>-oname=value</c>, <c>-vo</c>, <c>{ name = value }</c>, options after a non-option
/// argument or <c>--</c>, which it ignores). Case <c>i</c> of seed <c>s</c> is always the same text.
/// </summary>
internal static class UsageCaseGenerator
{
    /// <summary>The seed of the committed runs (README: "differential test of the unused verdict").</summary>
    public const int Seed = 21;

    private static readonly string[] Carriers =
    [
        "smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions", "smtpd_recipient_restrictions",
        "smtpd_data_restrictions", "header_checks", "body_checks", "virtual_alias_maps", "transport_maps", "sender_canonical_maps",
        "recipient_canonical_maps", "smtp_tls_policy_maps", "smtpd_sasl_path", "smtpd_relay_restrictions", "relay_recipient_maps",
    ];

    private static readonly string[] MapCarriers =
    [
        "virtual_alias_maps", "transport_maps", "sender_canonical_maps", "virtual_mailbox_domains", "relay_domains", "smtpd_sender_login_maps",
    ];

    private static readonly string[] Users = ["u1", "u2", "u3", "u4", "u5", "u6", "mua_client_restrictions", "mua_sender_restrictions", "greylisting", "check_ratelimit"];

    private static readonly string[] Classes = ["c1", "c2", "c3", "greylist", "mynetworks"];

    private static readonly string[] Legacy =
    [
        "virtual_maps", "fallback_relay", "authorized_verp_clients", "smtpd_client_connection_limit_exceptions", "postscreen_dnsbl_ttl",
        "postscreen_blacklist_action", "postscreen_dnsbl_whitelist_threshold", "postscreen_whitelist_interfaces", "lmtp_per_record_deadline",
        "smtp_per_record_deadline", "smtpd_per_record_deadline", "tlsproxy_client_level", "tlsproxy_client_policy",
    ];

    private static readonly string[] Successors = ["postscreen_dnsbl_max_ttl", "postscreen_denylist_action", "virtual_alias_maps", "smtp_fallback_relay"];

    private static readonly string[] OtherReleases =
    [
        "smtp_tls_enable_rpk", "smtpd_hide_client_session", "tls_required_enable", "requiretls_enable", "use_srv_lookup", "smtpd_tls_enable_rpk",
        "smtpd_tls_cipherlist", "smtp_tls_cipherlist", "tls_dane_digest_agility", "sender_based_routing", "lmtp_cache_connection",
        "smtp_destination_concurrency_limit", "relay_destination_recipient_limit", "lmtp_destination_recipient_limit",
    ];

    private static readonly string[] Plain =
    [
        "smtpd_tls_security_level", "smtp_tls_security_level", "smtpd_tls_loglevel", "smtpd_sasl_auth_enable", "smtputf8_enable",
        "message_size_limit", "smtpd_tls_cert_file", "smtpd_tls_key_file", "compatibility_level", "biff", "append_dot_mydomain",
        "local_destination_concurrency_limit", "default_destination_concurrency_limit", "stress", "smtpd_tls_mandatory_protocols",
    ];

    private static readonly string[] Misspelt = ["smtpd_tls_securty_level", "smtp_tls_security_lvel", "smtpd_recipent_restrictions", "SMTPD_TLS_CAFILE", "Smtpd_banner", "virtual_alias_map", "smtpd_tls_CAFile"];

    private static readonly string[] Undefined = ["nosuch1", "nosuch2", "undef_x"];

    private static readonly string[] Services = ["relay2", "smtp-amavis", "dovecot", "policy", "x", "127.0.0.1:10025", "submission", "smtps", "2525", "retry"];

    private static readonly string[] Commands = ["smtp", "pipe", "spawn", "lmtp", "local", "virtual", "error", "/usr/lib/postfix/sbin/smtp", "smtpd", "cleanup", "postscreen", "discard"];

    private static readonly string[] Suffixes =
    [
        "_destination_concurrency_limit", "_destination_recipient_limit", "_time_limit", "_recipient_limit", "_initial_destination_concurrency",
        "_destination_rate_delay", "_transport_rate_delay", "_delivery_slot_cost",
    ];

    private static readonly string[] DbPrefixes = ["db1", "db2", "db3", "lq"];

    private static readonly string[] DbSettings = ["hosts", "query", "user", "server_host", "search_base", "bogus", "dbpath", "domain", "result_format"];

    private static readonly string[] OptionBuiltIns =
    [
        "smtpd_client_restrictions", "smtpd_sender_restrictions", "smtpd_recipient_restrictions", "smtpd_tls_security_level", "syslog_name",
        "smtpd_sasl_auth_enable", "smtpd_tls_wrappermode", "content_filter", "smtpd_restriction_classes", "virtual_alias_maps",
        "smtp_tls_security_level", "milter_macro_daemon_name", "receive_override_options",
    ];

    private const string BaseMaster =
        "smtp      inet  n       -       y       -       -       smtpd\n"
        + "pickup    unix  n       -       y       60      1       pickup\n"
        + "cleanup   unix  n       -       y       -       0       cleanup\n"
        + "qmgr      unix  n       -       n       300     1       qmgr\n"
        + "rewrite   unix  -       -       y       -       -       trivial-rewrite\n"
        + "smtp      unix  -       -       y       -       -       smtp\n"
        + "local     unix  -       n       n       -       -       local\n";

    /// <summary>Case <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public static UsageCase Make(int index, int seed = Seed)
    {
        var r = new Random(unchecked((seed * 1_000_003) + index));
        var main = new StringBuilder();
        var lines = r.Next(3, 18);
        for (var i = 0; i < lines; i++)
        {
            main.Append(MainLine(r)).Append('\n');
        }

        if (r.Next(6) == 0 && main.Length > 0)
        {
            var all = main.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            main.Append(all[r.Next(all.Length)].Split('=')[0].Trim()).Append(" = ").Append(Value(r)).Append('\n'); // set again
        }

        var master = new StringBuilder(BaseMaster);
        var entries = r.Next(0, 6);
        for (var i = 0; i < entries; i++)
        {
            master.Append(MasterEntry(r));
        }

        return new UsageCase(index, main.ToString(), master.ToString());
    }

    private static string Pick(Random r, string[] items) => items[r.Next(items.Length)];

    /// <summary>A name some value may refer to.</summary>
    private static string Referable(Random r) => r.Next(10) switch
    {
        < 5 => Pick(r, Users),
        5 => Pick(r, Undefined),
        6 => Pick(r, Legacy),
        7 => Pick(r, Plain),
        8 => Pick(r, Classes),
        _ => "l" + r.Next(1, 4), // a name master.cf entries may set locally
    };

    /// <summary>One reference in one of postconf's forms (or a literal).</summary>
    private static string Token(Random r)
    {
        var n = Referable(r);
        return r.Next(14) switch
        {
            0 => "$" + n,
            1 => "${" + n + "}",
            2 => "$(" + n + ")",
            3 => "${ " + n + " }",
            4 => "${" + n + "?" + Literal(r) + "}",
            5 => "${" + n + ":$" + Referable(r) + "}",
            6 => "${" + n + "?{$" + Referable(r) + "}:{" + Literal(r) + "}}",
            7 => "${{$" + n + "} == {1} ? {" + Literal(r) + "} : {$" + Referable(r) + "}}",
            8 => "$$" + n,
            9 => "${" + n + "?{" + Literal(r) + "}:{$" + Referable(r) + "}}",
            _ => Literal(r),
        };
    }

    private static string Literal(Random r) => Pick(r, ["permit", "reject", "yes", "no", "1", "hash:/etc/postfix/x", "permit_mynetworks", "check_policy_service inet:127.0.0.1:10023", "x"]);

    private static string Value(Random r)
    {
        var n = r.Next(1, 4);
        return string.Join(r.Next(2) == 0 ? " " : ", ", Enumerable.Range(0, n).Select(_ => Token(r)));
    }

    /// <summary>A value without blanks, for <c>-o name=value</c>.</summary>
    private static string CompactValue(Random r) => r.Next(6) switch
    {
        0 => "$" + Referable(r),
        1 => "${" + Referable(r) + "}",
        2 => "${" + Referable(r) + "?{$" + Referable(r) + "}:{" + Pick(r, ["permit", "yes"]) + "}}",
        3 => Pick(r, ["permit", "encrypt", "yes", "postfix/submission", "1"]) + ",$" + Referable(r),
        _ => Pick(r, ["permit", "encrypt", "yes", "no", "may", "postfix/submission"]),
    };

    private static string MainLine(Random r)
    {
        switch (r.Next(20))
        {
            case 0:
            case 1:
                return $"{Pick(r, Carriers)} = {Value(r)}";
            case 2:
            case 3:
                return $"{Pick(r, Users)} = {Value(r)}";
            case 4:
                return r.Next(2) == 0
                    ? $"smtpd_restriction_classes = {string.Join(", ", Classes.Where(_ => r.Next(2) == 0).DefaultIfEmpty("c1"))}"
                    : "smtpd_restriction_classes = $classes\nclasses = " + string.Join(" ", Classes.Where(_ => r.Next(2) == 0).DefaultIfEmpty("c2"));
            case 5:
                return $"{Pick(r, Classes)} = {Pick(r, ["permit", "check_policy_service inet:127.0.0.1:10023", "reject_unauth_destination"])}";
            case 6:
                return $"{Pick(r, Legacy)} = {Pick(r, ["5m", "drop", "0", "$mynetworks", "hash:/etc/postfix/virtual"])}";
            case 7:
                return $"{Pick(r, Successors)} = {Pick(r, ["2h", "enforce", "hash:/etc/postfix/v"])}";
            case 8:
                return $"{Pick(r, ["process_name", "service_name", "process_id"])} = x";
            case 9:
                return $"{Pick(r, OtherReleases)} = yes";
            case 10:
                return $"{Pick(r, Misspelt)} = may";
            case 11:
                return $"{Pick(r, Services)}{Pick(r, Suffixes)} = 2";
            case 12:
                var prefix = Pick(r, DbPrefixes);
                var table = Pick(r, ["mysql:", "proxy:mysql:", "pgsql:", "proxy:ldap:", "ldap:", "sqlite:", "memcache:", "hash:", "proxy:proxy:mysql:"]);
                return $"{Pick(r, MapCarriers)} = {Pick(r, ["", "hash:/etc/postfix/a, "])}{table}{prefix}";
            case 13:
                return $"{Pick(r, DbPrefixes)}_{Pick(r, DbSettings)} = 127.0.0.1";
            case 14:
                return $"{Pick(r, ["mailbox_command", "smtpd_reject_footer", "luser_relay"])} = /bin/true ${Pick(r, Users)}";
            case 15:
                return $"{Pick(r, Plain)} = {Pick(r, ["may", "yes", "10240000", "$" + Pick(r, Users), "3.6"])}";
            case 16:
                return $"{Pick(r, Users)} = ${Pick(r, Users)}\n    {Literal(r)}";
            case 17:
                return $"{Pick(r, Users)} = $${Pick(r, Users)}";
            case 18:
                return $"smtpd_banner = $myhostname ESMTP ${Pick(r, Users)}";
            default:
                return $"{Pick(r, Carriers)} = check_client_access {Pick(r, ["mysql", "pgsql", "pcre"])}:{{{Pick(r, DbPrefixes)}}}, ${Referable(r)}";
        }
    }

    private static string MasterEntry(Random r)
    {
        var service = Pick(r, Services);
        var command = Pick(r, Commands);
        var type = command is "smtpd" or "postscreen" ? "inet" : "unix";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{service,-10} {type,-5} {Pick(r, ["n", "-", "y"]),-7} {"-",-7} {Pick(r, ["n", "-"]),-7} {"-",-7} {Pick(r, ["-", "2"]),-7} {command}");
        if (command == "pipe" && r.Next(2) == 0)
        {
            sb.Append("\n  flags=Rq user=nobody argv=/bin/true ${recipient}");
        }

        var options = r.Next(0, 6);
        for (var i = 0; i < options; i++)
        {
            var name = r.Next(9) switch
            {
                < 3 => Pick(r, OptionBuiltIns),
                3 => Pick(r, Users),
                4 => "l" + r.Next(1, 4),
                5 => Pick(r, Services) + Pick(r, Suffixes),
                6 => $"{Pick(r, DbPrefixes)}_{Pick(r, DbSettings)}",
                7 => Pick(r, ["service_name", "bogus_option", "SMTPD_TLS_CAFILE", Pick(r, Legacy), Pick(r, OtherReleases), Pick(r, Classes)]),
                _ => Pick(r, ["virtual_alias_maps", "transport_maps"]),
            };
            var value = name is "virtual_alias_maps" or "transport_maps" && r.Next(2) == 0
                ? $"{Pick(r, ["mysql:", "proxy:ldap:", "pgsql:"])}{Pick(r, DbPrefixes)}"
                : name == "smtpd_restriction_classes" ? Pick(r, Classes) : CompactValue(r);
            sb.Append(r.Next(12) switch
            {
                0 => $"\n  -o{name}={value}",
                1 => $" -vo {name}={value}",
                2 => $"\n  -o {{ {name} = {value} {Pick(r, ["", "permit"])} }}",
                3 => $"\n  -o {{{name}={value}}}",
                4 => $"\n  # -o {name}=ignored\n  -o {name}={value}",
                5 => $" -v -o {name}={value}",
                _ => $"\n  -o {name}={value}",
            });
        }

        if (r.Next(8) == 0)
        {
            sb.Append(Pick(r, [" -- -o u1=after", " argv=/bin/true -o u2=after", " -n name -o u3=after"]));
        }

        return sb.Append('\n').ToString();
    }
}

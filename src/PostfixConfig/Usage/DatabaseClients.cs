namespace PostfixConfig.Usage;

/// <summary>
/// The legacy database client configuration of postconf_dbms.c: a table written <c>TYPE:NAME</c> (not
/// a file name) for a client type makes the parameters <c>NAME_SUFFIX</c> known, one for each setting
/// of that client (<c>mysql:users</c> makes <c>users_hosts</c>, <c>users_query</c>, ... used).
/// </summary>
/// <remarks>
/// The suffix lists are what postconf's build generates from the dictionary sources
/// (<c>extract_cfg.sh -d [-s] ../global/dict_TYPE.c</c>), compared across the releases 3.4.29, 3.6.20,
/// 3.8.20, 3.10.13, 3.11.6 and 3.12-20260821.
/// </remarks>
internal static class DatabaseClients
{
    private static readonly PostfixVersion V38 = new(3, 8);
    private static readonly PostfixVersion V39 = new(3, 9);
    private static readonly PostfixVersion V311 = new(3, 11);

    private static readonly string[] Ldap =
    [
        "bind", "bind_dn", "bind_pw", "cache", "cache_expiry", "cache_size", "chase_referrals", "debuglevel", "dereference", "domain",
        "expansion_limit", "leaf_result_attribute", "query_filter", "recursion_limit", "result_attribute", "result_filter", "result_format",
        "sasl_authz_id", "sasl_mechs", "sasl_minssf", "sasl_realm", "scope", "search_base", "server_host", "server_port", "size_limit",
        "special_result_attribute", "start_tls", "terminal_result_attribute", "timeout", "tls_ca_cert_dir", "tls_ca_cert_file", "tls_cert",
        "tls_cipher_suite", "tls_key", "tls_random_file", "tls_require_cert", "version",
    ];

    private static readonly string[] Mysql =
    [
        "additional_conditions", "dbname", "domain", "expansion_limit", "hosts", "option_file", "option_group", "password", "query",
        "require_result_set", "result_format", "select_field", "table", "tls_CAfile", "tls_CApath", "tls_cert_file", "tls_ciphers",
        "tls_key_file", "tls_verify_cert", "user", "where_field",
    ];

    private static readonly string[] Pgsql =
    [
        "additional_conditions", "dbname", "domain", "expansion_limit", "hosts", "password", "query", "result_format", "select_field",
        "select_function", "table", "user", "where_field",
    ];

    private static readonly string[] Sqlite =
    [
        "additional_conditions", "dbpath", "domain", "expansion_limit", "query", "result_format", "select_field", "table", "where_field",
    ];

    private static readonly string[] Memcache =
    [
        "backup", "data_size_limit", "domain", "flags", "key_format", "line_size_limit", "max_try", "memcache", "retry_pause", "timeout", "ttl",
    ];

    private static readonly string[] Mongodb =
    [
        "collection", "dbname", "domain", "expansion_limit", "projection", "query_filter", "result_attribute", "result_format", "uri",
    ];

    /// <summary>
    /// The settings of client type <paramref name="type"/> in <paramref name="version"/>, or
    /// <see langword="null"/> when it is not a client type there.
    /// </summary>
    public static IEnumerable<string>? Suffixes(string type, PostfixVersion version) => type switch
    {
        "ldap" => Ldap,
        "mysql" => version.Line >= V39 ? Mysql.Concat(["charset", "idle_interval", "retry_interval"]) : Mysql,
        "pgsql" => Pgsql.Concat(version.Line >= V38 ? ["encoding"] : []).Concat(version.Line >= V39 ? ["idle_interval", "retry_interval"] : []),
        "sqlite" => Sqlite,
        "memcache" => version.Line >= V311 ? Memcache.Append("key_digest") : Memcache,
        "mongodb" when version.Line >= V39 => Mongodb,
        _ => null,
    };

    /// <summary>Whether a <c>TYPE:{...}</c> inline table holds patterns (3.8 and later do not look for tables inside them).</summary>
    public static bool IsPatternType(string type) => type is "regexp" or "pcre";

    /// <summary>Whether <paramref name="type"/> is an adapter postconf skips to the table behind it (<c>proxy:</c>; 3.12 also <c>debug:</c>).</summary>
    public static bool IsAdapter(string type, PostfixVersion version) =>
        type == "proxy" || (type == "debug" && version.Line >= new PostfixVersion(3, 12));
}

namespace PostfixConfig.Usage;

/// <summary>
/// postconf's table of legacy parameter names (<c>pcf_legacy_param_table</c> in postconf_builtin.c):
/// old names that postconf always knows, so that it never calls them unused, because the default of
/// their successor still reads them (<c>postscreen_dnsbl_max_ttl</c>'s default is
/// <c>${postscreen_dnsbl_ttl?{$postscreen_dnsbl_ttl}:{1}}h</c>). The value of a legacy name takes
/// effect only while its successor is left at its default.
/// </summary>
/// <remarks>
/// 3.4 lists the first five names, 3.6 the first eight, 3.7 and later all thirteen; each name missing
/// from an older table is still a built-in parameter of that older release, so all thirteen are
/// known in every release from 3.4 on. From 3.11, postconf itself warns that the legacy names "will
/// be removed".
/// </remarks>
internal static class LegacyParameters
{
    /// <summary>A legacy name, the parameter whose default reads it, and the release that renamed it.</summary>
    /// <param name="Name">The legacy name.</param>
    /// <param name="Successor">The parameter whose default reads it.</param>
    /// <param name="RenamedIn">The release line that introduced <paramref name="Successor"/>.</param>
    /// <param name="TableSince">The first release line whose postconf lists it in its legacy table.</param>
    internal sealed record Entry(string Name, string Successor, PostfixVersion RenamedIn, PostfixVersion TableSince);

    private static readonly PostfixVersion V34 = new(3, 4);
    private static readonly PostfixVersion V36 = new(3, 6);
    private static readonly PostfixVersion V37 = new(3, 7);

    /// <summary>The table, in postconf's order.</summary>
    public static readonly IReadOnlyList<Entry> All =
    [
        new("virtual_maps", "virtual_alias_maps", new PostfixVersion(2, 0), V34),
        new("fallback_relay", "smtp_fallback_relay", new PostfixVersion(2, 3), V34),
        new("authorized_verp_clients", "smtpd_authorized_verp_clients", new PostfixVersion(2, 1), V34),
        new("smtpd_client_connection_limit_exceptions", "smtpd_client_event_limit_exceptions", new PostfixVersion(2, 9), V34),
        new("postscreen_dnsbl_ttl", "postscreen_dnsbl_max_ttl", new PostfixVersion(3, 1), V34),
        new("postscreen_blacklist_action", "postscreen_denylist_action", V36, V36),
        new("postscreen_dnsbl_whitelist_threshold", "postscreen_dnsbl_allowlist_threshold", V36, V36),
        new("postscreen_whitelist_interfaces", "postscreen_allowlist_interfaces", V36, V36),
        new("lmtp_per_record_deadline", "lmtp_per_request_deadline", V37, V37),
        new("smtp_per_record_deadline", "smtp_per_request_deadline", V37, V37),
        new("smtpd_per_record_deadline", "smtpd_per_request_deadline", V37, V37),
        new("tlsproxy_client_level", "tlsproxy_client_security_level", V37, V37),
        new("tlsproxy_client_policy", "tlsproxy_client_policy_maps", V37, V37),
    ];

    private static readonly Dictionary<string, Entry> ByName = All.ToDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>The entry for <paramref name="name"/> when the postconf of <paramref name="version"/> lists it as legacy.</summary>
    public static Entry? Find(string name, PostfixVersion version) =>
        ByName.TryGetValue(name, out var e) && (version.Line >= e.TableSince || (version.Line < V34 && e.TableSince == V34)) ? e : null;
}

namespace PostfixConfig.Catalog;

/// <summary>
/// Per-service parameters: <c>SERVICE_destination_concurrency_limit</c>, <c>SERVICE_time_limit</c>
/// and the like, which Postfix derives from the services that master.cf defines (postconf lists
/// them for the services it finds there, with the global parameter as their default). A name of
/// this form is valid for any service name, but it only takes effect when master.cf has that
/// service with a suitable program. The table below is postconf's: each suffix with the global
/// parameter it defaults to, and the programs that read it.
/// </summary>
internal static class ServiceParameters
{
    /// <summary>The master.cf programs of each kind (postconf_service.c).</summary>
    private static readonly string[] DeliveryAgents = ["smtp", "lmtp", "local", "virtual", "error", "pipe"];

    /// <summary>Suffix, the global parameter it defaults to, the master.cf programs that read it.</summary>
    private static readonly (string Suffix, string Default, string[] Programs)[] Suffixes =
    [
        ("_time_limit", "command_time_limit", ["pipe", "spawn"]),
        ("_recipient_limit", "default_recipient_limit", DeliveryAgents),
        ("_extra_recipient_limit", "default_extra_recipient_limit", DeliveryAgents),
        ("_recipient_refill_limit", "default_recipient_refill_limit", DeliveryAgents),
        ("_recipient_refill_delay", "default_recipient_refill_delay", DeliveryAgents),
        ("_delivery_slot_cost", "default_delivery_slot_cost", DeliveryAgents),
        ("_delivery_slot_loan", "default_delivery_slot_loan", DeliveryAgents),
        ("_delivery_slot_discount", "default_delivery_slot_discount", DeliveryAgents),
        ("_minimum_delivery_slots", "default_minimum_delivery_slots", DeliveryAgents),
        ("_initial_destination_concurrency", "initial_destination_concurrency", DeliveryAgents),
        ("_destination_concurrency_limit", "default_destination_concurrency_limit", DeliveryAgents),
        ("_destination_recipient_limit", "default_destination_recipient_limit", DeliveryAgents),
        ("_destination_concurrency_positive_feedback", "default_destination_concurrency_positive_feedback", DeliveryAgents),
        ("_destination_concurrency_negative_feedback", "default_destination_concurrency_negative_feedback", DeliveryAgents),
        ("_destination_concurrency_failed_cohort_limit", "default_destination_concurrency_failed_cohort_limit", DeliveryAgents),
        ("_destination_rate_delay", "default_destination_rate_delay", DeliveryAgents),
        ("_transport_rate_delay", "default_transport_rate_delay", DeliveryAgents),
    ];

    /// <summary>
    /// The delivery and spawn services of Debian's stock master.cf. The catalog lists their per-service
    /// names (postconf -d on Debian derives them from that file), but they exist only where master.cf
    /// defines the service.
    /// </summary>
    private static readonly HashSet<string> StockServices = new(StringComparer.Ordinal)
    {
        "smtp", "relay", "local", "virtual", "lmtp", "error", "retry", "uucp", "ifmail", "bsmtp", "scalemail-backend", "mailman", "maildrop",
    };

    /// <summary>Names of that shape that are built in (postconf -d with an empty master.cf lists them): local(8)'s own limits.</summary>
    private static readonly HashSet<string> BuiltIn = new(StringComparer.Ordinal)
    {
        "local_destination_concurrency_limit", "local_destination_recipient_limit",
    };

    /// <summary>Whether a name the catalog knows is in fact a per-service name of a stock master.cf service (<c>relay_destination_concurrency_limit</c>).</summary>
    public static bool IsFromStockMasterCf(string name)
    {
        if (BuiltIn.Contains(name))
        {
            return false;
        }

        foreach (var s in Suffixes)
        {
            if (name.Length > s.Suffix.Length && name.EndsWith(s.Suffix, StringComparison.Ordinal) && StockServices.Contains(name[..^s.Suffix.Length]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The suffixes of per-service names whose global default <paramref name="version"/> knows (longest first).</summary>
    public static IEnumerable<string> SuffixesIn(ParameterCatalog catalog, PostfixVersion version) =>
        Suffixes.Where(s => catalog.IsKnownName(s.Default, version)).Select(s => s.Suffix).OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal);

    /// <summary>
    /// The names postconf registers for a master.cf entry (postconf_service.c): its service field with each
    /// suffix that its command reads, when the command field is exactly <c>local</c>, <c>error</c>,
    /// <c>virtual</c>, <c>smtp</c>, <c>lmtp</c>, <c>pipe</c> or <c>spawn</c> (not a path, not a basename).
    /// </summary>
    public static IEnumerable<string> DefinedBy(string service, string command, ParameterCatalog catalog, PostfixVersion version)
    {
        if (command != "spawn" && !DeliveryAgents.Contains(command, StringComparer.Ordinal))
        {
            yield break;
        }

        foreach (var s in Suffixes)
        {
            if (s.Programs.Contains(command, StringComparer.Ordinal) && catalog.IsKnownName(s.Default, version))
            {
                yield return service + s.Suffix;
            }
        }
    }

    /// <summary>A per-service parameter name split into its parts.</summary>
    /// <param name="Service">The master.cf service name (<c>relay</c>, <c>dovecot</c>).</param>
    /// <param name="Default">The global parameter it defaults to.</param>
    /// <param name="ProgramNames">The master.cf programs that read it, as master.cf's command field has them.</param>
    internal sealed record Match(string Service, string Default, IReadOnlyList<string> ProgramNames)
    {
        /// <summary>The programs for messages: <c>pipe or spawn</c>.</summary>
        public string Programs => string.Join(", ", ProgramNames.Take(ProgramNames.Count - 1)) + " or " + ProgramNames[^1];
    }

    /// <summary>
    /// The service, default and programs of <paramref name="name"/> if it has the form of a
    /// per-service parameter that <paramref name="version"/> knows (its global default exists
    /// there), else <see langword="null"/>. The longest matching suffix wins
    /// (<c>x_destination_recipient_limit</c> is not <c>x_destination</c> + <c>_recipient_limit</c>).
    /// </summary>
    public static Match? Find(ParameterCatalog catalog, string name, PostfixVersion version)
    {
        (string Suffix, string Default, string[] Programs)? best = null;
        foreach (var s in Suffixes)
        {
            if (name.Length > s.Suffix.Length && name.EndsWith(s.Suffix, StringComparison.Ordinal)
                && (best is null || s.Suffix.Length > best.Value.Suffix.Length))
            {
                best = s;
            }
        }

        if (best is not { } b || !catalog.IsKnownName(b.Default, version))
        {
            return null;
        }

        return new Match(name[..^b.Suffix.Length], b.Default, b.Programs);
    }
}

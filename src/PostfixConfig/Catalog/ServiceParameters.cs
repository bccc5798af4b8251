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
    private const string DeliveryAgents = "smtp, lmtp, local, virtual, error or pipe";

    /// <summary>Suffix, the global parameter it defaults to, the master.cf programs that read it.</summary>
    private static readonly (string Suffix, string Default, string Programs)[] Suffixes =
    [
        ("_time_limit", "command_time_limit", "pipe or spawn"),
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

    /// <summary>A per-service parameter name split into its parts.</summary>
    /// <param name="Service">The master.cf service name (<c>relay</c>, <c>dovecot</c>).</param>
    /// <param name="Default">The global parameter it defaults to.</param>
    /// <param name="Programs">The master.cf programs that read it, for messages.</param>
    internal sealed record Match(string Service, string Default, string Programs);

    /// <summary>
    /// The service, default and programs of <paramref name="name"/> if it has the form of a
    /// per-service parameter that <paramref name="version"/> knows (its global default exists
    /// there), else <see langword="null"/>. The longest matching suffix wins
    /// (<c>x_destination_recipient_limit</c> is not <c>x_destination</c> + <c>_recipient_limit</c>).
    /// </summary>
    public static Match? Find(ParameterCatalog catalog, string name, PostfixVersion version)
    {
        (string Suffix, string Default, string Programs)? best = null;
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

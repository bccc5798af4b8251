using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// Per-service parameter names, as postconf registers them for a master.cf entry (postconf_service.c:
/// the service name with each suffix its program reads, defaulting to the global parameter), and the
/// ones Debian's stock master.cf brings (found by mutation testing: tests/mutation/survivors/Catalog.txt).
/// </summary>
public class ServiceParametersTests
{
    private static readonly PostfixVersion V37 = PostfixVersion.Parse("3.7");

    // The transport_* family of postconf(5), in the order postconf_service.c registers them.
    private static readonly string[] DeliveryAgentSuffixes =
    [
        "_recipient_limit", "_extra_recipient_limit", "_recipient_refill_limit", "_recipient_refill_delay",
        "_delivery_slot_cost", "_delivery_slot_loan", "_delivery_slot_discount", "_minimum_delivery_slots",
        "_initial_destination_concurrency", "_destination_concurrency_limit", "_destination_recipient_limit",
        "_destination_concurrency_positive_feedback", "_destination_concurrency_negative_feedback",
        "_destination_concurrency_failed_cohort_limit", "_destination_rate_delay", "_transport_rate_delay",
    ];

    [Theory]
    [InlineData("smtp")]
    [InlineData("lmtp")]
    [InlineData("local")]
    [InlineData("virtual")]
    [InlineData("error")]
    public void DefinedBy_DeliveryAgent_EveryTransportName(string command) =>
        Assert.Equal(DeliveryAgentSuffixes.Select(s => "relay" + s), ServiceParameters.DefinedBy("relay", command, ParameterCatalog.Default, V37));

    [Fact]
    public void DefinedBy_PipeAndSpawn_HaveTheTimeLimit()
    {
        Assert.Equal(["dovecot_time_limit", .. DeliveryAgentSuffixes.Select(s => "dovecot" + s)], ServiceParameters.DefinedBy("dovecot", "pipe", ParameterCatalog.Default, V37));
        Assert.Equal(["policy_time_limit"], ServiceParameters.DefinedBy("policy", "spawn", ParameterCatalog.Default, V37));
    }

    [Theory]
    [InlineData("smtpd")]
    [InlineData("/usr/lib/postfix/sbin/smtp")]
    [InlineData("SMTP")]
    [InlineData("")]
    public void DefinedBy_OtherCommands_None(string command) =>
        Assert.Empty(ServiceParameters.DefinedBy("x", command, ParameterCatalog.Default, V37));

    [Fact]
    public void DefinedBy_OnlyNamesTheReleaseKnows()
    {
        // default_transport_rate_delay came with 3.1, the failed-cohort limit and the destination rate delay with 2.5.
        var names = ServiceParameters.DefinedBy("relay", "smtp", ParameterCatalog.Default, PostfixVersion.Parse("3.0")).ToList();
        Assert.DoesNotContain("relay_transport_rate_delay", names);
        Assert.Contains("relay_destination_rate_delay", names);
        Assert.Equal(DeliveryAgentSuffixes.Length - 1, names.Count);
    }

    [Theory]
    [InlineData("smtp")]
    [InlineData("relay")]
    [InlineData("local")]
    [InlineData("virtual")]
    [InlineData("lmtp")]
    [InlineData("error")]
    [InlineData("retry")]
    [InlineData("uucp")]
    [InlineData("ifmail")]
    [InlineData("bsmtp")]
    [InlineData("scalemail-backend")]
    [InlineData("mailman")]
    [InlineData("maildrop")]
    public void IsFromStockMasterCf_EachStockService(string service)
    {
        Assert.True(ServiceParameters.IsFromStockMasterCf(service + "_destination_rate_delay"));
        Assert.True(ServiceParameters.IsFromStockMasterCf(service + "_time_limit"));
    }

    [Theory]
    [InlineData("dovecot_destination_concurrency_limit")]
    [InlineData("local_destination_concurrency_limit")]
    [InlineData("local_destination_recipient_limit")]
    [InlineData("_destination_concurrency_limit")]
    [InlineData("relay_something_else")]
    [InlineData("smtp_time_limat")] // a stock service and as many characters as a suffix, but not the suffix
    public void IsFromStockMasterCf_OtherNames_False(string name) => Assert.False(ServiceParameters.IsFromStockMasterCf(name));

    [Theory]
    [InlineData("relay_destination_recipient_limit", "relay", "default_destination_recipient_limit", "smtp, lmtp, local, virtual, error or pipe")]
    [InlineData("relay_recipient_limit", "relay", "default_recipient_limit", "smtp, lmtp, local, virtual, error or pipe")]
    [InlineData("dovecot_time_limit", "dovecot", "command_time_limit", "pipe or spawn")]
    public void Find_LongestSuffixWins(string name, string service, string @default, string programs)
    {
        var match = ServiceParameters.Find(ParameterCatalog.Default, name, V37);
        Assert.Equal((service, @default, programs), (match!.Service, match.Default, match.Programs));
    }

    [Theory]
    [InlineData("_time_limit", "3.7")]
    [InlineData("relay_unknown_limit", "3.7")]
    [InlineData("relay_transport_rate_delay", "3.0")]
    public void Find_NotAPerServiceName_None(string name, string version) =>
        Assert.Null(ServiceParameters.Find(ParameterCatalog.Default, name, PostfixVersion.Parse(version)));

    [Fact]
    public void SuffixesIn_LongestFirst()
    {
        var suffixes = ServiceParameters.SuffixesIn(ParameterCatalog.Default, V37).ToList();
        Assert.Equal(17, suffixes.Count);
        Assert.Equal("_destination_concurrency_failed_cohort_limit", suffixes[0]);
        Assert.Equal(["_destination_concurrency_negative_feedback", "_destination_concurrency_positive_feedback"], suffixes.Skip(1).Take(2));
        Assert.Equal("_time_limit", suffixes[^1]);
        Assert.DoesNotContain("_transport_rate_delay", ServiceParameters.SuffixesIn(ParameterCatalog.Default, PostfixVersion.Parse("3.0")));
    }
}

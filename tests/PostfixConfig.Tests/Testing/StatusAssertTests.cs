using PostfixConfig.Status;
using PostfixConfig.Testing;

namespace PostfixConfig.Tests.Testing;

/// <summary>The testing package's TLS status questions: the status model read back from what the configuration renders.</summary>
public class StatusAssertTests
{
    private static readonly PostfixVersion V37 = PostfixVersion.Parse("3.7");

    private static TlsConfiguration Host(string inbound, string outbound) => new TlsConfiguration
    {
        PostfixVersion = V37,
        Services = ServiceTable.Empty.Add(new ServiceSettings("submission").Set("smtpd_tls_security_level", "encrypt")),
    }
        .Set("myhostname", "mail.example.com")
        .Set("smtpd_tls_chain_files", ["/etc/letsencrypt/live/mail.example.com/privkey.pem", "/etc/letsencrypt/live/mail.example.com/fullchain.pem"])
        .Set("smtpd_tls_security_level", inbound)
        .Set("smtp_tls_security_level", outbound);

    [Fact]
    public void TlsStatus_OfARenderedHost_GivesEveryListenerAndTheClient()
    {
        var status = Host("may", "encrypt").TlsStatus();

        Assert.Equal(InboundTls.Offered, status.Inbound.Single(l => l.Service == "smtp").Tls);
        Assert.Equal(25, status.Inbound.Single(l => l.Service == "smtp").Port);
        Assert.Equal(InboundTls.Required, status.Inbound.Single(l => l.Service == "submission").Tls);
        Assert.Equal("encrypt", status.Outbound.Level.Value);
    }

    [Fact]
    public void ShouldHaveInboundTls_Matching_ReturnsTheListener()
    {
        var listener = Host("may", "encrypt").ShouldHaveInboundTls("submission", InboundTls.Required);
        Assert.Equal(587, listener.Port);
    }

    [Fact]
    public void ShouldHaveInboundTls_Differing_NamesHostServiceLevelAndWhy()
    {
        var mx1 = Host("none", "encrypt");
        var e = Assert.Throws<PostfixConfigAssertionException>(() => mx1.ShouldHaveInboundTls("smtp", InboundTls.Offered));
        Assert.StartsWith("mx1: smtp (port 25): TLS is off, expected offered: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("smtpd_tls_security_level = none", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShouldHaveInboundTls_UnknownService_ListsTheListeners()
    {
        var e = Assert.Throws<PostfixConfigAssertionException>(() => Host("may", "may").ShouldHaveInboundTls("smtps", InboundTls.Implicit, label: "mx1"));
        Assert.Contains("mx1: master.cf has no listener 'smtps' (it has smtp, submission", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("encrypt", true)]
    [InlineData("secure", true)]
    [InlineData("may", false)]
    [InlineData("none", false)]
    public void ShouldNeverSendWithoutTls_FollowsTheClientLevel(string level, bool passes)
    {
        var host = Host("may", level);
        if (passes)
        {
            Assert.Equal(level, host.ShouldNeverSendWithoutTls(label: "relay").Level.Value);
        }
        else
        {
            var e = Assert.Throws<PostfixConfigAssertionException>(() => host.ShouldNeverSendWithoutTls(label: "relay"));
            Assert.StartsWith($"relay: the SMTP client may send without TLS: smtp_tls_security_level is {level} ", e.Message, StringComparison.Ordinal);
        }
    }
}

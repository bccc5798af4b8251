namespace PostfixConfig;

/// <summary>Options for <see cref="PostfixTls.Status(string, StatusOptions?)"/>. This type is immutable.</summary>
public sealed record StatusOptions
{
    /// <summary>The defaults: newest stable release, files not read, <c>/etc/services</c>.</summary>
    public static StatusOptions Default { get; } = new();

    /// <summary>The Postfix release the files are read for; <see langword="null"/> means the newest stable release the catalog knows.</summary>
    public PostfixVersion? PostfixVersion { get; init; }

    /// <summary>Whether to read the certificate files, for their issuer and expiry and to tell a self-signed one.</summary>
    public bool CheckFiles { get; init; }

    /// <summary>The services file that turns master.cf service names (<c>submission</c>) into ports.</summary>
    public string ServicesFile { get; init; } = "/etc/services";

    /// <summary>
    /// When set, also run Postfix's <c>dnssec_probe</c> (the parameter, default <c>ns:.</c>) against this
    /// resolver and say whether outbound <c>dane</c> works or silently falls back to <c>may</c>
    /// (<see cref="Status.OutboundStatus.DnssecValidation"/>); <see langword="null"/> (the default) asks no DNS.
    /// </summary>
    public Dns.DnsResolverOptions? CheckDns { get; init; }
}

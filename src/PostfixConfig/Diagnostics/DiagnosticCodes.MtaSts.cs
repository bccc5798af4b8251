namespace PostfixConfig.Diagnostics;

/// <content>Codes about MTA-STS and TLSRPT: the resolver Postfix asks, and what a domain publishes (<c>PFX403x</c>, <c>PFX404x</c>).</content>
public static partial class DiagnosticCodes
{
    /// <summary><c>mta_sts</c> is malformed: an unknown resolver, or an address that is not <c>inet:HOST:PORT</c> or <c>unix:PATH</c> (a port missing, ...).</summary>
    public const string InvalidMtaStsResolver = "PFX4030";

    /// <summary>An MTA-STS resolver without <c>smtp_tls_CAfile</c> or <c>smtp_tls_CApath</c>: no certificate verifies, so every enforce policy defers mail.</summary>
    public const string MtaStsWithoutTrustAnchors = "PFX4031";

    /// <summary>The resolver answers with policy attributes the target release rejects (<c>servername</c> before 3.4, <c>policy_type</c>/<c>policy_domain</c> before 3.10): mail for every MTA-STS domain is deferred.</summary>
    public const string MtaStsAttributeNotInRelease = "PFX4032";

    /// <summary>The resolver's socketmap comes before the site's own table in <c>smtp_tls_policy_maps</c>, so its answers hide explicit (and DANE) entries.</summary>
    public const string MtaStsLookupOrder = "PFX4033";

    /// <summary>About the MTA-STS resolver set-up: the map name chosen for the release, DANE next to MTA-STS, what TLSRPT needs (information).</summary>
    public const string MtaStsNote = "PFX4034";

    /// <summary><c>publish</c> is malformed: the domain, the mode, an MX pattern (or none for enforce or testing), a TLSRPT URI that is neither <c>mailto:</c> nor <c>https:</c>.</summary>
    public const string InvalidPublishedPolicy = "PFX4040";

    /// <summary>An MX pattern of the published policy covers no name of the server certificate (<c>--check-files</c>), so senders that enforce the policy refuse the host.</summary>
    public const string PublishedMxNotInCertificate = "PFX4041";

    /// <summary><c>myhostname</c> matches no MX pattern of the published policy: if this host is an MX of the domain, enforcing senders will not deliver to it.</summary>
    public const string MyHostnameNotInPublishedMx = "PFX4042";

    /// <summary>The policy's <c>max_age</c> is outside RFC 8461's bounds (0 to 31557600 seconds), or shorter than a day.</summary>
    public const string PublishedMaxAge = "PFX4043";

    /// <summary>Advice about publishing: <c>testing</c> before <c>enforce</c>, TLSRPT to watch the reports, what goes where.</summary>
    public const string PublishAdvice = "PFX4044";
}

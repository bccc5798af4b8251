// Placeholder until generated from the catalog.
#nullable enable
namespace PostfixConfig;

/// <summary>Typed keys for the SMTP server (smtpd) TLS parameters.</summary>
public static class ServerTls
{
    /// <summary><c>smtpd_tls_security_level</c>.</summary>
    public static TlsParameter<ServerSecurityLevel> SecurityLevel { get; } = ValueConverters.Enum<ServerSecurityLevel>("smtpd_tls_security_level", PostfixWords.ToPostfix, PostfixWords.TryParseServerLevel);

    /// <summary><c>smtpd_tls_chain_files</c>.</summary>
    public static TlsParameter<IReadOnlyList<string>> ChainFiles { get; } = ValueConverters.List("smtpd_tls_chain_files");
}

/// <summary>Typed keys for the SMTP client (smtp) TLS parameters.</summary>
public static class ClientTls
{
    /// <summary><c>smtp_tls_security_level</c>.</summary>
    public static TlsParameter<ClientSecurityLevel> SecurityLevel { get; } = ValueConverters.Enum<ClientSecurityLevel>("smtp_tls_security_level", PostfixWords.ToPostfix, PostfixWords.TryParseClientLevel);

    /// <summary><c>smtp_dns_support_level</c>.</summary>
    public static TlsParameter<DnsSupportLevel> DnsSupportLevel { get; } = ValueConverters.Enum<DnsSupportLevel>("smtp_dns_support_level", PostfixWords.ToPostfix, PostfixWords.TryParseDnsSupportLevel);

    /// <summary><c>smtp_tls_session_cache_database</c>.</summary>
    public static TlsParameter<string> SessionCacheDatabase { get; } = ValueConverters.Text("smtp_tls_session_cache_database");

    /// <summary><c>smtp_tls_policy_maps</c>.</summary>
    public static TlsParameter<IReadOnlyList<string>> PolicyMaps { get; } = ValueConverters.List("smtp_tls_policy_maps");
}

/// <summary>Typed keys for the shared tls_* parameters.</summary>
public static class SharedTls
{
}

/// <summary>Typed keys for the LMTP client TLS parameters.</summary>
public static class LmtpTls
{
}

/// <summary>Typed keys for the tlsproxy parameters.</summary>
public static class TlsProxy
{
}

/// <summary>Typed keys for the postscreen TLS parameters.</summary>
public static class PostscreenTls
{
}

namespace PostfixConfig;

/// <summary>
/// TLS security levels of the SMTP server side (<c>smtpd_tls_security_level</c>,
/// <c>postscreen_tls_security_level</c>, <c>tlsproxy_tls_security_level</c>); Postfix 2.3 and later.
/// </summary>
public enum ServerSecurityLevel
{
    /// <summary><c>none</c>: STARTTLS is not offered.</summary>
    None,

    /// <summary><c>may</c>: STARTTLS is offered and clients may use it (opportunistic TLS).</summary>
    May,

    /// <summary><c>encrypt</c>: clients must use TLS; only for submission services, never a public MX (RFC 3207).</summary>
    Encrypt,
}

/// <summary>
/// TLS security levels of the SMTP/LMTP client side (<c>smtp_tls_security_level</c> and the policy
/// table); Postfix 2.3 and later, <c>fingerprint</c> from 2.5, <c>dane</c> and <c>dane-only</c> from 2.11.
/// </summary>
public enum ClientSecurityLevel
{
    /// <summary><c>none</c>: no TLS.</summary>
    None,

    /// <summary><c>may</c>: opportunistic TLS, falling back to plaintext.</summary>
    May,

    /// <summary><c>encrypt</c>: TLS required, the server is not authenticated.</summary>
    Encrypt,

    /// <summary><c>dane</c>: opportunistic DANE (TLSA records looked up with DNSSEC); 2.11 and later.</summary>
    Dane,

    /// <summary><c>dane-only</c>: mandatory DANE; 2.11 and later.</summary>
    DaneOnly,

    /// <summary><c>fingerprint</c>: the server certificate or public key must match a listed fingerprint; 2.5 and later.</summary>
    Fingerprint,

    /// <summary><c>verify</c>: CA-verified certificate, name from (possibly insecure) MX data.</summary>
    Verify,

    /// <summary><c>secure</c>: CA-verified certificate, name derived from the next-hop domain.</summary>
    Secure,
}

/// <summary>Values of <c>smtp_dns_support_level</c> (Postfix 2.11 and later).</summary>
public enum DnsSupportLevel
{
    /// <summary><c>disabled</c>: no DNS lookups.</summary>
    Disabled,

    /// <summary><c>enabled</c>: ordinary DNS lookups.</summary>
    Enabled,

    /// <summary><c>dnssec</c>: DNSSEC-validated lookups, needed for DANE.</summary>
    Dnssec,
}

/// <summary>OpenSSL cipher grades used by <c>*_tls_ciphers</c> and <c>*_tls_mandatory_ciphers</c>.</summary>
public enum CipherGrade
{
    /// <summary><c>export</c> (treated as medium from Postfix 3.8).</summary>
    Export,

    /// <summary><c>low</c> (treated as medium from Postfix 3.8).</summary>
    Low,

    /// <summary><c>medium</c>: the default.</summary>
    Medium,

    /// <summary><c>high</c>.</summary>
    High,

    /// <summary><c>null</c>: no encryption, authentication only.</summary>
    Null,
}

/// <summary>Conversions between the level enumerations and their Postfix words.</summary>
public static class PostfixWords
{
    /// <summary>The Postfix word for a server level (<c>may</c>).</summary>
    public static string ToPostfix(this ServerSecurityLevel level) => level switch
    {
        ServerSecurityLevel.None => "none",
        ServerSecurityLevel.May => "may",
        ServerSecurityLevel.Encrypt => "encrypt",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The Postfix word for a client level (<c>dane-only</c>).</summary>
    public static string ToPostfix(this ClientSecurityLevel level) => level switch
    {
        ClientSecurityLevel.None => "none",
        ClientSecurityLevel.May => "may",
        ClientSecurityLevel.Encrypt => "encrypt",
        ClientSecurityLevel.Dane => "dane",
        ClientSecurityLevel.DaneOnly => "dane-only",
        ClientSecurityLevel.Fingerprint => "fingerprint",
        ClientSecurityLevel.Verify => "verify",
        ClientSecurityLevel.Secure => "secure",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The Postfix word for a DNS support level.</summary>
    public static string ToPostfix(this DnsSupportLevel level) => level switch
    {
        DnsSupportLevel.Disabled => "disabled",
        DnsSupportLevel.Enabled => "enabled",
        DnsSupportLevel.Dnssec => "dnssec",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The Postfix word for a cipher grade.</summary>
    public static string ToPostfix(this CipherGrade grade) => grade switch
    {
        CipherGrade.Export => "export",
        CipherGrade.Low => "low",
        CipherGrade.Medium => "medium",
        CipherGrade.High => "high",
        CipherGrade.Null => "null",
        _ => throw new ArgumentOutOfRangeException(nameof(grade)),
    };

    /// <summary>Parses a server level word, case-insensitively.</summary>
    public static bool TryParseServerLevel(string word, out ServerSecurityLevel level) =>
        TryParse(word, Enum.GetValues<ServerSecurityLevel>(), ToPostfix, out level);

    /// <summary>Parses a client level word, case-insensitively.</summary>
    public static bool TryParseClientLevel(string word, out ClientSecurityLevel level) =>
        TryParse(word, Enum.GetValues<ClientSecurityLevel>(), ToPostfix, out level);

    /// <summary>Parses a DNS support level word, case-insensitively.</summary>
    public static bool TryParseDnsSupportLevel(string word, out DnsSupportLevel level) =>
        TryParse(word, Enum.GetValues<DnsSupportLevel>(), ToPostfix, out level);

    /// <summary>Parses a cipher grade word, case-insensitively.</summary>
    public static bool TryParseCipherGrade(string word, out CipherGrade grade) =>
        TryParse(word, Enum.GetValues<CipherGrade>(), ToPostfix, out grade);

    private static bool TryParse<T>(string word, T[] all, Func<T, string> name, out T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(word);
        foreach (var candidate in all)
        {
            if (string.Equals(name(candidate), word.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}

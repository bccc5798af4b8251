namespace PostfixConfig;

/// <summary>
/// A ready-made TLS setup (<c>profile</c> in YAML), after Mozilla's server-side TLS guidelines
/// (version 5.x) but made right for mail: the port 25 service and the SMTP client stay
/// opportunistic (RFC 3207, RFC 7435), while the <c>*_mandatory_*</c> settings, and with them the
/// submission services, get the profile's protocol floor and cipher grade.
/// </summary>
/// <remarks>
/// What a profile expands to depends on the target Postfix release and OpenSSL version; the rows
/// live in the catalog (<c>Catalog/Data/profiles.txt</c>). Parameters set explicitly win over the profile.
/// </remarks>
public enum TlsProfile
{
    /// <summary>
    /// <c>modern</c>: TLS 1.3 only where TLS is mandatory, TLS 1.2 and later on port 25 and for
    /// outgoing mail; needs Postfix 3.4 and OpenSSL 1.1.1.
    /// </summary>
    Modern,

    /// <summary>
    /// <c>intermediate</c>: TLS 1.2 and later where TLS is mandatory, every protocol from TLS 1.0
    /// on port 25 and for outgoing mail (better than plain text); the recommended default.
    /// </summary>
    Intermediate,

    /// <summary><c>old</c>: TLS 1.0 and later everywhere, for very old clients; medium ciphers even where TLS is mandatory.</summary>
    Old,
}

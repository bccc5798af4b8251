namespace PostfixConfig.Validation;

/// <summary>
/// A group of parameters that share the TLS level logic of one Postfix component: the modern
/// security level and the legacy switches it replaced.
/// </summary>
/// <param name="Component">What it configures, for messages ("the SMTP server").</param>
/// <param name="Level">The security level parameter (for tlsproxy's client role: its 3.7+ name).</param>
/// <param name="Use">The legacy "use TLS" switch.</param>
/// <param name="Enforce">The legacy "enforce TLS" switch.</param>
/// <param name="EnforcePeername">The legacy peer-name switch of clients (<see langword="null"/> for servers).</param>
/// <param name="IsServer">Whether the component is a server (levels none, may, encrypt only).</param>
/// <param name="OldLevel">The 3.4-3.6 name of the level parameter (tlsproxy's client role), if any.</param>
internal sealed record TlsFamily(
    string Component,
    string Level,
    string Use,
    string Enforce,
    string? EnforcePeername,
    bool IsServer,
    string? OldLevel = null)
{
    /// <summary>The SMTP server, smtpd(8).</summary>
    public static readonly TlsFamily Smtpd = new("the SMTP server", "smtpd_tls_security_level", "smtpd_use_tls", "smtpd_enforce_tls", null, true);

    /// <summary>postscreen(8).</summary>
    public static readonly TlsFamily Postscreen = new("postscreen", "postscreen_tls_security_level", "postscreen_use_tls", "postscreen_enforce_tls", null, true);

    /// <summary>The server role of tlsproxy(8).</summary>
    public static readonly TlsFamily TlsproxyServer = new("tlsproxy's server role", "tlsproxy_tls_security_level", "tlsproxy_use_tls", "tlsproxy_enforce_tls", null, true);

    /// <summary>The SMTP client, smtp(8).</summary>
    public static readonly TlsFamily Smtp = new("the SMTP client", "smtp_tls_security_level", "smtp_use_tls", "smtp_enforce_tls", "smtp_tls_enforce_peername", false);

    /// <summary>The LMTP client, lmtp(8).</summary>
    public static readonly TlsFamily Lmtp = new("the LMTP client", "lmtp_tls_security_level", "lmtp_use_tls", "lmtp_enforce_tls", "lmtp_tls_enforce_peername", false);

    /// <summary>The client role of tlsproxy(8).</summary>
    public static readonly TlsFamily TlsproxyClient = new(
        "tlsproxy's client role", "tlsproxy_client_security_level", "tlsproxy_client_use_tls", "tlsproxy_client_enforce_tls", null, false, "tlsproxy_client_level");

    /// <summary>All families.</summary>
    public static readonly TlsFamily[] All = [Smtpd, Postscreen, TlsproxyServer, Smtp, Lmtp, TlsproxyClient];

    /// <summary>The level parameter the target release reads, or <see langword="null"/> when it has none.</summary>
    public string? LevelIn(ValidationTarget t) =>
        t.Knows(Level) ? Level : OldLevel is not null && t.Knows(OldLevel) ? OldLevel : null;

    /// <summary>
    /// The level Postfix uses (lower case; legacy switches mapped to levels), or <see langword="null"/>
    /// when it depends on something unknown.
    /// </summary>
    public string? EffectiveLevel(ValidationTarget t)
    {
        if (LevelIn(t) is { } levelName)
        {
            var level = t.Resolve(levelName);
            if (level is null)
            {
                return null;
            }

            if (level.Length > 0)
            {
                return level.ToLowerInvariant();
            }
        }

        return LegacyLevel(t);
    }

    /// <summary>The level the legacy switches amount to, or <see langword="null"/> when unknown.</summary>
    public string? LegacyLevel(ValidationTarget t)
    {
        bool? Switch(string? name) => name is null || !t.Knows(name) ? false : t.Flag(name);

        var enforce = Switch(Enforce);
        var use = Switch(Use);
        if (enforce is null)
        {
            return null;
        }

        if (enforce.Value)
        {
            if (IsServer)
            {
                return "encrypt";
            }

            var peername = EnforcePeername is null ? false : Switch(EnforcePeername);
            return peername switch
            {
                null => null,
                true => "verify",
                false => "encrypt",
            };
        }

        return use switch
        {
            null => null,
            true => "may",
            false => "none",
        };
    }
}

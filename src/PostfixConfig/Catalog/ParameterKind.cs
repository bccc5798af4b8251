namespace PostfixConfig.Catalog;

/// <summary>What kind of value a Postfix parameter takes, which decides how it is checked and rendered.</summary>
#pragma warning disable CA1720 // The kinds are named as postconf(5) names them (String, Integer).
public enum ParameterKind
{
    /// <summary>Free text, written as given.</summary>
    String,

    /// <summary><c>yes</c> or <c>no</c> (case-insensitive in Postfix); YAML booleans render as these words.</summary>
    Boolean,

    /// <summary>A decimal integer, possibly limited to a range.</summary>
    Integer,

    /// <summary>A time: an integer with an optional unit letter (<c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c>).</summary>
    Time,

    /// <summary>One word out of a fixed set (security levels, DNS support levels, curve grades, ...).</summary>
    Enum,

    /// <summary>An OpenSSL cipher grade: <c>export</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>null</c>.</summary>
    CipherGrade,

    /// <summary>A TLS protocol list: exclusions (<c>!SSLv2, !SSLv3</c>), names, or from 3.6 bounds (<c>&gt;=TLSv1.2</c>).</summary>
    ProtocolList,

    /// <summary>A list split on commas and whitespace.</summary>
    List,

    /// <summary>One file (or directory) name on the mail host.</summary>
    File,

    /// <summary>A list of file names (split on commas and whitespace).</summary>
    FileList,

    /// <summary>One lookup table reference, <c>type:name</c>.</summary>
    MapReference,

    /// <summary>A list of lookup table references (and, for some parameters, other words).</summary>
    MapList,

    /// <summary>An OpenSSL message digest name (<c>md5</c>, <c>sha1</c>, <c>sha256</c>, ...).</summary>
    Digest,
}
#pragma warning restore CA1720

/// <summary>Which part of Postfix reads a parameter; main.cf output is grouped by it.</summary>
public enum ParameterScope
{
    /// <summary>The SMTP server, smtpd(8): <c>smtpd_*</c>.</summary>
    Server,

    /// <summary>The SMTP client, smtp(8): <c>smtp_*</c>.</summary>
    Client,

    /// <summary>The LMTP client: <c>lmtp_*</c>.</summary>
    Lmtp,

    /// <summary>The TLS proxy, tlsproxy(8): <c>tlsproxy_*</c>.</summary>
    TlsProxy,

    /// <summary>The postscreen(8) front end: <c>postscreen_*</c>.</summary>
    Postscreen,

    /// <summary>Settings shared by every TLS user: <c>tls_*</c> and a few others.</summary>
    Shared,

    /// <summary>Not a TLS parameter: passed through as text.</summary>
    Other,
}

namespace PostfixConfig.Diagnostics;

/// <content>Codes about the TLS policy table (<c>PFX4xxx</c>).</content>
public static partial class DiagnosticCodes
{
    /// <summary>A policy table key is not a destination (<c>example.com</c>, <c>.example.com</c>, <c>[host]</c>, <c>[host]:port</c>).</summary>
    public const string InvalidDestination = "PFX4001";

    /// <summary>A policy entry has an unknown security level, or one the target release does not know.</summary>
    public const string InvalidPolicyLevel = "PFX4002";

    /// <summary>A policy entry has an attribute Postfix does not know (the entry would be invalid and mail deferred).</summary>
    public const string UnknownPolicyAttribute = "PFX4003";

    /// <summary><c>tls_policy</c> has entries but <c>smtp_tls_policy_maps</c> does not name a file table to write them to.</summary>
    public const string PolicyMapsMissing = "PFX4004";

    /// <summary>Two policy keys differ only in letter case; Postfix folds keys to lower case, so one hides the other.</summary>
    public const string DuplicateDestination = "PFX4005";

    /// <summary>A policy attribute value is malformed (whitespace, a comma, an empty value, or the wrong list form).</summary>
    public const string InvalidPolicyAttributeValue = "PFX4006";

    /// <summary><c>sni</c> has entries but the target release has no SNI support (tls_server_sni_maps, 3.4 and later).</summary>
    public const string SniNotInRelease = "PFX4020";

    /// <summary><c>sni</c> has entries but <c>tls_server_sni_maps</c> names no indexed file table to build with <c>postmap -F</c>.</summary>
    public const string SniMapsMissing = "PFX4021";

    /// <summary>An SNI entry whose name is not a host name or .domain, or whose files cannot be written into the table.</summary>
    public const string InvalidSniEntry = "PFX4022";
}

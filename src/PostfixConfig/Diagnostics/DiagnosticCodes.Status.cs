namespace PostfixConfig.Diagnostics;

/// <content>lint's plain answer to "is TLS on?" (PFX5070 and on), the same as <c>postfix-config status</c>.</content>
public static partial class DiagnosticCodes
{
    /// <summary>What one smtpd or postscreen listener of master.cf does about TLS: off, offered, required or implicit, and why.</summary>
    public const string InboundTlsStatus = "PFX5070";

    /// <summary>What the SMTP client does about TLS: its effective level, DANE, policy table and session cache.</summary>
    public const string OutboundTlsStatus = "PFX5071";
}

namespace PostfixConfig.Diagnostics;

/// <content>Which parameters postconf considers used, in main.cf and in master.cf's <c>-o</c> options (PFX1010 and on).</content>
public static partial class DiagnosticCodes
{
    /// <summary>A master.cf <c>-o name=value</c> that postconf reports as unused: no parameter of the release, of the entry's own, or of main.cf that is used.</summary>
    public const string MasterCfParameterUnused = "PFX1010";

    /// <summary>A legacy name (<c>postscreen_dnsbl_ttl</c>) that a successor's default still reads: rename it; or remove it when the successor is set too.</summary>
    public const string LegacyParameterName = "PFX1011";

    /// <summary>An assignment to <c>process_name</c>, <c>process_id</c> or <c>service_name</c>, which Postfix sets itself and ignores.</summary>
    public const string ReadOnlyParameter = "PFX1012";

    /// <summary>A <c>$name</c> in a master.cf <c>-o</c> value, or a restriction class, that names no parameter with a value (postconf: "undefined parameter").</summary>
    public const string MasterCfUndefinedReference = "PFX1013";

    /// <summary>A master.cf <c>-o</c> option postconf cannot read (<c>-o { name }</c> without <c>=</c>, unbalanced braces); the daemon refuses to start.</summary>
    public const string MasterCfOptionSyntax = "PFX1014";
}

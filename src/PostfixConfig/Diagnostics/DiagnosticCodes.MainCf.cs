namespace PostfixConfig.Diagnostics;

/// <content>Codes about existing main.cf files and their policy maps: reading, lint, merge and import (<c>PFX5xxx</c>).</content>
public static partial class DiagnosticCodes
{
    /// <summary>A main.cf line is not <c>name = value</c> (no <c>=</c> after the name); Postfix stops with "missing '=' after attribute name".</summary>
    public const string MainCfMissingEquals = "PFX5001";

    /// <summary>A main.cf line starts with <c>=</c>; Postfix stops with "missing attribute name".</summary>
    public const string MainCfMissingName = "PFX5002";

    /// <summary>Indented text before the first setting of main.cf; Postfix ignores it ("logical line must not start with whitespace").</summary>
    public const string MainCfLeadingWhitespace = "PFX5003";

    /// <summary>A main.cf line contains a NUL byte; Postfix ignores the rest of the setting.</summary>
    public const string MainCfNulCharacter = "PFX5004";

    /// <summary>A value keeps a carriage return (Windows line ends inside a continued value).</summary>
    public const string MainCfCarriageReturn = "PFX5005";

    /// <summary>A parameter is set more than once in main.cf; the last setting wins ("overriding earlier entry").</summary>
    public const string MainCfDuplicateParameter = "PFX5006";

    /// <summary>main.cf is not valid UTF-8: it is checked byte for byte, but merge does not rewrite it.</summary>
    public const string MainCfNotUtf8 = "PFX5007";

    /// <summary>A <c>$</c> expression Postfix cannot expand (unclosed <c>${</c>, empty name, bad operator); Postfix stops with "macro processing error".</summary>
    public const string ExpansionSyntax = "PFX5010";

    /// <summary>Parameters refer to each other in a loop; Postfix stops with "unreasonable macro call nesting".</summary>
    public const string ExpansionLoop = "PFX5011";

    /// <summary>A <c>$name</c> reference to a name that is neither set nor a Postfix parameter; it expands to nothing.</summary>
    public const string UndefinedReference = "PFX5012";

    /// <summary>A reference to a parameter whose default depends on the mail host or is not in the catalog; expansion takes a stand-in (or nothing).</summary>
    public const string DefaultNotInCatalog = "PFX5013";

    /// <summary>The SMTP server offers TLS with Debian's self-signed "snakeoil" certificate.</summary>
    public const string SnakeoilCertificate = "PFX5020";

    /// <summary>A legacy TLS switch (<c>smtpd_use_tls</c>, <c>smtp_enforce_tls</c>, ...) with the security level to write instead.</summary>
    public const string LegacyTlsSwitch = "PFX5021";

    /// <summary>Key and certificate are set with the separate file parameters where <c>smtpd_tls_chain_files</c> (3.4+) is the preferred way.</summary>
    public const string ChainFilesPreferred = "PFX5022";

    /// <summary>Outbound TLS is off: the SMTP client sends in clear text because no <c>smtp_tls_security_level</c> applies.</summary>
    public const string OutboundTlsOff = "PFX5023";

    /// <summary>The policy map named in main.cf could not be read next to it (or is not a file table), so it was not checked.</summary>
    public const string PolicyMapNotRead = "PFX5030";

    /// <summary>A policy map line is not <c>key whitespace value</c> (or has an unbalanced quote); postmap skips it.</summary>
    public const string PolicyMapSyntax = "PFX5031";

    /// <summary>A policy map key appears twice; postmap keeps the first and warns "duplicate entry".</summary>
    public const string PolicyMapDuplicateKey = "PFX5032";

    /// <summary>Lint: an entry of the master.cf next to main.cf has fewer than eight fields; Postfix stops ("bad field count").</summary>
    public const string MasterCfSyntax = "PFX5033";

    /// <summary>Merge replaced a parameter that main.cf sets more than once, at every place (as <c>postconf -e</c> does).</summary>
    public const string MergeMultipleDefinitions = "PFX5040";

    /// <summary><c>--migrate</c> replaced a legacy TLS switch by its security level (the old line is kept as a comment).</summary>
    public const string MergeMigrated = "PFX5041";

    /// <summary><c>--migrate</c> left a legacy TLS switch alone (its value is an expression, or the YAML sets it).</summary>
    public const string MergeMigrationSkipped = "PFX5042";

    /// <summary>Errors that main.cf had before the merge; merge does not block on them because it did not cause them.</summary>
    public const string MergePreexistingErrors = "PFX5043";

    /// <summary>Import changed a value so that it can be written back (a carriage return became a space).</summary>
    public const string ImportValueAdjusted = "PFX5050";
}

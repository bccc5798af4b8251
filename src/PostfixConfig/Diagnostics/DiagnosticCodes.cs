namespace PostfixConfig.Diagnostics;

/// <summary>
/// The stable diagnostic codes. Ranges: <c>PFX0xxx</c> input, <c>PFX1xxx</c> parameter names and
/// releases, <c>PFX2xxx</c> values, <c>PFX3xxx</c> rules across parameters, <c>PFX4xxx</c> the TLS policy
/// table, <c>PFX5xxx</c> existing main.cf files, <c>PFX6xxx</c> output safety, <c>PFX7xxx</c> certificates,
/// <c>PFX8xxx</c> probing a live server, <c>PFX9xxx</c> information about the run. Every code is listed with a one-line explanation in docs/diagnostics.md, generated from <c>DiagnosticCatalog</c>.
/// </summary>
/// <remarks>The class is split by area into partial files (<c>DiagnosticCodes.*.cs</c>).</remarks>
public static partial class DiagnosticCodes
{
    /// <summary>The YAML text is not well-formed (bad indentation, unclosed quote, tab used for indentation, ...).</summary>
    public const string YamlSyntax = "PFX0001";

    /// <summary>A key appears twice in the same YAML mapping.</summary>
    public const string DuplicateKey = "PFX0002";

    /// <summary>A YAML value has the wrong shape (a mapping where a scalar or list belongs, ...).</summary>
    public const string WrongShape = "PFX0003";

    /// <summary>An unknown top-level key (the keys are <c>postfix_version</c>, <c>openssl_version</c>, <c>profile</c>, <c>main</c>, <c>services</c>, <c>sni</c>, <c>tls_policy</c>, <c>mta_sts</c> and <c>publish</c>).</summary>
    public const string UnknownTopLevelKey = "PFX0004";

    /// <summary><c>postfix_version</c> (or <c>--postfix-version</c>) is not a Postfix release number.</summary>
    public const string InvalidPostfixVersion = "PFX0005";

    /// <summary>The input exceeds a size limit (file size, value length, number of entries, nesting).</summary>
    public const string InputTooLarge = "PFX0006";

    /// <summary>YAML anchors and aliases would expand the document beyond the limit (an alias bomb).</summary>
    public const string AliasExpansionTooLarge = "PFX0007";

    /// <summary>The document is empty or holds more than one YAML document.</summary>
    public const string NotOneDocument = "PFX0008";

    /// <summary>The target release is older than 2.2 (no built-in TLS) or newer than any the catalog knows.</summary>
    public const string UnsupportedPostfixVersion = "PFX0009";

    /// <summary>
    /// A file found by name (master.cf next to main.cf, the policy table source, the SNI table source, a key
    /// or certificate file) is a FIFO, device or socket: it is not opened, since reading it could block or never end.
    /// </summary>
    public const string NotRegularFile = "PFX0010";

    /// <summary>An unknown parameter name; the message suggests the nearest known name.</summary>
    public const string UnknownParameter = "PFX1001";

    /// <summary>The parameter does not exist yet in the target release.</summary>
    public const string ParameterNotYetAvailable = "PFX1002";

    /// <summary>The parameter no longer exists in the target release.</summary>
    public const string ParameterRemoved = "PFX1003";

    /// <summary>The parameter is deprecated in the target release; the message names its replacement.</summary>
    public const string ParameterDeprecated = "PFX1004";

    /// <summary>The target release ignores the parameter (it has no effect).</summary>
    public const string ParameterObsolete = "PFX1005";

    /// <summary>A non-TLS parameter that the target release does not know (Postfix would report it as unused).</summary>
    public const string ParameterNotInRelease = "PFX1006";

    /// <summary>
    /// A per-service parameter (<c>SERVICE_destination_concurrency_limit</c>, <c>SERVICE_time_limit</c>, ...):
    /// valid, but it only takes effect when master.cf defines that service.
    /// </summary>
    public const string ServiceParameter = "PFX1007";

    /// <summary>
    /// Lint with master.cf: a per-service parameter for a service that master.cf does not define with
    /// a program that reads it, so Postfix never uses it (postconf reports it as unused).
    /// </summary>
    public const string ServiceParameterUnused = "PFX1008";

    /// <summary>A boolean parameter has a value other than yes or no.</summary>
    public const string InvalidBoolean = "PFX2001";

    /// <summary>An integer parameter has a value that is not a whole number.</summary>
    public const string InvalidInteger = "PFX2002";

    /// <summary>An integer is outside the range where its values have a meaning (a warning: Postfix treats it like the nearest bound).</summary>
    public const string IntegerOutOfRange = "PFX2003";

    /// <summary>A time parameter has a value that is not a number with an optional unit (s, m, h, d, w).</summary>
    public const string InvalidTime = "PFX2004";

    /// <summary>An enumeration parameter has a word that no release accepts.</summary>
    public const string UnknownValue = "PFX2005";

    /// <summary>An enumeration word that the target release does not accept yet.</summary>
    public const string ValueNotYetAvailable = "PFX2006";

    /// <summary>A YAML list was given for a parameter that takes a single value.</summary>
    public const string ListNotAllowed = "PFX2007";

    /// <summary>A value holds a newline, carriage return or other control character that would inject a setting.</summary>
    public const string ControlCharacter = "PFX2008";

    /// <summary>A parameter name is not a valid main.cf name (empty, whitespace, '=' or control characters).</summary>
    public const string InvalidParameterName = "PFX2009";

    /// <summary>The target release is assumed because none was given.</summary>
    public const string TargetVersionAssumed = "PFX9001";

    /// <summary>The target release is an unreleased development snapshot; its facts are provisional.</summary>
    public const string ProvisionalRelease = "PFX9002";
}

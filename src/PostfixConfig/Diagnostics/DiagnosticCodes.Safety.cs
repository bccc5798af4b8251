namespace PostfixConfig.Diagnostics;

/// <content>
/// Codes about output safety (<c>PFX6xxx</c>): text that would not mean in main.cf or in the policy
/// map what it says in the configuration, or that would write outside the output folder.
/// </content>
public static partial class DiagnosticCodes
{
    /// <summary>A value, list item or policy attribute begins or ends with whitespace, which Postfix drops.</summary>
    public const string SurroundingWhitespace = "PFX6001";

    /// <summary>
    /// An item of a list contains a character Postfix splits that list at (space, comma, and for some
    /// lists <c>:</c> or <c>|</c>), or is empty: Postfix would read different items than the list holds.
    /// </summary>
    public const string ListItemWouldSplit = "PFX6002";

    /// <summary>
    /// A policy table key, level, attribute name or attribute value contains a space, comma, brace or
    /// starts with <c>#</c>: the map line would be cut there and the rest read as another attribute or entry.
    /// </summary>
    public const string PolicyTokenWouldSplit = "PFX6003";

    /// <summary>Text contains a lone UTF-16 surrogate or a non-character, which cannot be written as UTF-8.</summary>
    public const string InvalidUnicode = "PFX6004";

    /// <summary>
    /// The policy map path in <c>smtp_tls_policy_maps</c> contains <c>..</c> or names a file that would
    /// overwrite main.cf in the output folder.
    /// </summary>
    public const string UnsafeMapPath = "PFX6005";

    /// <summary>Text contains an invisible formatting character (zero-width space, bidirectional override, ...).</summary>
    public const string InvisibleCharacter = "PFX6006";

    /// <summary>
    /// A <c>$</c> in a value starts no valid parameter reference (<c>$=</c>, a lone <c>$</c> at the end, an
    /// unclosed <c>${</c>): Postfix stops with "macro processing error". A literal <c>$</c> is written <c>$$</c>.
    /// </summary>
    public const string MalformedReference = "PFX6007";
}
